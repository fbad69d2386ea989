/**
 * Service customizations that botocore also has, one file per service, registered through
 * the event system. The core never branches on a service name; it only emits events.
 * docs/customizations.md maps each of botocore's handlers to the file here that ports it.
 */
import type { HierarchicalEmitter } from '../events.js';
import { registerCommonCustomizations, registerCommonSessionCustomizations, registerDisableSigning, type ClientSetup } from './common.js';
import { registerDsqlClientClass } from './dsql.js';
import { registerPollyCustomizations } from './polly.js';
import { rdsPresignedUrlRegistrar, registerEc2PresignedUrl } from './presigned-url-events.js';
import { registerRdsClientClass } from './rds.js';
import { registerSqsCustomizations } from './sqs.js';
import { registerSsoOidcCustomizations } from './sso-oidc.js';
import { registerApiGatewayCustomizations } from './apigateway.js';
import { registerAutoscalingCustomizations } from './autoscaling.js';
import { registerCloudFormationCustomizations } from './cloudformation.js';
import { registerCloudSearchDomainCustomizations } from './cloudsearchdomain.js';
import { registerEc2Customizations } from './ec2.js';
import { registerGlacierCustomizations } from './glacier-events.js';
import { registerIamCustomizations } from './iam.js';
import { registerLogsCustomizations } from './logs.js';
import { registerMachineLearningCustomizations } from './machinelearning.js';
import { registerRoute53Customizations } from './route53.js';
import { registerS3Customizations, registerS3ModelCustomizations } from './s3.js';
import { registerS3ControlModelCustomizations } from './s3control.js';

/** A client's registrar; `setup` has the client's model, config and the session's environment. */
type Register = (events: HierarchicalEmitter, setup: ClientSetup) => void;
type SessionRegister = (events: HierarchicalEmitter) => void;

/** Per client, by the model's service name: handlers of the client's own events. */
const CLIENT_CUSTOMIZATIONS: Readonly<Record<string, readonly Register[]>> = {
  s3: [registerS3Customizations],
  rds: [rdsPresignedUrlRegistrar('rds')],
  neptune: [rdsPresignedUrlRegistrar('neptune')],
  docdb: [rdsPresignedUrlRegistrar('docdb')],
  polly: [registerPollyCustomizations],
  sqs: [registerSqsCustomizations],
  'sso-oidc': [registerSsoOidcCustomizations],
  'cognito-identity': [registerDisableSigning],
  sts: [registerDisableSigning],
  ec2: [registerEc2Customizations, registerEc2PresignedUrl],
  autoscaling: [registerAutoscalingCustomizations],
  route53: [registerRoute53Customizations],
  glacier: [registerGlacierCustomizations],
  apigateway: [registerApiGatewayCustomizations],
  iam: [registerIamCustomizations],
  cloudformation: [registerCloudFormationCustomizations],
  machinelearning: [registerMachineLearningCustomizations],
  cloudsearchdomain: [registerCloudSearchDomainCustomizations],
  logs: [registerLogsCustomizations],
};

/** Per client, whatever the service (botocore's handlers registered on bare event names). */
const EVERY_CLIENT: readonly Register[] = [registerCommonCustomizations];

/**
 * On the session: handlers of events a session emits itself (service-data-loaded.<service>,
 * creating-client-class.<service>, choose-service-name).
 */
const SESSION_CUSTOMIZATIONS: readonly SessionRegister[] = [registerCommonSessionCustomizations, registerS3ModelCustomizations, registerS3ControlModelCustomizations, registerRdsClientClass, registerDsqlClientClass];

export function registerCustomizations(serviceName: string, events: HierarchicalEmitter, setup: ClientSetup): void {
  for (const register of EVERY_CLIENT) register(events, setup);
  for (const register of CLIENT_CUSTOMIZATIONS[serviceName] ?? []) register(events, setup);
}

export function registerSessionCustomizations(events: HierarchicalEmitter): void {
  for (const register of SESSION_CUSTOMIZATIONS) register(events);
}
