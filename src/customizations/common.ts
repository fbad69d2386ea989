/**
 * botocore's handlers that are not tied to one service's data (botocore.handlers.BUILTIN_HANDLERS
 * entries on bare event names, and the few per-operation signer choices next to them).
 *
 * Each is registered on the most specific event botocore's behaviour allows, and only on
 * clients where it can change anything (decided once, from the model, the resolved config
 * and the session's environment), so a warm call of any other client pays nothing:
 * - add_recursion_detection_header: before-call, on clients made inside Lambda.
 * - inject_api_version_header_if_needed: before-call.<service>.<Op> of endpoint-discovery operations.
 * - set_operation_specific_signer: choose-signer.<service>.<Op> of operations with an unsigned body;
 *   its 'none' answer is the core's (client.ts isUnsigned, the choose-signer default UNSIGNED).
 * - _set_auth_scheme_preference_signer: choose-signer, on clients whose service offers an auth
 *   scheme other than SigV4 (bearer, noAuth).
 * - disable_signing: choose-signer.cognito-identity.* / choose-signer.sts.* (registerDisableSigning).
 * - handle_service_name_alias: choose-service-name (Session.client).
 * - enable_millisecond_timestamp_precision: creating-serializer.bedrock-agentcore.
 * Elsewhere in inia: generate_idempotent_uuid and _handle_request_validation_mode_member are
 * client.ts makeApiCall (fillIdempotencyTokens, checksums' prepareChecksumParams), add_retry_headers
 * is client.ts addRetryHeaders, add_generate_presigned_url is BaseClient.generatePresignedUrl.
 *
 * Where the order differs from botocore's (the price of not paying on every call): botocore's
 * operation signer and recursion handlers sit on bare event names; here the signer choices sit
 * on the operation's own name (registerLast), so a user's choose-signer handler on the
 * service-level name (`choose-signer.sts`), or a registerFirst one on bare `choose-signer`,
 * runs after them instead of before; register it on the operation's name to override.
 */
import { AUTH_TOKEN_CONTEXT_KEY, UNSIGNED, type SignatureVersion } from '../auth/choice.js';
import type { Config } from '../config.js';
import { IniaError } from '../errors.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';
import type { ServiceModel } from '../models/shapes.js';
import type { SerializerOptions } from '../protocols/index.js';

/** What a client's customizations may read when they are registered (one client's facts). */
export interface ClientSetup {
  /** The session's environment (SessionOptions.env, else process.env): botocore's os.environ. */
  readonly env: NodeJS.ProcessEnv;
  readonly serviceModel: ServiceModel;
  /** The client's resolved config (the user's Config, then environment, profile, defaults). */
  readonly config: Config;
  /** Only what the user set in code (botocore's ClientConfigString marks). */
  readonly userConfig: Config;
}

// ---------------------------------------------------------------- add_recursion_detection_header

/** Python's quote(): always-safe characters plus the safe set botocore passes. */
const TRACE_ID_SAFE = /^[A-Za-z0-9_.~\-=;:+&[\]{}"',]*$/;
const TRACE_ID_SAFE_CHAR = /[A-Za-z0-9_.~\-=;:+&[\]{}"',]/;

/** botocore's quote(trace_id, safe='-=;:+&[]{}"\',): other bytes of the UTF-8 form as %XX. */
export function quoteTraceId(value: string): string {
  if (TRACE_ID_SAFE.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += byte < 0x80 && TRACE_ID_SAFE_CHAR.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function registerRecursionDetection(events: HierarchicalEmitter, env: NodeJS.ProcessEnv): void {
  // botocore tests AWS_LAMBDA_FUNCTION_NAME on every call; Lambda sets it before any code runs,
  // so a client made outside Lambda does not pay for the handler on each call. The trace id
  // itself changes per invocation, so it is read per call.
  if (env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
  events.register('before-call', (args: EventArgs) => {
    const traceId = env._X_AMZN_TRACE_ID;
    if (env.AWS_LAMBDA_FUNCTION_NAME === undefined || !traceId) return undefined;
    const headers = (args.request as HttpRequest).headers;
    // A header the user (or the model) already put there stays.
    if (headers['x-amzn-trace-id'] === undefined) headers['x-amzn-trace-id'] = quoteTraceId(traceId);
    return undefined;
  }, 'add-recursion-detection-header');
}

// ---------------------------------------------------------------- per-operation facts of a model

interface ModelFacts {
  /** Operations with `endpointoperation` (DescribeEndpoints of DynamoDB, Timestream). */
  endpointOperations: string[];
  /** Operations with authtype v4-unsigned-body or unsignedPayload. */
  unsignedPayloadOperations: string[];
  /** Operations with auth [smithy.api#noAuth] (or authtype none): botocore's auth_type 'none'. */
  noAuthOperations: string[];
}

const FACTS = new WeakMap<ServiceModel, ModelFacts>();

/** Read once per model from the raw operation definitions (no OperationModel is built). */
function factsOf(model: ServiceModel): ModelFacts {
  let facts = FACTS.get(model);
  if (facts === undefined) {
    facts = { endpointOperations: [], unsignedPayloadOperations: [], noAuthOperations: [] };
    for (const [name, def] of Object.entries(model.description.operations)) {
      const raw = def as { endpointoperation?: boolean; authtype?: string; auth?: string[]; unsignedPayload?: boolean };
      if (raw.endpointoperation === true) facts.endpointOperations.push(name);
      // botocore's resolved_auth_type: the `auth` list when there is one (its first noAuth or supported scheme), else authtype.
      const authType = raw.auth !== undefined && raw.auth.length > 0 ? (raw.auth.find((a) => a === 'smithy.api#noAuth' || a === 'aws.auth#sigv4' || a === 'smithy.api#httpBearerAuth') === 'smithy.api#noAuth' ? 'none' : 'signed') : raw.authtype;
      if (authType === 'none') facts.noAuthOperations.push(name);
      else if (raw.authtype === 'v4-unsigned-body' || raw.unsignedPayload === true) facts.unsignedPayloadOperations.push(name);
    }
    FACTS.set(model, facts);
  }
  return facts;
}

// ---------------------------------------------------------------- inject_api_version_header_if_needed

function registerApiVersionHeader(events: HierarchicalEmitter, model: ServiceModel): void {
  const operations = factsOf(model).endpointOperations;
  if (operations.length === 0) return;
  const service = model.hyphenizedServiceId;
  const handler = (args: EventArgs): undefined => {
    (args.request as HttpRequest).headers['x-amz-api-version'] = model.apiVersion;
    return undefined;
  };
  // Last on the operation's own name: botocore's handler is on bare before-call, after any
  // more specific handler of the user's.
  for (const op of operations) events.registerLast(`before-call.${service}.${op}`, handler, `inject-api-version-header-${op}`);
}

// ---------------------------------------------------------------- set_operation_specific_signer

/** Signing names botocore signs with its S3 signers (handlers.S3_SIGNING_NAMES). */
const S3_SIGNING_NAMES = new Set(['s3', 's3-outposts', 's3-object-lambda', 's3express']);

/**
 * botocore's set_operation_specific_signer for the operations where it changes inia's choice:
 * auth 'none' answers UNSIGNED (no signature, no credentials looked up); v4-unsigned-body /
 * unsignedPayload turn payload signing off (the signer then sends x-amz-content-sha256:
 * UNSIGNED-PAYLOAD) and sign with v4 (s3v4 for S3's signing names). Its other answers need no
 * handler: plain v4 is resolveSignatureVersion's default, and no model has an
 * operation-level bearer or v4a. (The core also starts a noAuth operation as UNSIGNED,
 * client.ts isUnsigned, so it skips the account-id lookup and signs nothing without handlers.)
 */
function registerOperationSigner(events: HierarchicalEmitter, model: ServiceModel): void {
  const facts = factsOf(model);
  const service = model.hyphenizedServiceId;
  // registerLast on the operation's name: botocore's handler is on bare choose-signer, after
  // the user's specific handlers (which may answer another signer first), before the user's
  // generic ones registered after the client was made.
  for (const op of facts.noAuthOperations) events.registerLast(`choose-signer.${service}.${op}`, answerUnsigned, `set-operation-specific-signer-${op}`);
  for (const op of facts.unsignedPayloadOperations) events.registerLast(`choose-signer.${service}.${op}`, unsignedBodySigner, `set-operation-specific-signer-${op}`);
}

function answerUnsigned(): typeof UNSIGNED {
  return UNSIGNED;
}

function unsignedBodySigner(args: EventArgs): SignatureVersion {
  (args.context as Record<string, unknown>).payloadSigningEnabled = false;
  return S3_SIGNING_NAMES.has(args.signingName as string) ? 's3v4' : 'v4';
}

// ---------------------------------------------------------------- _set_auth_scheme_preference_signer

/** botocore's AUTH_PREF_TO_SIGNATURE_VERSION. */
const PREFERENCE_TO_SIGNATURE_VERSION: Readonly<Record<string, string>> = { sigv4: 'v4', sigv4a: 'v4a', httpBearerAuth: 'bearer', noAuth: 'none' };

/** The signature versions inia signs with (botocore's AUTH_TYPE_MAPS without CRT: no v4a). */
const SUPPORTED_SIGNATURE_VERSIONS = new Set(['v4', 'bearer']);

/** Services whose bearer token may come from AWS_BEARER_TOKEN_<SIGNING NAME> (botocore's get_bearer_auth_supported_services). */
const BEARER_ENV_SERVICES = new Set(['bedrock']);

/** botocore's UnsupportedSignatureVersionError. */
export class UnsupportedSignatureVersionError extends IniaError {
  constructor(readonly signatureVersion: string) {
    super(`Signature version(s) are not supported: ${signatureVersion}`);
  }
}

/** botocore's normalisation of auth_scheme_preference: blanks dropped, empty items left out. */
export function normalizeAuthSchemePreference(value: string): string[] {
  return value
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item) => item.replace(/[ \t]/g, ''));
}

/**
 * botocore's auth.resolve_auth_scheme_preference: the preferred schemes the service offers
 * first, then the service's own order; the first inia can sign with.
 */
export function resolveAuthSchemePreference(preference: readonly string[], authOptions: readonly string[]): string {
  const supported = authOptions.map((scheme) => scheme.slice(scheme.lastIndexOf('#') + 1));
  const ordered = [...new Set([...preference, ...supported])].filter((scheme) => supported.includes(scheme));
  for (const scheme of ordered) {
    if (scheme === 'noAuth') return 'none';
    const version = PREFERENCE_TO_SIGNATURE_VERSION[scheme];
    if (version !== undefined && SUPPORTED_SIGNATURE_VERSIONS.has(version)) return version;
  }
  throw new UnsupportedSignatureVersionError([...supported].sort().join(', '));
}

/** botocore's _get_bearer_env_var_name. */
export function bearerTokenEnvName(signingName: string): string {
  return `AWS_BEARER_TOKEN_${signingName.replace(/[- ]/g, '_').toUpperCase()}`;
}

function registerAuthSchemePreference(events: HierarchicalEmitter, setup: ClientSetup): void {
  const authOptions = setup.serviceModel.metadata.auth as string[] | undefined;
  // With SigV4 (and v4a, which inia signs as botocore without CRT does: not at all) as the
  // only choices, botocore's handler answers v4 or nothing: inia's default already.
  if (!authOptions?.some((scheme) => scheme === 'smithy.api#httpBearerAuth' || scheme === 'smithy.api#noAuth')) return;
  const signingName = setup.serviceModel.signingName;
  const configured = setup.config.get('signatureVersion');
  const signatureVersionInCode = setup.userConfig.get('signatureVersion') !== undefined;
  const preferenceInCode = setup.userConfig.get('authSchemePreference') !== undefined;
  const preferenceValue = setup.config.get('authSchemePreference');
  const preference = preferenceValue !== undefined ? normalizeAuthSchemePreference(preferenceValue) : [];
  // botocore resolves the client's token when it makes the client (ScopedEnvTokenProvider).
  const token = BEARER_ENV_SERVICES.has(signingName) ? setup.env[bearerTokenEnvName(signingName)] : undefined;
  const bearerOffered = authOptions.includes('smithy.api#httpBearerAuth');
  events.register('choose-signer', (args: EventArgs): SignatureVersion | undefined => {
    let resolved: SignatureVersion | undefined = configured;
    if (!signatureVersionInCode && preference.length > 0) {
      const version = resolveAuthSchemePreference(preference, authOptions);
      resolved = version === 'none' ? UNSIGNED : version;
    }
    // A bearer token in the environment wins unless the code chose otherwise.
    if (bearerOffered && token !== undefined && (resolved === 'bearer' || !(signatureVersionInCode || preferenceInCode))) resolved = 'bearer';
    if (resolved === 'bearer') (args.context as Record<string, unknown>)[AUTH_TOKEN_CONTEXT_KEY] = token;
    return resolved === configured ? undefined : resolved;
  }, 'set-auth-scheme-preference-signer');
}

// ---------------------------------------------------------------- disable_signing

/** botocore's disable_signing on the operations that take no AWS credentials (cognito-identity, sts). */
const UNSIGNED_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  'cognito-identity': ['GetId', 'GetOpenIdToken', 'UnlinkIdentity', 'GetCredentialsForIdentity'],
  sts: ['AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'],
};

function disableSigning(): typeof UNSIGNED {
  return UNSIGNED;
}

/**
 * Registered as botocore does, on each operation's own name, so (as in botocore) a user's
 * handler on that name overrides it only with registerFirst, and one on a more specific
 * name would too. The models mark these operations noAuth already; the handler keeps
 * botocore's answer when a user's generic choose-signer handler would answer otherwise.
 */
export function registerDisableSigning(events: HierarchicalEmitter, setup: ClientSetup): void {
  const service = setup.serviceModel.hyphenizedServiceId;
  for (const op of UNSIGNED_OPERATIONS[setup.serviceModel.serviceName] ?? []) events.register(`choose-signer.${service}.${op}`, disableSigning, `disable-signing-${op}`);
}

// ---------------------------------------------------------------- registration

/** EVERY_CLIENT: the handlers each client gets, whatever its service. */
export function registerCommonCustomizations(events: HierarchicalEmitter, setup: ClientSetup): void {
  registerRecursionDetection(events, setup.env);
  registerApiVersionHeader(events, setup.serviceModel);
  registerOperationSigner(events, setup.serviceModel);
  registerAuthSchemePreference(events, setup);
}

/** utils.SERVICE_NAME_ALIASES: names botocore still accepts for renamed services. */
export const SERVICE_NAME_ALIASES: Readonly<Record<string, string>> = { 'runtime.sagemaker': 'sagemaker-runtime' };

/** SESSION_CUSTOMIZATIONS: choose-service-name and creating-serializer.<service>. */
export function registerCommonSessionCustomizations(events: HierarchicalEmitter): void {
  events.register('choose-service-name', (args: EventArgs) => {
    const name = args.serviceName;
    return typeof name === 'string' && Object.hasOwn(SERVICE_NAME_ALIASES, name) ? SERVICE_NAME_ALIASES[name] : name;
  }, 'handle-service-name-alias');
  events.register('creating-serializer.bedrock-agentcore', (args: EventArgs) => {
    (args.serializerKwargs as SerializerOptions).timestampPrecision = 'millisecond';
    return undefined;
  }, 'enable-millisecond-timestamp-precision');
}
