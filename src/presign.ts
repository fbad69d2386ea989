/**
 * Presigned URLs for any operation and presigned POSTs for S3, as botocore's signers.py
 * generate_presigned_url and generate_presigned_post build them: the request is made exactly
 * as a call would make it (the call's parameter events, endpoint rule set, serializer), minus
 * what only a sent request carries (User-Agent, Content-Length, checksums, retry headers), and
 * then signed with SigV4 in the query string (auth/sigv4-query.ts) or as a POST policy
 * (auth/presign-post.ts). Nothing is sent.
 */
import { validateParams } from './validate.js';
import { resolveSignatureVersion } from './auth/index.js';
import { signPostPolicy, type PolicyCondition } from './auth/presign-post.js';
import { parseQueryToDict, presignRequest, type QueryValue } from './auth/sigv4-query.js';
import { callPath, clientContext, fillIdempotencyTokens, idempotencyMembers, isUnsigned, type BaseClient, type ClientContext } from './client.js';
import type { CredentialsData } from './credentials/types.js';
import type { ResolvedEndpoint } from './endpoints/resolver.js';
import { IniaError, InvalidOptionError, NoRegionError, UnknownOperationError } from './errors.js';
import type { EventArgs } from './events.js';
import { buildHttpRequest } from './http/request.js';
import type { HttpRequest } from './http/types.js';
import type { OperationModel } from './models/shapes.js';
import type { Params } from './protocols/types.js';
import { DEFAULT_PRESIGN_EXPIRES, MAX_PRESIGN_EXPIRES, PresignError, type PresignUrlOptions, type PresignedPost, type PresignedPostParams } from './presign-options.js';

export { DEFAULT_PRESIGN_EXPIRES, MAX_PRESIGN_EXPIRES, PresignError, type PresignUrlOptions, type PresignedPost, type PresignedPostParams };

/** For inia's own tests: signing at a fixed time instead of the client's signing clock. */
export interface PresignInternals {
  date?: Date;
}

const URL_OPTIONS = ['expiresIn', 'httpMethod'];
const POST_PARAMS = ['Bucket', 'Key', 'Fields', 'Conditions', 'ExpiresIn'];

/**
 * botocore's generate_presigned_url. `methodOrOperationName` is a client method name
 * ('getObject') or the model's operation name ('GetObject').
 */
export async function generatePresignedUrl(
  client: BaseClient,
  methodOrOperationName: string,
  params: Params = {},
  options: PresignUrlOptions = {},
  internals: PresignInternals = {},
): Promise<string> {
  const where = 'generatePresignedUrl';
  const ctx = clientContext(client);
  checkKeys(where, options, URL_OPTIONS);
  const expiresIn = checkExpires(where, 'expiresIn', options.expiresIn ?? DEFAULT_PRESIGN_EXPIRES, MAX_PRESIGN_EXPIRES);
  if (options.httpMethod !== undefined && (typeof options.httpMethod !== 'string' || !/^[A-Za-z]+$/.test(options.httpMethod))) {
    throw new InvalidOptionError(where, 'httpMethod', `expected an HTTP method such as 'GET' or 'PUT', got ${JSON.stringify(options.httpMethod)}`);
  }
  const operationName = resolveOperationName(client, methodOrOperationName);
  const prepared = await prepareRequest(client, ctx, operationName, params);
  const { request, model, endpoint } = prepared;
  if (options.httpMethod !== undefined) request.method = options.httpMethod;

  // botocore's choose-signer answers UNSIGNED for these: the URL is the request's, with no auth.
  if (isUnsigned(model, ctx.config)) return urlOf(request);

  const signer = await signingIdentity(client, ctx, prepared);
  const bodyParams = bodyToQueryParams(request, (await callPath(ctx)).protocol.name, operationName);
  return presignRequest(request, signer.credentials, {
    region: signer.region,
    service: endpoint.signingName,
    expiresIn,
    date: internals.date ?? ctx.signingClock.now(),
    s3: signer.s3,
    tokenParameter: signer.express ? 'X-Amz-S3session-Token' : 'X-Amz-Security-Token',
    bodyParams,
  }).url;
}

/** botocore's generate_presigned_post (S3 only). */
export async function generatePresignedPost(client: BaseClient, params: PresignedPostParams, internals: PresignInternals = {}): Promise<PresignedPost> {
  const where = 'generatePresignedPost';
  const ctx = clientContext(client);
  if (ctx.serviceModel.hyphenizedServiceId !== 's3') {
    throw new InvalidOptionError(where, 'client', `presigned POSTs are an S3 feature; this is a ${ctx.serviceModel.serviceId} client`);
  }
  if (typeof params !== 'object' || params === null) throw new InvalidOptionError(where, 'params', 'expected { Bucket, Key, Fields?, Conditions?, ExpiresIn? }');
  checkKeys(where, params, POST_PARAMS);
  const { Bucket, Key } = params;
  if (typeof Bucket !== 'string' || Bucket === '') throw new InvalidOptionError(where, 'Bucket', `expected a bucket name, got ${JSON.stringify(Bucket)}`);
  if (typeof Key !== 'string' || Key === '') throw new InvalidOptionError(where, 'Key', `expected an object key, got ${JSON.stringify(Key)}`);
  if (params.Fields !== undefined && (typeof params.Fields !== 'object' || params.Fields === null || Array.isArray(params.Fields))) {
    throw new InvalidOptionError(where, 'Fields', 'expected an object of form field names to string values');
  }
  if (params.Conditions !== undefined && !Array.isArray(params.Conditions)) {
    throw new InvalidOptionError(where, 'Conditions', 'expected an array of conditions ({ field: value } or [operator, $field, value])');
  }
  const expiresIn = checkExpires(where, 'ExpiresIn', params.ExpiresIn ?? DEFAULT_PRESIGN_EXPIRES, undefined);
  // Copies: the caller's objects are not extended.
  const fields: Record<string, string> = { ...(params.Fields ?? {}) };
  const conditions: PolicyCondition[] = [...(params.Conditions ?? [])];

  // CreateBucket's request is the bucket's URL with nothing after it: what a POST goes to.
  const prepared = await prepareRequest(client, ctx, 'CreateBucket', { Bucket });
  conditions.push({ bucket: Bucket });
  // With ${filename} the final key is the browser's to complete: only its prefix can be fixed.
  if (Key.endsWith('${filename}')) conditions.push(['starts-with', '$key', Key.slice(0, -'${filename}'.length)]);
  else conditions.push({ key: Key });
  fields.key = Key;

  const signer = await signingIdentity(client, ctx, prepared);
  const signed = signPostPolicy(fields, conditions, signer.credentials, {
    region: signer.region,
    service: prepared.endpoint.signingName,
    date: internals.date ?? ctx.signingClock.now(),
    expiresIn,
    tokenField: signer.express ? 'X-Amz-S3session-Token' : 'x-amz-security-token',
  });
  return { url: urlOf(prepared.request), fields: signed.fields };
}

// ---------------------------------------------------------------- the request

interface PreparedRequest {
  model: OperationModel;
  params: Params;
  endpoint: ResolvedEndpoint;
  request: HttpRequest;
  context: Record<string, unknown>;
}

/**
 * The request a call would build, as botocore's presigners build it: _emit_api_params
 * (provide-client-params, before-parameter-build), the endpoint rule set (with S3's
 * global-endpoint rule for presigning), the serializer, and prepare_request_dict without a
 * User-Agent. No before-call, no checksum, no compression: botocore runs none of them here.
 */
async function prepareRequest(client: BaseClient, ctx: ClientContext, operationName: string, input: Params): Promise<PreparedRequest> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidOptionError('generatePresignedUrl', 'params', `expected an object of ${operationName}'s parameters`);
  }
  const model = ctx.serviceModel.operationModel(operationName);
  // The client's protocol and the request path's code (a presign before any call loads them).
  const { protocol } = await callPath(ctx);
  const service = ctx.serviceModel.hyphenizedServiceId;
  const context: Record<string, unknown> = { isPresignRequest: true, useGlobalEndpoint: shouldUseGlobalEndpoint(ctx) };
  let params = fillIdempotencyTokens(input, idempotencyMembers(model));

  const events = ctx.events;
  const provide = `provide-client-params.${service}.${operationName}`;
  if (events.hasHandlers(provide)) {
    const responses = await events.emit(provide, { params, model, context });
    // botocore's first_non_none_response.
    for (const [, value] of responses) {
      if (value !== null && value !== undefined && typeof value === 'object') {
        params = value as Params;
        break;
      }
    }
  }
  const build = `before-parameter-build.${service}.${operationName}`;
  if (events.hasHandlers(build)) {
    params = { ...params };
    await events.emit(build, { params, model, context });
  }

  // As a call: botocore validates the parameters of a presigned request too.
  if (ctx.config.get('parameterValidation') !== false) validateParams(params, model.inputShape, operationName);
  if (service === 's3') events.registerFirst('before-endpoint-resolution.s3', presignGlobalEndpointBuiltins, 'inia-presign-global-endpoint');
  if (ctx.endpointResolver.needsAccountId === true && !isUnsigned(model, ctx.config)) context.accountId = (await ctx.credentials.get()).accountId;
  const endpoint = ctx.endpointResolver.resolve(model, params, context);
  const serialized = protocol.serialize(params, model);
  const request = buildHttpRequest(endpoint, serialized, { injectHostPrefix: ctx.injectHostPrefix });
  // botocore computes Content-Length when it sends, after signing: only one the serializer set
  // (S3's ContentLength member) is part of the request being presigned.
  if (serialized.headers['content-length'] === undefined) delete request.headers['content-length'];
  return { model, params, endpoint, request, context };
}

/** botocore's _should_use_global_endpoint: presigned S3 URLs go to s3.amazonaws.com unless the configuration pins a region's endpoint. */
function shouldUseGlobalEndpoint(ctx: ClientContext): boolean {
  if (ctx.partition !== 'aws') return false;
  const s3 = ctx.config.get('s3');
  if (s3 === undefined) return true;
  if (s3.useDualstackEndpoint === true) return false;
  if (s3.usEast1RegionalEndpoint === 'regional' && ctx.region === 'us-east-1') return false;
  if (s3.addressingStyle === 'virtual') return false;
  return true;
}

// botocore's VALID_HOST_LABEL_RE: a bucket that is not a DNS label must go path-style.
const VALID_HOST_LABEL = /^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$/;

/**
 * The presigning half of botocore's customize_endpoint_resolver_builtins: a presigned S3 URL
 * for a virtual-hostable bucket uses the global endpoint (region aws-global), whatever the
 * client's region; it is still signed for the client's region. Registered first so that the
 * region redirector's cached bucket region, as in botocore, wins over it.
 */
export function presignGlobalEndpointBuiltins(args: EventArgs): void {
  const context = args.context as Record<string, unknown> | undefined;
  if (context?.useGlobalEndpoint !== true) return;
  const builtins = args.builtins as Record<string, unknown>;
  const model = args.model as OperationModel;
  const bucket = (args.params as Record<string, unknown>).Bucket;
  const bucketName = typeof bucket === 'string' ? bucket : undefined;
  if (bucketName !== undefined && !VALID_HOST_LABEL.test(bucketName)) return;
  if (builtins['AWS::S3::ForcePathStyle'] === true || model.name === 'GetBucketLocation') return;
  if (bucketName !== undefined && (isArn(bucketName) || bucketName.endsWith('--x-s3'))) return;
  builtins['AWS::Region'] = 'aws-global';
  builtins['AWS::S3::UseGlobalEndpoint'] = true;
}

function isArn(value: string): boolean {
  return value.startsWith('arn:') && value.split(':').length >= 6;
}

// ---------------------------------------------------------------- signing

interface SigningIdentity {
  credentials: CredentialsData;
  region: string;
  /** S3's flavour of SigV4 (UNSIGNED-PAYLOAD, path signed as given). */
  s3: boolean;
  /** S3 Express One Zone session credentials (their token has its own parameter name). */
  express: boolean;
}

/**
 * Credentials and region the presigned request is signed with. As botocore's presigners
 * (ignore_signing_region), an S3 request is signed for the client's region, not the endpoint's
 * (the global endpoint answers for every region), unless the bucket is an ARN, whose region
 * the endpoint carries. Other services sign for the endpoint's signing region, which is the
 * client's but for global services (IAM: us-east-1), as botocore's client-level signer.
 */
async function signingIdentity(client: BaseClient, ctx: ClientContext, prepared: PreparedRequest): Promise<SigningIdentity> {
  const { endpoint, params, request, context, model } = prepared;
  let credentials: CredentialsData = await ctx.credentials.get();
  const s3 = resolveSignatureVersion(ctx.serviceModel.metadata, endpoint.signingName) === 's3v4';
  const bucket = params.Bucket;
  const ignoreEndpointRegion = s3 && !(typeof bucket === 'string' && isArn(bucket));
  const region = (ignoreEndpointRegion ? ctx.region : undefined) ?? endpoint.signingRegion;
  if (!region) throw new NoRegionError();
  const express = endpoint.authScheme === 'sigv4-s3express';
  // before-sign runs for presigned requests too, as botocore's signer emits it (context.isPresignRequest
  // says which: Polly's SynthesizeSpeech drops its Content-Type then). Session credentials for an S3
  // Express bucket come from S3's customization (CreateSession), as for a call.
  const event = `before-sign.${ctx.serviceModel.hyphenizedServiceId}.${model.name}`;
  const [, identity] = ctx.events.hasHandlers(event)
    ? await ctx.events.emitUntilResponse(event, { request, endpoint, params, credentials, client, context, operationName: model.name, signingName: endpoint.signingName, regionName: region, signatureVersion: s3 ? 's3v4-query' : 'v4-query' })
    : [null, null];
  if (express) {
    if (identity === null || identity === undefined) throw new IniaError(`No identity for the auth scheme sigv4-s3express of ${endpoint.url}`);
    credentials = identity as CredentialsData;
  }
  return { credentials, region, s3, express };
}

/**
 * SigV4QueryAuth moves the body's parameters into the query: a query-protocol form body, or a
 * JSON body's top-level members (each written as Python's str() writes it). Any other body
 * (XML, a blob, CBOR) has no query form: botocore fails on it too.
 */
function bodyToQueryParams(request: HttpRequest, protocol: string, operationName: string): Map<string, QueryValue> | undefined {
  const body = request.body;
  if (body === undefined || (typeof body === 'string' && body === '') || (body instanceof Uint8Array && body.byteLength === 0)) return undefined;
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw new PresignError(`Cannot presign ${operationName}: a streaming body cannot be carried in a URL; presign without the body and send it with the request`);
  }
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (protocol === 'query' || protocol === 'ec2') return parseQueryToDict(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PresignError(`Cannot presign ${operationName}: its request body (${protocol}) cannot be moved into a URL's query string; presign without the body members and send the body with the request`);
  }
  const out = new Map<string, QueryValue>();
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    out.set(key, Array.isArray(value) ? value.map((v) => pythonStr(v)) : pythonStr(value));
  }
  return out;
}

/** Python's str() of a JSON value (percent_encode's str(value)): True, None, 1.5, "{'a': 1}". */
function pythonStr(value: unknown): string {
  return typeof value === 'string' ? value : pythonRepr(value);
}

function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    let out = '';
    for (const c of value) {
      if (c === quote || c === '\\') out += `\\${c}`;
      else if (c === '\n') out += '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\t') out += '\\t';
      else if (c < ' ' || c === '\u007f') out += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
      else out += c;
    }
    return `${quote}${out}${quote}`;
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ')}}`;
}

// ---------------------------------------------------------------- helpers

function resolveOperationName(client: BaseClient, name: string): string {
  if (typeof name !== 'string') throw new InvalidOptionError('generatePresignedUrl', 'method', `expected an operation or method name, got ${typeof name}`);
  const mapped = client.meta.methodToApiMapping[name];
  if (mapped !== undefined) return mapped;
  if (client.meta.serviceModel.operationNames.includes(name)) return name;
  throw new UnknownOperationError(client.meta.serviceName, name);
}

function checkKeys(where: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(where, 'options', `expected an object such as { ${known.join(', ')} }`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new InvalidOptionError(where, key, `unknown option; expected one of ${known.join(', ')}`);
  }
}

function checkExpires(where: string, option: string, value: unknown, max: number | undefined): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidOptionError(where, option, `expected a whole number of seconds, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
  }
  if (value <= 0) throw new InvalidOptionError(where, option, `must be at least 1 second, got ${value}`);
  if (max !== undefined && value > max) {
    throw new InvalidOptionError(where, option, `must be at most ${max} seconds (7 days): SigV4 presigned URLs cannot live longer, got ${value}`);
  }
  return value;
}

/** The request's URL: scheme://host[:port]path[?query], the port only when not the scheme's default. */
function urlOf(request: HttpRequest): string {
  const host = request.hostname.includes(':') ? `[${request.hostname}]` : request.hostname;
  const defaultPort = request.protocol === 'https:' ? 443 : 80;
  const port = request.port === undefined || request.port === defaultPort ? '' : `:${request.port}`;
  return `${request.protocol}//${host}${port}${request.path}${request.query ? `?${request.query}` : ''}`;
}
