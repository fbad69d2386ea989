/**
 * Builds a client from a ServiceModel: one lowerCamelCase method per operation (generated at
 * runtime, no per-service code), `meta`, and `exceptions`. The request path of one call is
 * `makeApiCall` below; each step is one module's interface (see ARCHITECTURE.md).
 */
import type * as CallKit from './call-kit.js';
import { AUTH_TOKEN_CONTEXT_KEY, UNSIGNED, resolveSignatureVersion, type SignatureVersion } from './auth/choice.js';
import { getWaiter as getWaiterFor, waiterNames as waiterNamesFor, type Waiter } from './waiter.js';
import { canPaginate as canPaginateFor, getPaginator as getPaginatorFor, type Paginator } from './paginate.js';
import type { PresignUrlOptions, PresignedPost, PresignedPostParams } from './presign-options.js';
import { CONFIG_DEFAULTS, type Config } from './config.js';
import type { CredentialCache } from './credentials/chain.js';
import type { CredentialsData } from './credentials/types.js';
import { ClientError, IniaError, InvalidOptionError, NoRegionError, type ErrorResponse } from './errors.js';
import type { EventArgs, EventHandler, HierarchicalEmitter } from './events.js';
import type { EndpointResolver, ResolvedEndpoint } from './endpoints/resolver.js';
import type { SigningClock } from './retries/clock-skew.js';
import { isReadable, nodeCrypto } from './builtins.js';
import { CHECKSUM_CONTEXT_KEY } from './checksums/context.js';
import { buildHttpRequest } from './http/request.js';
import type { HttpClient, HttpRequest, HttpResponse } from './http/types.js';
import type { OperationModel, ServiceModel } from './models/shapes.js';
import { loadProtocol, type ProtocolName, type SerializerOptions } from './protocols/choose.js';
import type { Protocol, RawResponse } from './protocols/types.js';
import type { Params, Parsed } from './protocols/types.js';
import { VERSION } from './version.js';

/** Options of one call, the second argument of every operation method. */
export interface CallOptions {
  /** Cancels the call: the request in flight, a retry's wait, or a rate limiter's wait. */
  abortSignal?: AbortSignal;
}

export type OperationMethod = (params?: Params, options?: CallOptions) => Promise<Parsed>;
export type ClientErrorClass = new (response: ErrorResponse, operationName: string) => ClientError;

export interface ClientMeta {
  readonly serviceName: string;
  readonly region: string | undefined;
  readonly endpointUrl: string;
  readonly serviceModel: ServiceModel;
  readonly config: Config;
  readonly events: HierarchicalEmitter;
  readonly partition: string;
  /** lowerCamelCase method name -> model operation name. */
  readonly methodToApiMapping: Readonly<Record<string, string>>;
}

/** What a client needs, assembled by the Session from options, config and environment. */
export interface ClientContext {
  serviceModel: ServiceModel;
  /** The wire protocol chosen when the client was made; its code is loaded by the first call (callPath). */
  protocolName: ProtocolName;
  /** The creating-serializer handlers' options (botocore's serializer_kwargs). */
  serializerOptions: SerializerOptions | undefined;
  /** The call path, once loaded (see callPath). */
  loaded?: CallPath;
  region: string | undefined;
  endpointResolver: EndpointResolver;
  endpointUrl: string;
  partition: string;
  credentials: CredentialCache;
  http: HttpClient;
  config: Config;
  events: HierarchicalEmitter;
  injectHostPrefix: boolean;
  userAgent: string;
  /** The clock requests are signed with (corrected after a clock-skew error, see retries/clock-skew.ts). */
  signingClock: SigningClock;
  /** Sends of one call at most: the retry mode's attempts, plus room for a redirect. */
  maxSends: number;
  /** The service's paginators-1 / waiters-2 document (read on first use), or {} when it has none. */
  loadServiceData: (type: 'paginators-1' | 'waiters-2') => Record<string, unknown>;
}

/** What a client's calls run on: the request path's code and the client's protocol. */
export interface CallPath {
  readonly kit: typeof CallKit;
  readonly protocol: Protocol;
}

let kit: typeof CallKit | undefined;

/**
 * The call path of a client: loaded by its first call (or presign), then kept on the context,
 * so that a warm call pays one property read, never an await.
 */
export function callPath(ctx: ClientContext): CallPath | Promise<CallPath> {
  return ctx.loaded ?? loadCallPath(ctx);
}

async function loadCallPath(ctx: ClientContext): Promise<CallPath> {
  const [loadedKit, protocol] = await Promise.all([kit ?? import('./call-kit.js'), loadProtocol(ctx.protocolName, ctx.serializerOptions)]);
  kit = loadedKit;
  // Two first calls at once both load; the first to finish is the one kept.
  return (ctx.loaded ??= { kit: loadedKit, protocol });
}

/** Per-operation facts computed on first call, not per call. */
interface OperationPlan {
  model: OperationModel;
  idempotencyMembers: readonly string[];
  unsigned: boolean;
  streamingOutput: boolean;
  /** The operation has the httpChecksum or httpChecksumRequired trait (checksums/ has work to do). */
  checksums: boolean;
  /** The full names of the events one call emits, built once ('before-call.dynamodb.GetItem'). */
  events: Readonly<Record<CallEvent, string>>;
}

/** The events of one call, in botocore's order (before-endpoint-resolution is the resolver's). */
const CALL_EVENTS = [
  'provide-client-params',
  'before-parameter-build',
  'before-call',
  'request-created',
  'choose-signer',
  'before-sign',
  'before-send',
  'before-parse',
  'response-received',
  'needs-retry',
  'after-call',
  'after-call-error',
] as const;

type CallEvent = (typeof CALL_EVENTS)[number];

/** The exceptions namespace: one ClientError subclass per modeled error, plus the base. */
export interface ClientExceptions {
  readonly ClientError: typeof ClientError;
  readonly [errorShapeName: string]: ClientErrorClass;
}

/** botocore's RequestSigner.handler: signs the request the call hands it (`args.sign`). */
function signRequestHandler(args: EventArgs): Promise<void> {
  return (args.sign as () => Promise<void>)();
}

/**
 * The context a client was made with, for inia's own modules that build on a client
 * (presigning, the Stubber); not part of the public API.
 */
const CONTEXTS = new WeakMap<BaseClient, ClientContext>();

export function clientContext(client: BaseClient): ClientContext {
  const ctx = CONTEXTS.get(client);
  if (ctx === undefined) throw new TypeError('Not an inia client');
  return ctx;
}

export class BaseClient {
  readonly meta: ClientMeta;
  readonly #ctx: ClientContext;
  readonly #plans = new Map<string, OperationPlan>();

  constructor(ctx: ClientContext) {
    this.#ctx = ctx;
    CONTEXTS.set(this, ctx);
    const service = ctx.serviceModel.hyphenizedServiceId;
    ctx.events.register(`request-created.${service}`, signRequestHandler, `request-signer-${service}`);
    this.meta = Object.freeze({
      serviceName: ctx.serviceModel.serviceName,
      region: ctx.region,
      endpointUrl: ctx.endpointUrl,
      serviceModel: ctx.serviceModel,
      config: ctx.config,
      events: ctx.events,
      partition: ctx.partition,
      methodToApiMapping: methodMapping(ctx.serviceModel),
    });
  }

  get exceptions(): ClientExceptions {
    return exceptionsFor(this.#ctx.serviceModel).namespace;
  }

  /** botocore's can_paginate: 'listObjectsV2' or 'ListObjectsV2'. */
  canPaginate(operationName: string): boolean {
    return canPaginateFor(this, operationName);
  }

  /** botocore's get_paginator; an operation without one is OperationNotPageableError. */
  getPaginator(operationName: string): Paginator {
    return getPaginatorFor(this, operationName);
  }

  /** botocore's waiter_names, in lowerCamelCase ('bucketExists'). */
  get waiterNames(): string[] {
    return waiterNamesFor(this);
  }

  /** botocore's get_waiter: `getWaiter('bucketExists').wait({ Bucket, WaiterConfig: { Delay, MaxAttempts } })`. */
  getWaiter(name: string): Waiter {
    return getWaiterFor(this, name);
  }

  /** botocore's generate_presigned_url: a SigV4 presigned URL for any operation ('getObject' or 'GetObject'). */
  async generatePresignedUrl(operation: string, params: Params = {}, options: PresignUrlOptions = {}): Promise<string> {
    const { generatePresignedUrl } = await import('./presign.js');
    return generatePresignedUrl(this, operation, params, options);
  }

  /** botocore's generate_presigned_post: a browser-form upload to S3 (S3 clients only). */
  async generatePresignedPost(params: PresignedPostParams): Promise<PresignedPost> {
    const { generatePresignedPost } = await import('./presign.js');
    return generatePresignedPost(this, params);
  }

  /** Closes pooled connections; the client must not be used afterwards. */
  destroy(): void {
    this.#ctx.http.destroy();
  }

  /** Runs one operation by its model name ('GetItem'); the generated methods call this. */
  async makeApiCall(operationName: string, params: Params = {}, options?: CallOptions): Promise<Parsed> {
    const ctx = this.#ctx;
    const plan = this.#plan(operationName);
    const events = ctx.events;
    const signal = callSignal(options, operationName);
    signal?.throwIfAborted();
    // The first call of a client loads the request path's code (a warm call reads one property).
    const { kit: k, protocol } = ctx.loaded ?? (await loadCallPath(ctx));
    signal?.throwIfAborted();
    const context: Record<string, unknown> = {};

    if (events.hasHandlers(plan.events['provide-client-params'])) {
      const responses = await events.emit(plan.events['provide-client-params'], { params, model: plan.model, context });
      params = lastParamsResponse(responses) ?? params;
    }
    if (events.hasHandlers(plan.events['before-parameter-build'])) {
      // Handlers may add or change parameters (as botocore's do): on a copy, never the caller's object.
      params = { ...params };
      await events.emit(plan.events['before-parameter-build'], { params, model: plan.model, context });
    }
    // botocore's own before-parameter-build handlers, which run after the user's (and the
    // Stubber's) specific ones: idempotency tokens, and S3's ChecksumMode=ENABLED under
    // when_supported. Both on a copy.
    params = prepareParams(params, plan);
    if (plan.checksums) params = k.prepareChecksumParams(plan.model, params, ctx.config);
    // botocore's ParamValidationDecorator: every problem at once, before anything is resolved or sent.
    if (ctx.config.get('parameterValidation') !== false) k.validateParams(params, plan.model.inputShape, operationName);

    if (ctx.endpointResolver.needsAccountId === true && !plan.unsigned && context.stubberSkipsAccountId !== true) {
      // The account-id endpoints (DynamoDB) need the credentials' account before the URL.
      context.accountId = (await ctx.credentials.get()).accountId;
    }
    let endpoint = ctx.endpointResolver.resolve(plan.model, params, context);
    const serialized = protocol.serialize(params, plan.model);
    k.maybeCompressRequest(serialized, plan.model, ctx.config);
    const request = buildHttpRequest(endpoint, serialized, { userAgent: ctx.userAgent, injectHostPrefix: ctx.injectHostPrefix });
    // Flexible checksums: which algorithm the request carries (header or trailer) and which the answer is checked with.
    // Over plain http botocore signs every S3 payload: a stream of unknown length is read first
    // (one of known length is signed in chunks as it is sent; auth/sigv4-streaming.ts).
    if (request.protocol === 'http:' && k.isOneShotBody(request.body) && !plan.unsigned && resolveSignatureVersion(ctx.serviceModel.metadata, endpoint.signingName) === 's3v4') {
      await k.bufferUnsizedStream(request);
    }
    if (plan.checksums) k.resolveRequestChecksum(request, plan.model, params, ctx.config, context);
    if (events.hasHandlers(plan.events['before-call'])) {
      // `client` stands for botocore's request_signer (RDS's and EC2's presigned-URL injection sign with it).
      const [, short] = await events.emitUntilResponse(plan.events['before-call'], { model: plan.model, params, request, context, client: this });
      if (short !== null && short !== undefined) {
        // An answer instead of the service's (the Stubber's): botocore's pair [httpResponse,
        // parsed], or the parsed result alone. after-call sees it, and an httpResponse status
        // of 300 or more raises the parsed error, as in botocore's _make_api_call.
        const [httpResponse, answered] = beforeCallAnswer(short);
        if (events.hasHandlers(plan.events['after-call'])) {
          await events.emit(plan.events['after-call'], { parsed: answered, httpResponse, model: plan.model, context });
        }
        if (httpResponse !== undefined && httpResponse.statusCode >= 300) throw makeError(ctx.serviceModel, answered as unknown as ErrorResponse, operationName, context);
        return answered;
      }
    }
    // A body that can be read only once (a stream the caller handed over) cannot be sent again;
    // a FileHandle is opened afresh for each attempt. Taken after before-call, whose handlers
    // may rewrite the body (RDS's PreSignedUrl).
    const body = request.body;
    const resendable = !k.isOneShotBody(body);

    let parsed!: Parsed;
    // The service's error answer; its ClientError is made after after-call (a handler may set context.errorCodeOverride).
    let failed: ErrorResponse | undefined;
    let response: RawResponse | undefined;
    // botocore's retries context: the invocation id and attempt count sent as amz-sdk-* headers.
    const retries: RetriesContext = { 'invocation-id': k.randomUUID() };
    context.retries = retries;
    try {
      // Bounded: the retry handlers stop at the configured attempts; this only guards against
      // a user handler that keeps answering "retry".
      for (let attempt = 1; ; attempt++) {
        response = undefined;
        failed = undefined;
        let caught: unknown;
        request.body = body;
        await k.resolveRequestBody(request);
        if (context[CHECKSUM_CONTEXT_KEY] !== undefined) await k.applyRequestChecksum(request, context);
        if (attempt > 1) {
          // The last attempt's retry headers are not signed (as botocore's); only then is a delete
          // worth its cost (it turns the headers object into a slower dictionary).
          delete request.headers['amz-sdk-invocation-id'];
          delete request.headers['amz-sdk-request'];
        }
        // The signer is a request-created handler, as in botocore: more specific handlers
        // (request-created.<service>.<Operation>) run before it, generic ones after.
        const created = events.handlersFor(plan.events['request-created']);
        const signNow = (): Promise<void> => this.#sign(k, plan, request, endpoint, params, context);
        if (created.length === 1 && created[0] === signRequestHandler) await signNow();
        else if (created.length > 0) await events.emit(plan.events['request-created'], { request, operationName: plan.model.name, context, sign: signNow });
        // A stream the signer did not send as signed chunks gets its unsigned checksum encoding.
        if (context[CHECKSUM_CONTEXT_KEY] !== undefined) k.finishRequestChecksum(request, context);
        addRetryHeaders(request, retries, attempt);
        try {
          if (events.hasHandlers(plan.events['before-send'])) {
            const [, short] = await events.emitUntilResponse(plan.events['before-send'], { request, context, signal });
            if (short !== null && short !== undefined) response = short as RawResponse;
          }
          response ??= await receive(k, await ctx.http.send(request, signal ? { signal } : undefined), plan.streamingOutput);
        } catch (err) {
          // A cancelled call ends now; anything else the transport raised is the retry mode's to judge.
          if (signal?.aborted === true) throw err;
          caught = err;
        }
        if (response !== undefined) {
          // A buffered body that fails its checksum is an error now (not retried, as botocore);
          // a streamed one is checked as it is read.
          if (context[CHECKSUM_CONTEXT_KEY] !== undefined) response = await k.handleResponseChecksum(response, context);
          if (events.hasHandlers(plan.events['before-parse'])) {
            await events.emit(plan.events['before-parse'], { operationModel: plan.model, response, context });
          }
          if (response.statusCode >= 300) {
            // A streamed answer that turned out to be an error is read whole to parse it.
            if (response.stream) response = await receive(k, { statusCode: response.statusCode, headers: response.headers, body: response.stream }, false);
            const errorResponse = k.parseErrorResponse(protocol, response, plan.model);
            parsed = errorResponse as unknown as Parsed;
            failed = errorResponse;
            context.clockSkewCorrected = ctx.signingClock.correctFrom(errorResponse.Error.Code, errorResponse.Error.Message, response.headers);
          } else {
            parsed = protocol.parse(response, plan.model);
            context.clockSkewCorrected = false;
          }
          // The sends before this one (botocore's RetryAttempts), on results and errors alike.
          const meta = (parsed as { ResponseMetadata?: { RetryAttempts?: number } }).ResponseMetadata;
          if (meta !== undefined) meta.RetryAttempts = attempt - 1;
        }
        if (events.hasHandlers(plan.events['response-received'])) {
          await events.emit(plan.events['response-received'], { response, parsed: response !== undefined ? parsed : undefined, exception: caught, context });
        }
        let delay = attempt < ctx.maxSends ? this.#needsRetry(plan, { response: response !== undefined ? parsed : undefined, httpResponse: response, caughtException: caught, operation: plan.model, attempts: attempt, params, context, client: this, request }) : null;
        if (delay !== null && typeof delay === 'object') delay = await delay;
        if (delay === null || !resendable) {
          if (caught !== undefined) throw caught;
          break;
        }
        // The answer being retried is dropped: a streamed body left unread would hold its socket.
        response?.stream?.destroy();
        const ttl = response?.headers.date !== undefined ? retryTtl(response.headers.date, ctx.config.get('readTimeout') ?? CONFIG_DEFAULTS.readTimeout) : undefined;
        if (ttl !== undefined) retries.ttl = ttl;
        if (delay > 0) await k.sleep(delay * 1000, signal ? { signal } : undefined);
        signal?.throwIfAborted();
        // The endpoint may have changed (S3's region redirect): its host, the request's own path
        // (botocore's set_request_url), signed anew on the next pass.
        endpoint = ctx.endpointResolver.resolve(plan.model, params, context);
        request.protocol = endpoint.protocol;
        request.hostname = (ctx.injectHostPrefix === false ? '' : serialized.hostPrefix ?? '') + endpoint.hostname;
        request.port = endpoint.port;
        for (const [name, value] of Object.entries(endpoint.headers)) request.headers[name] = value;
      }
    } catch (err) {
      if (events.hasHandlers(plan.events['after-call-error'])) {
        await events.emit(plan.events['after-call-error'], { exception: err, context });
      }
      throw err;
    }
    if (events.hasHandlers(plan.events['after-call'])) {
      await events.emit(plan.events['after-call'], { parsed, httpResponse: response, model: plan.model, context });
    }
    if (failed !== undefined) throw makeError(ctx.serviceModel, failed, operationName, context);
    return parsed;
  }

  /** Credentials, the auth scheme's identity, then the signature (each attempt signs anew, as botocore). */
  /**
   * Credentials, the signer and the identity, then the signature (each attempt signs anew, as
   * botocore). Events, as botocore's: `choose-signer` (a handler may answer another signature
   * version), `before-sign` (S3 Express answers the bucket's session credentials).
   */
  async #sign(k: typeof CallKit, plan: OperationPlan, request: HttpRequest, endpoint: ResolvedEndpoint, params: Params, context: Record<string, unknown>): Promise<void> {
    const ctx = this.#ctx;
    const events = ctx.events;
    // An operation the model marks unsigned (auth none / noAuth) starts as UNSIGNED, botocore's
    // set_operation_specific_signer answer; choose-signer handlers may still pick a signer.
    const choosing = events.hasHandlers(plan.events['choose-signer']);
    if (plan.unsigned && !choosing) return;
    const region = endpoint.signingRegion;
    let signatureVersion: SignatureVersion = plan.unsigned ? UNSIGNED : resolveSignatureVersion(ctx.serviceModel.metadata, endpoint.signingName);
    if (choosing) {
      const [, chosen] = await events.emitUntilResponse(plan.events['choose-signer'], { signingName: endpoint.signingName, regionName: region, signatureVersion, context });
      if (typeof chosen === 'string' || chosen === UNSIGNED) signatureVersion = chosen;
    }
    // botocore.UNSIGNED: no signature, and no credentials looked up (AssumeRoleWithWebIdentity has none yet).
    if (signatureVersion === UNSIGNED) return;
    if (!region) throw new NoRegionError();
    // A bearer token needs no AWS credentials.
    let credentials: CredentialsData | undefined = signatureVersion === 'bearer' ? undefined : await ctx.credentials.get();
    if (events.hasHandlers(plan.events['before-sign'])) {
      const [, identity] = await events.emitUntilResponse(plan.events['before-sign'], { request, endpoint, params, credentials, client: this, context, operationName: plan.model.name, signingName: endpoint.signingName, regionName: region, signatureVersion });
      // Session credentials for an S3 Express bucket come from a customization (S3's CreateSession).
      if (identity !== null && identity !== undefined) credentials = identity as CredentialsData;
      else if (endpoint.authScheme === 'sigv4-s3express') throw new IniaError(`No identity for the auth scheme sigv4-s3express of ${endpoint.url}`);
    } else if (endpoint.authScheme === 'sigv4-s3express') {
      throw new IniaError(`No identity for the auth scheme sigv4-s3express of ${endpoint.url}`);
    }
    const clock = ctx.signingClock;
    // context.payloadSigningEnabled === false: botocore's v4-unsigned-body (set by the choose-signer handler).
    let payloadHash = (plan.checksums ? k.checksumPayloadHash(context) : undefined) ?? (context.payloadSigningEnabled === false && signatureVersion === 'v4' ? k.UNSIGNED_PAYLOAD : undefined);
    // A file body (Lambda Invoke's Payload as a FileHandle) is hashed from the file, as botocore
    // hashes a seekable body; S3's signer has its own ways with streams (auth/index.ts).
    if (payloadHash === undefined && signatureVersion === 'v4' && isReadable(request.body) && request.headers['x-amz-content-sha256'] === undefined) {
      const file = k.fileSourceOf(request.body);
      if (file !== undefined) payloadHash = await k.sha256OfFile(file);
    }
    k.sign(request, credentials, {
      signatureVersion,
      region,
      service: endpoint.signingName,
      payloadHash,
      date: clock.offsetMs !== 0 ? clock.now() : undefined,
      token: context[AUTH_TOKEN_CONTEXT_KEY] as string | undefined,
    });
  }

  /**
   * botocore's _needs_retry: every handler runs (the adaptive limiter must see each answer);
   * the first that answers decides. A number is the delay in seconds before the next attempt;
   * nothing, or false, means the call ends with this attempt. Synchronous while the handlers
   * are (inia's retry modes are): this runs after every attempt of every call, and two promise
   * layers here measurably slowed a warm GetItem.
   */
  #needsRetry(plan: OperationPlan, args: Record<string, unknown>): number | null | Promise<number | null> {
    const name = plan.events['needs-retry'];
    const handlers = this.#ctx.events.handlersFor(name);
    if (handlers.length === 0) return null;
    // One arguments object for all handlers (botocore hands each the same keyword arguments).
    const eventArgs = args as EventArgs;
    eventArgs.eventName = name;
    let decided: unknown = null;
    for (let i = 0; i < handlers.length; i++) {
      const answer = handlers[i]!(eventArgs);
      if (isPromiseLike(answer)) return this.#needsRetryAsync(handlers, i, answer, eventArgs, decided);
      decided ??= answer;
    }
    return retryDelay(decided);
  }

  async #needsRetryAsync(handlers: readonly EventHandler[], index: number, pending: PromiseLike<unknown>, args: EventArgs, decided: unknown): Promise<number | null> {
    decided ??= await pending;
    for (let i = index + 1; i < handlers.length; i++) {
      let answer = handlers[i]!(args);
      if (isPromiseLike(answer)) answer = await answer;
      decided ??= answer;
    }
    return retryDelay(decided);
  }


  #plan(operationName: string): OperationPlan {
    let plan = this.#plans.get(operationName);
    if (plan === undefined) {
      const model = this.#ctx.serviceModel.operationModel(operationName);
      plan = {
        model,
        idempotencyMembers: idempotencyMembers(model),
        unsigned: isUnsigned(model, this.#ctx.config),
        streamingOutput: model.hasStreamingOutput,
        checksums: model.def.httpChecksum !== undefined || model.def.httpChecksumRequired === true,
        events: Object.fromEntries(CALL_EVENTS.map((e) => [e, `${e}.${this.#ctx.serviceModel.hyphenizedServiceId}.${operationName}`])) as Record<CallEvent, string>,
      };
      this.#plans.set(operationName, plan);
    }
    return plan;
  }
}

/**
 * A before-call handler's answer: botocore's `[httpResponse, parsed]` (httpResponse a
 * RawResponse-like `{ statusCode, headers, body }`), or inia's shorthand, the parsed result
 * alone (a parsed result is never an array, so the two cannot be confused).
 */
function beforeCallAnswer(answer: unknown): [RawResponse | undefined, Parsed] {
  if (!Array.isArray(answer)) return [undefined, answer as Parsed];
  const [httpResponse, parsed] = answer as [unknown, unknown];
  if (answer.length !== 2 || typeof httpResponse !== 'object' || httpResponse === null || typeof (httpResponse as { statusCode?: unknown }).statusCode !== 'number') {
    throw new IniaError('A before-call handler answered with an array that is not [httpResponse, parsed] (httpResponse with a numeric statusCode)');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new IniaError('A before-call handler answered [httpResponse, parsed] with a parsed value that is not an object');
  return [httpResponse as RawResponse, parsed as Parsed];
}

/** Fill idempotency tokens (botocore does so for top-level members) without touching the caller's object. */
function prepareParams(params: Params, plan: OperationPlan): Params {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    // Let the serializer produce the typed error with the operation's context.
    return params;
  }
  return fillIdempotencyTokens(params, plan.idempotencyMembers);
}

/** The operation's top-level idempotency-token members (botocore fills only those). */
export function idempotencyMembers(model: OperationModel): string[] {
  const members: string[] = [];
  for (const [name, member] of model.inputShape?.members ?? []) if (member.isIdempotencyToken) members.push(name);
  return members;
}

/** botocore's generate_idempotent_uuid: a UUID v4 for each token member left unset, on a copy. */
export function fillIdempotencyTokens(params: Params, members: readonly string[]): Params {
  let copy: Params | undefined;
  for (const name of members) {
    if (params[name] === undefined) {
      copy ??= { ...params };
      copy[name] = nodeCrypto().randomUUID();
    }
  }
  return copy ?? params;
}

interface RetriesContext {
  'invocation-id': string;
  attempt?: number;
  max?: number;
  ttl?: string;
}

/**
 * botocore's add_retry_headers: `amz-sdk-invocation-id` (one per call) and `amz-sdk-request`
 * (`ttl=...; attempt=n; max=m`, each part once known). Added after signing, as botocore's
 * handler runs after its signer, so they are not signed.
 */
function addRetryHeaders(request: HttpRequest, retries: RetriesContext, attempt: number): void {
  retries.attempt = attempt;
  request.headers['amz-sdk-invocation-id'] = retries['invocation-id'];
  let value = retries.ttl !== undefined ? `ttl=${retries.ttl}; attempt=${attempt}` : `attempt=${attempt}`;
  if (retries.max !== undefined) value += `; max=${retries.max}`;
  request.headers['amz-sdk-request'] = value;
}

/** The time by which the server should give up on a retry: now + read timeout, on the server's clock (botocore's _calculate_ttl). */
function retryTtl(dateHeader: string, readTimeoutSeconds: number): string | undefined {
  const server = Date.parse(dateHeader);
  if (!Number.isFinite(server)) return undefined;
  const now = Date.now();
  const ttl = new Date(now + readTimeoutSeconds * 1000 + (server - now));
  return ttl.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** A needs-retry answer as a delay: a non-negative number of seconds, else no retry (null, undefined, false). */
function retryDelay(answer: unknown): number | null {
  return typeof answer === 'number' && answer >= 0 ? answer : null;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

const CALL_OPTIONS = ['abortSignal'];

/** The call's AbortSignal, after checking the options (a typo must not silently drop a cancellation). */
function callSignal(options: CallOptions | undefined, operationName: string): AbortSignal | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(operationName, 'options', 'expected an object such as { abortSignal }');
  for (const key of Object.keys(options)) {
    if (!CALL_OPTIONS.includes(key)) throw new InvalidOptionError(operationName, key, `unknown call option; expected one of ${CALL_OPTIONS.join(', ')}`);
  }
  const signal = options.abortSignal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidOptionError(operationName, 'abortSignal', 'expected an AbortSignal');
  return signal;
}

function lastParamsResponse(responses: Array<[unknown, unknown]>): Params | undefined {
  for (let i = responses.length - 1; i >= 0; i--) {
    const value = responses[i]![1];
    if (value !== null && typeof value === 'object') return value as Params;
  }
  return undefined;
}

/**
 * The operation is sent without a signature: the client's Config says UNSIGNED (botocore's
 * signature_version=UNSIGNED, for anonymous access), or the model says so (auth type none,
 * smithy noAuth, an unsigned service).
 */
export function isUnsigned(model: OperationModel, config?: Config): boolean {
  if (config !== undefined && config.get('signatureVersion') === UNSIGNED) return true;
  if (model.authType === 'none') return true;
  const auth = model.def.auth as string[] | undefined;
  if (auth && auth.length > 0 && auth.every((a) => a === 'smithy.api#noAuth')) return true;
  return model.serviceModel.signatureVersion === 'none' ? true : false;
}

const EMPTY = new Uint8Array(0);

/** Reads the body, except the success body of an operation whose output streams (left to StreamingBody). */
async function receive(k: typeof CallKit, response: HttpResponse, streamingOutput: boolean): Promise<RawResponse> {
  if (streamingOutput && response.statusCode < 300) return { statusCode: response.statusCode, headers: response.headers, body: EMPTY, stream: response.body };
  const body = await k.readBody(response);
  return { statusCode: response.statusCode, headers: response.headers, body };
}

// ---------------------------------------------------------------- exceptions

interface ExceptionRegistry {
  namespace: ClientExceptions;
  byCode: Map<string, ClientErrorClass>;
}

const exceptionCache = new WeakMap<ServiceModel, ExceptionRegistry>();

/** One class per error shape per service model, so `instanceof` holds across clients of a service. */
function exceptionsFor(model: ServiceModel): ExceptionRegistry {
  let registry = exceptionCache.get(model);
  if (registry === undefined) {
    const namespace: Record<string, ClientErrorClass | typeof ClientError> = { ClientError };
    const byCode = new Map<string, ClientErrorClass>();
    for (const shape of model.errorShapes) {
      const cls = namedErrorClass(shape.name);
      namespace[shape.name] = cls;
      byCode.set(shape.errorCode!, cls);
    }
    registry = { namespace: Object.freeze(namespace) as ClientExceptions, byCode };
    exceptionCache.set(model, registry);
  }
  return registry;
}

function namedErrorClass(name: string): ClientErrorClass {
  // The class's own name shows in stack traces and util.inspect, as the modeled name.
  const cls = class extends ClientError {};
  Object.defineProperty(cls, 'name', { value: name });
  return cls;
}

/**
 * The class is looked up by the error's Code, or by context.errorCodeOverride when an after-call
 * handler set one (botocore's error_code_override: SQS's modeled errors are found by the
 * x-amzn-query-error shape name, see customizations/sqs.ts).
 */
function makeError(model: ServiceModel, response: ErrorResponse, operationName: string, context: Record<string, unknown>): ClientError {
  const override = context.errorCodeOverride;
  // A handler's parsed error may lack Error (botocore's .get('Error', {})): the base class then.
  const code = (typeof override === 'string' && override !== '' ? override : undefined) ?? (response.Error as ErrorResponse['Error'] | undefined)?.Code;
  const cls = (code !== undefined ? exceptionsFor(model).byCode.get(code) : undefined) ?? ClientError;
  return new cls(response, operationName);
}

// ---------------------------------------------------------------- generated methods

/** 'ListObjectsV2' -> 'listObjectsV2', the same rule the AWS SDK v3 uses. */
export function methodName(operationName: string): string {
  return operationName.charAt(0).toLowerCase() + operationName.slice(1);
}

function methodMapping(model: ServiceModel): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const op of model.operationNames) mapping[methodName(op)] = op;
  return Object.freeze(mapping);
}

const classCache = new WeakMap<ServiceModel, new (ctx: ClientContext) => BaseClient>();

/**
 * A client class for a service: BaseClient plus one method per operation, made once per model.
 * botocore's creating-client-class.<service> is emitted on `events` (the session's) before the
 * class is made: handlers add methods to `classAttributes` (RDS's generateDbAuthToken, method
 * aliases), which the class then carries.
 */
export function clientClassFor(model: ServiceModel, events?: HierarchicalEmitter): new (ctx: ClientContext) => BaseClient {
  let cls = classCache.get(model);
  if (cls === undefined) {
    const classAttributes: Record<string, unknown> = {};
    events?.emitSync(`creating-client-class.${model.hyphenizedServiceId}`, { classAttributes, serviceModel: model });
    const generated = class extends BaseClient {};
    Object.defineProperty(generated, 'name', { value: `${model.serviceId.replace(/[^A-Za-z0-9]/g, '')}Client` });
    for (const op of model.operationNames) {
      const name = methodName(op);
      // An operation named like a BaseClient member would shadow it; the model wins only for new names.
      if (name in BaseClient.prototype) continue;
      Object.defineProperty(generated.prototype, name, {
        value: function (this: BaseClient, params?: Params, options?: CallOptions) {
          return this.makeApiCall(op, params, options);
        },
        writable: true,
        configurable: true,
      });
    }
    for (const [name, value] of Object.entries(classAttributes)) {
      Object.defineProperty(generated.prototype, name, { value, writable: true, configurable: true });
    }
    classCache.set(model, generated);
    cls = generated;
  }
  return cls;
}

export { VERSION };
