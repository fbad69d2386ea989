/**
 * The parameters a rule set is evaluated with, bound as botocore's EndpointRulesetResolver binds
 * them: builtIns from the client's settings (computed once per client), then the service's
 * clientContextParams (Config.clientContextParams and S3's config), the operation's
 * staticContextParams, and the input members marked `contextParam` (per call).
 */
import type { Config } from '../config.js';
import type { OperationModel } from '../models/shapes.js';
import { jmespath } from '../vendor.js';
import type { RuleValue } from './ruleset.js';

/** botocore's LEGACY_GLOBAL_STS_REGIONS: the regions whose STS calls went to the global endpoint. */
const LEGACY_GLOBAL_STS_REGIONS = new Set([
  'ap-northeast-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'aws-global', 'ca-central-1', 'eu-central-1', 'eu-north-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
]);

export interface BuiltInContext {
  region: string | undefined;
  /** The endpoint URL the user set (option, environment or profile), if any. */
  endpointUrl: string | undefined;
  config: Config;
  /** sts_regional_endpoints as the session resolved it ('regional' or 'legacy'). */
  stsRegionalEndpoints: string | undefined;
}

/** botocore's compute_endpoint_resolver_builtin_defaults, by builtIn name. */
export function builtInValues(ctx: BuiltInContext): Record<string, RuleValue> {
  const { config, endpointUrl, region } = ctx;
  const s3 = config.get('s3') ?? {};
  const given = endpointUrl;
  let forcePathStyle: boolean;
  if (s3.useAccelerateEndpoint) forcePathStyle = false;
  else if (endpointUrl !== undefined && !/^https?:\/\/s3-accelerate(\.dualstack)?\.amazonaws\.com/.test(endpointUrl)) forcePathStyle = s3.addressingStyle !== 'virtual';
  else forcePathStyle = s3.addressingStyle === 'path';
  return {
    'AWS::Region': region,
    // An explicit endpoint cannot be combined with FIPS or dual-stack: the flags go off.
    'AWS::UseFIPS': given === undefined && config.get('useFipsEndpoint') === true,
    'AWS::UseDualStack': given === undefined && (config.get('useDualstackEndpoint') === true || s3.useDualstackEndpoint === true),
    'AWS::STS::UseGlobalEndpoint': endpointUrl === undefined && ctx.stsRegionalEndpoints === 'legacy' && region !== undefined && LEGACY_GLOBAL_STS_REGIONS.has(region),
    'AWS::S3::UseGlobalEndpoint': (region === 'us-east-1' || region === undefined) && (s3.usEast1RegionalEndpoint ?? 'legacy') === 'legacy',
    'AWS::S3::Accelerate': s3.useAccelerateEndpoint === true,
    'AWS::S3::ForcePathStyle': forcePathStyle,
    'AWS::S3::UseArnRegion': s3.useArnRegion ?? true,
    'AWS::S3Control::UseArnRegion': s3.useArnRegion ?? false,
    'AWS::S3::DisableMultiRegionAccessPoints': s3.s3DisableMultiregionAccessPoints === true,
    'SDK::Endpoint': given,
    // The credentials' account id: set per call by the resolver (it needs the credentials).
    'AWS::Auth::AccountId': undefined,
    'AWS::Auth::AccountIdEndpointMode': config.get('accountIdEndpointMode') ?? 'preferred',
  };
}

interface ParameterSpec {
  builtIn?: string;
}

/**
 * The client-level part: builtIns, then clientContextParams (Config.clientContextParams, and for
 * S3 the equivalents botocore derives from its s3 config). Computed once per client.
 */
export function clientParams(parameters: Readonly<Record<string, ParameterSpec>>, builtIns: Record<string, RuleValue>, clientContext: Record<string, unknown>): Record<string, RuleValue> {
  const out: Record<string, RuleValue> = {};
  for (const [name, spec] of Object.entries(parameters)) {
    if (spec.builtIn !== undefined && builtIns[spec.builtIn] !== undefined) out[name] = builtIns[spec.builtIn];
  }
  for (const [name, value] of Object.entries(clientContext)) {
    if (name in parameters && value !== undefined) out[name] = value as RuleValue;
  }
  return out;
}

/** What an operation adds to the parameters: its input members bound to parameters, and its static values. */
export interface OperationParamPlan {
  readonly context: ReadonlyArray<readonly [member: string, param: string]>;
  /** operationContextParams: JMESPath expressions over the whole input (DynamoDB's resource ARN lists). */
  readonly paths: ReadonlyArray<readonly [param: string, path: string]>;
  readonly statics: ReadonlyArray<readonly [param: string, value: RuleValue]>;
}

const plans = new WeakMap<OperationModel, OperationParamPlan>();

/** Computed once per operation: which input members are contextParams, which values are static. */
export function operationParamPlan(operation: OperationModel): OperationParamPlan {
  let plan = plans.get(operation);
  if (plan === undefined) {
    const context: Array<readonly [string, string]> = [];
    for (const [member, memberShape] of operation.inputShape?.members ?? []) {
      const contextParam = memberShape.def.contextParam as { name: string } | undefined;
      if (contextParam !== undefined) context.push([member, contextParam.name]);
    }
    const statics = Object.entries((operation.def.staticContextParams as Record<string, { value: RuleValue }> | undefined) ?? {}).map(([name, { value }]) => [name, value] as const);
    const paths = Object.entries((operation.def.operationContextParams as Record<string, { path: string }> | undefined) ?? {}).map(([name, { path }]) => [name, path] as const);
    plan = { context, paths, statics };
    plans.set(operation, plan);
  }
  return plan;
}

/**
 * The operation-level part, over the client's: operationContextParams, the input's contextParam
 * members, and above them staticContextParams (botocore's order: static, dynamic, operation
 * context, client, builtIn).
 */
export function operationParams(plan: OperationParamPlan, input: Record<string, unknown>, base: Record<string, RuleValue>): Record<string, RuleValue> {
  const out: Record<string, RuleValue> = { ...base };
  for (const [param, path] of plan.paths) {
    const value = jmespath().search(input, path) as RuleValue;
    if (value !== undefined && value !== null) out[param] = value;
  }
  for (const [member, param] of plan.context) {
    const value = input[member];
    if (value !== undefined && value !== null) out[param] = value as RuleValue;
  }
  for (const [param, value] of plan.statics) out[param] = value;
  return out;
}
