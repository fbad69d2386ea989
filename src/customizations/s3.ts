/** S3's quirks, as botocore's handlers treat them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { OperationModel } from '../models/shapes.js';
import type { RawResponse } from '../protocols/types.js';
import { registerS3ExpectHeader } from './s3-expect.js';
import { registerS3ParamHandlers } from './s3-params-events.js';
import { registerS3XmlHandlers } from './s3-xml-events.js';
import { unquotePlus } from './python-quoting.js';

/** What the registry hands a client's registrar (customizations/index.ts); only the session's environment is read here. */
interface S3Setup {
  readonly env?: NodeJS.ProcessEnv;
}

export function registerS3Customizations(events: HierarchicalEmitter, setup?: S3Setup): void {
  // botocore's built-in handlers come before the client's own (the redirector's), in BUILTIN_HANDLERS order.
  registerS3ParamHandlers(events);
  registerS3XmlHandlers(events);
  events.registerFirst('before-parse.s3', handle200Error, 's3-200-error');
  events.register('before-endpoint-resolution.s3', customizeEndpointBuiltins, 's3-endpoint-builtins');
  registerS3ExpectHeader(events, setup?.env);
  const redirector = new RegionRedirector();
  events.register('before-parameter-build.s3', (args) => redirector.annotate(args), 's3-redirect-annotate');
  events.register('before-endpoint-resolution.s3', (args) => redirector.fromCache(args), 's3-redirect-from-cache');
  events.register('needs-retry.s3', (args) => redirector.fromError(args), 's3-redirect-from-error');
  const express = new ExpressSessions();
  events.register('before-sign.s3', (args) => express.identity(args), 's3-express-identity');
  for (const [operation, decode] of Object.entries(LISTING_KEYS)) {
    events.register(`before-parameter-build.s3.${operation}`, setEncodingTypeUrl, `s3-encoding-type-${operation}`);
    events.register(`after-call.s3.${operation}`, (args) => decodeListing(args, decode), `s3-decode-listing-${operation}`);
  }
}

/**
 * botocore's set_list_objects_encoding_type_url and decode_list_object*: listings are asked for
 * with EncodingType=url (so keys with characters XML cannot carry survive), and the keys are
 * decoded back (unquote_plus) before the caller sees them, unless the caller asked for an encoding.
 */
const LISTING_KEYS: Record<string, { top: string[]; nested: Array<[string, string]> }> = {
  ListObjects: { top: ['Delimiter', 'Marker', 'NextMarker'], nested: [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']] },
  ListObjectsV2: { top: ['Delimiter', 'Prefix', 'StartAfter'], nested: [['Contents', 'Key'], ['CommonPrefixes', 'Prefix']] },
  ListObjectVersions: { top: ['KeyMarker', 'NextKeyMarker', 'Prefix', 'Delimiter'], nested: [['Versions', 'Key'], ['DeleteMarkers', 'Key'], ['CommonPrefixes', 'Prefix']] },
};

function setEncodingTypeUrl(args: EventArgs): void {
  const params = args.params as Record<string, unknown>;
  if (params.EncodingType === undefined) {
    (args.context as Record<string, unknown>).encodingTypeAutoSet = true;
    params.EncodingType = 'url';
  }
}

function decodeListing(args: EventArgs, keys: { top: string[]; nested: Array<[string, string]> }): void {
  const parsed = args.parsed as Record<string, unknown>;
  if (parsed.EncodingType !== 'url' || (args.context as Record<string, unknown>).encodingTypeAutoSet !== true) return;
  for (const key of keys.top) if (typeof parsed[key] === 'string') parsed[key] = unquotePlus(parsed[key] as string);
  for (const [list, key] of keys.nested) {
    const items = parsed[list];
    if (!Array.isArray(items)) continue;
    for (const item of items as Array<Record<string, unknown>>) if (typeof item[key] === 'string') item[key] = unquotePlus(item[key] as string);
  }
}

/**
 * botocore's customize_endpoint_resolver_builtins: GetBucketLocation always goes path-style
 * (the bucket's region is what it asks for, so virtual hosting could sign for the wrong one),
 * and an ARN as Bucket never does (access points have their own hosts).
 */
function customizeEndpointBuiltins(args: EventArgs): void {
  const builtins = args.builtins as Record<string, unknown>;
  const operation = args.model as OperationModel;
  const bucket = (args.params as Record<string, unknown>).Bucket;
  const isArn = typeof bucket === 'string' && bucket.startsWith('arn:') && bucket.split(':').length >= 6;
  if (operation.name === 'GetBucketLocation') builtins['AWS::S3::ForcePathStyle'] = true;
  else if (isArn) builtins['AWS::S3::ForcePathStyle'] = false;
}

/** Handlers that change the model itself: registered on the session, run when a model is loaded. */
export function registerS3ModelCustomizations(events: HierarchicalEmitter): void {
  events.register('service-data-loaded.s3', removeBucketFromUrlPaths, 's3-remove-bucket-from-url-paths');
}

/**
 * botocore's remove_bucket_from_url_paths_from_model: the endpoint rule set puts the bucket in
 * the URL (host or path), so the operations' '/{Bucket}' prefix would put it there twice. The
 * session's copy of the service data is changed, never the loader's.
 */
function removeBucketFromUrlPaths(args: EventArgs): void {
  const data = args.serviceData as { operations: Record<string, { http?: { requestUri?: string } }> };
  const operations: typeof data.operations = {};
  for (const [name, operation] of Object.entries(data.operations)) {
    const uri = operation.http?.requestUri;
    operations[name] = uri?.startsWith('/{Bucket}') ? { ...operation, http: { ...operation.http, requestUri: uri.slice('/{Bucket}'.length) } } : operation;
  }
  data.operations = operations;
}

/**
 * S3 can answer 200 with an <Error> body (CompleteMultipartUpload, CopyObject, UploadPartCopy,
 * ...) or cut such a body short. botocore turns that into a 500 so it is raised (and retried),
 * never returned as a result. Outputs whose payload is a blob or string are left alone: their
 * body is the user's data.
 */
async function handle200Error(args: EventArgs): Promise<void> {
  const response = args.response as RawResponse;
  const operation = args.operationModel as OperationModel;
  if (response.statusCode !== 200 || response.stream !== undefined || response.body.length === 0) return;
  const output = operation.outputShape;
  if (!output || output.eventStreamName !== undefined) return;
  const payload = output.serialization.payload;
  if (payload !== undefined) {
    const type = output.members.get(payload)?.typeName;
    if (type === 'blob' || type === 'string') return;
  }
  if (await looksLikeError(response.body)) response.statusCode = 500;
}

async function looksLikeError(body: Uint8Array): Promise<boolean> {
  // The XML reader is the rest-xml protocol's, loaded with the client's first call: imported
  // here, not with the package, so that a client of another protocol never compiles it.
  const { peekXmlRoot } = await import('../protocols/xml/reader.js');
  // Only the root's name and whether the document is complete matter: no full parse of a
  // large listing just for this check.
  const root = peekXmlRoot(body);
  // A truncated or unreadable body (a connection dropped mid-answer) counts as a server error too.
  return root === undefined || !root.closed || root.name === 'Error';
}

/**
 * botocore's S3RegionRedirectorv2, per client: a request that S3 answers with "wrong region"
 * (301/302/307, PermanentRedirect, AuthorizationHeaderMalformed with the Region, a 301/400 to
 * HeadObject or HeadBucket, IllegalLocationConstraintException outside CreateBucket) is sent once
 * more to the bucket's region, taken from x-amz-bucket-region or the error's Region; the region
 * is remembered, so later calls for the bucket go there directly. Never for access point ARNs,
 * never twice for one call.
 */
class RegionRedirector {
  /** Bucket -> region; bounded, oldest dropped first. */
  readonly #regions = new Map<string, string>();

  /** When the answer names no region, HEAD the bucket: S3 says x-amz-bucket-region, in success or error. */
  async #headBucketRegion(client: unknown, bucket: string): Promise<string | undefined> {
    const head = (client as { headBucket?: (p: Record<string, unknown>) => Promise<Record<string, unknown>> }).headBucket;
    if (head === undefined) return undefined;
    try {
      const out = await head.call(client, { Bucket: bucket });
      return (out.ResponseMetadata as { HTTPHeaders?: Record<string, string> } | undefined)?.HTTPHeaders?.['x-amz-bucket-region'];
    } catch (err) {
      return (err as { response?: { ResponseMetadata?: { HTTPHeaders?: Record<string, string> } } }).response?.ResponseMetadata?.HTTPHeaders?.['x-amz-bucket-region'];
    }
  }

  annotate(args: EventArgs): void {
    const params = args.params as Record<string, unknown>;
    (args.context as Record<string, unknown>).s3Redirect = { redirected: false, bucket: params.Bucket };
  }

  fromCache(args: EventArgs): void {
    const bucket = (args.params as Record<string, unknown>).Bucket;
    const region = typeof bucket === 'string' ? this.#regions.get(bucket) : undefined;
    if (region !== undefined) (args.builtins as Record<string, unknown>)['AWS::Region'] = region;
  }

  async fromError(args: EventArgs): Promise<number | undefined> {
    const context = args.context as { s3Redirect?: { redirected: boolean; bucket: unknown } };
    const redirect = context.s3Redirect;
    if (redirect === undefined || redirect.redirected || typeof redirect.bucket !== 'string' || redirect.bucket.startsWith('arn:')) return undefined;
    // An attempt that threw (a connection error) has no answer to redirect from.
    if (args.response === undefined || args.response === null) return undefined;
    const response = args.response as { Error?: { Code?: string; Region?: string }; ResponseMetadata?: { HTTPHeaders?: Record<string, string> } };
    const http = args.httpResponse as RawResponse | undefined;
    const operation = args.operation as OperationModel;
    const code = response.Error?.Code;
    const headers = response.ResponseMetadata?.HTTPHeaders ?? http?.headers ?? {};
    const status = http?.statusCode;
    const redirectable =
      ((code === '301' || code === '400') && operation.name === 'HeadObject') ||
      ((code === '301' || code === '400') && operation.name === 'HeadBucket' && 'x-amz-bucket-region' in headers) ||
      (code === 'AuthorizationHeaderMalformed' && response.Error?.Region !== undefined) ||
      status === 301 ||
      status === 302 ||
      status === 307 ||
      code === 'PermanentRedirect' ||
      (code === 'IllegalLocationConstraintException' && operation.name !== 'CreateBucket');
    if (!redirectable) return undefined;
    // HeadBucket itself is not answered with another HEAD (that could go on forever).
    const region = headers['x-amz-bucket-region'] ?? response.Error?.Region ?? (operation.name === 'HeadBucket' ? undefined : await this.#headBucketRegion(args.client, redirect.bucket));
    if (region === undefined || !/^[a-z0-9-]{1,64}$/i.test(region)) return undefined;
    if (this.#regions.size >= 1024) this.#regions.delete(this.#regions.keys().next().value as string);
    this.#regions.set(redirect.bucket, region);
    redirect.redirected = true;
    return 0;
  }
}

interface ExpressSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: number;
}

/**
 * S3 Express One Zone session auth (botocore's S3ExpressIdentityResolver and S3ExpressAuth), per
 * client: a directory bucket's requests are signed with the credentials CreateSession returns
 * for that bucket (asked once per bucket however many calls wait, kept until a minute before
 * they expire), their token in x-amz-s3session-token and no x-amz-security-token.
 */
class ExpressSessions {
  readonly #sessions = new Map<string, ExpressSession>();
  readonly #pending = new Map<string, Promise<ExpressSession>>();

  /** Synchronous for every other bucket: before-sign runs on every signed S3 call. */
  identity(args: EventArgs): Promise<{ accessKeyId: string; secretAccessKey: string }> | undefined {
    const endpoint = args.endpoint as { authScheme?: string };
    if (endpoint.authScheme !== 'sigv4-s3express') return undefined;
    const bucket = (args.params as Record<string, unknown>).Bucket;
    if (typeof bucket !== 'string') return undefined;
    return this.#expressIdentity(args, bucket);
  }

  async #expressIdentity(args: EventArgs, bucket: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    const client = args.client as { createSession?: (p: Record<string, unknown>) => Promise<Record<string, unknown>> };
    let session = this.#sessions.get(bucket);
    if (session === undefined || session.expiration - Date.now() < 60_000) session = await this.#create(bucket, client);
    const request = args.request as { headers: Record<string, string> };
    request.headers['x-amz-s3session-token'] = session.sessionToken;
    delete request.headers['x-amz-security-token'];
    return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey };
  }

  #create(bucket: string, client: { createSession?: (p: Record<string, unknown>) => Promise<Record<string, unknown>> }): Promise<ExpressSession> {
    let pending = this.#pending.get(bucket);
    if (pending === undefined) {
      pending = client.createSession!({ Bucket: bucket })
        .then((out) => {
          const c = out.Credentials as { AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: Date };
          const session = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration.getTime() };
          if (this.#sessions.size >= 100) this.#sessions.delete(this.#sessions.keys().next().value as string);
          this.#sessions.set(bucket, session);
          return session;
        })
        .finally(() => this.#pending.delete(bucket));
      this.#pending.set(bucket, pending);
    }
    return pending;
  }
}
