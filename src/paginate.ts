/**
 * Paginators, as botocore's paginate.py: driven by the service's paginators-1 document
 * ({ input_token, output_token, more_results?, limit_key?, result_key, non_aggregate_keys? }
 * per operation), no per-service code. S3 ListObjects' missing NextMarker needs nothing special:
 * its output_token is the JMESPath `NextMarker || Contents[-1].Key`.
 *
 *   const pages = getPaginator(s3, 'listObjectsV2').paginate({ Bucket, PaginationConfig: { PageSize: 100 } });
 *   for await (const page of pages) ...
 *
 * Tokens handed out (NextToken, resumeToken) are botocore's (see paginate/token.ts), so boto3
 * and inia resume each other's.
 *
 * One deliberate difference: each iteration of a PageIterator starts again from the parameters
 * given to paginate() (botocore reuses the dictionary its previous iteration filled with tokens,
 * so iterating twice, e.g. a loop then build_full_result, resumes mid-way by accident).
 */
import { clientContext, type BaseClient, type CallOptions } from './client.js';
import { OperationNotPageableError, PaginationError, UnknownOperationError, type ResponseMetadata } from './errors.js';
import type { Params, Parsed } from './protocols/types.js';
import { decodeToken, encodeToken, isPlainObject, TokenDecodeError, type TokenDict } from './paginate/token.js';
import { Expression, mergeDicts, pyEqual, pyLen, pyRepr, pySlice, pyTruthy, setValueFromJmespath } from './paginate/values.js';

export { decodeToken, encodeToken, type TokenDict } from './paginate/token.js';

/** The `PaginationConfig` member of paginate()'s parameters (removed before anything is sent). */
export interface PaginationConfig {
  /** Items of the first result key to return in all, across pages; the rest is left for NextToken. */
  MaxItems?: number;
  /** Items per request, sent as the operation's limit key (MaxKeys, Limit, MaxResults...). */
  PageSize?: number | string;
  /** A NextToken / resumeToken from an earlier pagination (inia's or boto3's). */
  StartingToken?: string;
}

export type PaginateParams = Params & { PaginationConfig?: PaginationConfig };

export type Page = Parsed;

/** A page of a typed paginator: the operation's output plus ResponseMetadata. */
export type TypedPage<Output> = Output & { ResponseMetadata: ResponseMetadata };

/**
 * paginate()'s arguments: the parameters may be left out only when the operation has no
 * required member (typed paginators; an untyped one takes any object).
 */
export type PaginateArgs<Input> = {} extends Input
  ? [params?: Input & { PaginationConfig?: PaginationConfig }, options?: CallOptions]
  : [params: Input & { PaginationConfig?: PaginationConfig }, options?: CallOptions];

/** One operation's entry in paginators-1, as the model data spells it. */
export interface PaginatorConfigData {
  input_token: string | string[];
  output_token: string | string[];
  more_results?: string;
  limit_key?: string;
  result_key?: string | string[];
  non_aggregate_keys?: string[];
}

const PAGINATION_CONFIG_KEYS = ['MaxItems', 'PageSize', 'StartingToken'] as const;
const TRUNCATE_KEY = 'boto_truncate_amount';

/** A paginators-1 entry with its expressions compiled, once per document and operation (internal: made by getPaginator()). */
export interface PaginatorSpec {
  inputTokens: readonly string[];
  outputTokens: readonly Expression[];
  moreResults: Expression | undefined;
  limitKey: string | undefined;
  resultKeys: readonly Expression[];
  nonAggregateKeys: readonly Expression[];
}

const specCache = new WeakMap<object, Map<string, PaginatorSpec>>();

// ---------------------------------------------------------------- entry points

/**
 * botocore's can_paginate. Takes the method name ('listObjectsV2') or the model's operation
 * name ('ListObjectsV2'); false for a name the service does not have (botocore raises KeyError).
 */
export function canPaginate(client: BaseClient, name: string): boolean {
  const operation = resolveOperation(client, name);
  return operation !== undefined && paginationDocument(client)[operation] !== undefined;
}

/**
 * botocore's get_paginator. Throws UnknownOperationError for a name the service does not have
 * and OperationNotPageableError for an operation without a paginator.
 */
export function getPaginator(client: BaseClient, name: string): Paginator {
  const operation = resolveOperation(client, name);
  if (operation === undefined) throw new UnknownOperationError(client.meta.serviceModel.serviceName, name);
  const document = paginationDocument(client);
  const data = document[operation];
  if (data === undefined) throw new OperationNotPageableError(name);
  let specs = specCache.get(document);
  if (specs === undefined) specCache.set(document, (specs = new Map()));
  let spec = specs.get(operation);
  if (spec === undefined) specs.set(operation, (spec = compileSpec(client.meta.serviceModel.serviceName, operation, data)));
  return new Paginator(client, operation, spec);
}

function resolveOperation(client: BaseClient, name: string): string | undefined {
  if (typeof name !== 'string') return undefined;
  const mapping = client.meta.methodToApiMapping;
  if (Object.prototype.hasOwnProperty.call(mapping, name)) return mapping[name];
  return client.meta.serviceModel.hasOperation(name) ? name : undefined;
}

function paginationDocument(client: BaseClient): Record<string, PaginatorConfigData> {
  const pagination = clientContext(client).loadServiceData('paginators-1').pagination;
  return isPlainObject(pagination) ? (pagination as Record<string, PaginatorConfigData>) : {};
}

function compileSpec(service: string, operation: string, data: PaginatorConfigData): PaginatorSpec {
  const where = `the ${service} ${operation} paginator`;
  const list = (value: string | string[] | undefined, key: string): string[] => {
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === 'string')) throw new PaginationError(`${where} has a ${key} that is not a string or list of strings`);
    return items;
  };
  const inputTokens = list(data.input_token, 'input_token');
  const outputTokens = list(data.output_token, 'output_token');
  if (inputTokens.length === 0 || outputTokens.length === 0) throw new PaginationError(`${where} has no input_token or output_token`);
  const resultKeys = list(data.result_key, 'result_key');
  if (resultKeys.length === 0) throw new PaginationError(`${where} has no result_key`);
  return {
    inputTokens,
    outputTokens: outputTokens.map((e) => new Expression(e, where)),
    moreResults: data.more_results === undefined ? undefined : new Expression(data.more_results, where),
    limitKey: data.limit_key,
    resultKeys: resultKeys.map((e) => new Expression(e, where)),
    nonAggregateKeys: list(data.non_aggregate_keys, 'non_aggregate_keys').map((e) => new Expression(e, where)),
  };
}

// ---------------------------------------------------------------- Paginator

/**
 * botocore's Paginator: one operation's pagination rules, and paginate() to run them.
 * `Input` and `Output` are the operation's shapes for a typed client (see typed-clients.ts).
 */
export class Paginator<Input extends object = Params, Output extends object = Parsed> {
  readonly #client: BaseClient;
  readonly #spec: PaginatorSpec;

  /** Made by getPaginator(). */
  constructor(client: BaseClient, readonly operationName: string, spec: PaginatorSpec) {
    this.#client = client;
    this.#spec = spec;
  }

  /** The result keys' JMESPath expressions; the first one is what MaxItems counts. */
  get resultKeys(): readonly string[] {
    return this.#spec.resultKeys.map((e) => e.expression);
  }

  /**
   * Pages of the operation, fetched lazily as the iterator is read. `PaginationConfig` is taken
   * out of the parameters (and checked now: an unknown key or a bad value throws PaginationError);
   * `options` (`{ abortSignal }`) go with every request.
   */
  paginate(...args: PaginateArgs<Input>): PageIterator<Output> {
    const params = (args[0] === undefined ? {} : args[0]) as PaginateParams;
    const options = args[1];
    if (!isPlainObject(params)) throw new PaginationError(`paginate() takes the ${this.operationName} parameters as an object`);
    const { PaginationConfig: config, ...kwargs } = params;
    const paging = this.#extractPagingParams(config);
    const client = this.#client;
    const operation = this.operationName;
    const call = (p: Params): Promise<Parsed> => client.makeApiCall(operation, p, options);
    return new PageIterator<Output>(call, this.#spec, paging, kwargs);
  }

  /** botocore's _extract_paging_params, with unknown keys and non-integers refused instead of ignored. */
  #extractPagingParams(config: unknown): PagingParams {
    if (config === undefined || config === null) return {};
    if (!isPlainObject(config)) throw new PaginationError(`PaginationConfig must be an object with ${PAGINATION_CONFIG_KEYS.join(', ')}`);
    for (const key of Object.keys(config)) {
      if (!(PAGINATION_CONFIG_KEYS as readonly string[]).includes(key)) {
        throw new PaginationError(`Unknown PaginationConfig key '${key}' for ${this.operationName}; valid keys are ${PAGINATION_CONFIG_KEYS.join(', ')}`);
      }
    }
    const paging: PagingParams = {};
    if (config.MaxItems !== undefined && config.MaxItems !== null) paging.maxItems = toCount(config.MaxItems, 'MaxItems');
    if (config.PageSize !== undefined && config.PageSize !== null) {
      const limitKey = this.#spec.limitKey;
      if (limitKey === undefined) throw new PaginationError('PageSize parameter is not supported for the pagination interface for this operation.');
      const shape = this.#client.meta.serviceModel.operationModel(this.operationName).inputShape?.members.get(limitKey);
      // The limit key's type decides what is sent: a few services model it as a string.
      paging.pageSize = shape?.typeName === 'string' ? (typeof config.PageSize === 'string' ? config.PageSize : String(toCount(config.PageSize, 'PageSize'))) : toCount(config.PageSize, 'PageSize');
    }
    if (config.StartingToken !== undefined && config.StartingToken !== null) {
      if (typeof config.StartingToken !== 'string') throw new PaginationError(`PaginationConfig.StartingToken must be a string, got ${typeof config.StartingToken}`);
      paging.startingToken = config.StartingToken;
    }
    return paging;
  }
}

/** PaginationConfig read and checked (internal). */
export interface PagingParams {
  maxItems?: number;
  pageSize?: number | string;
  startingToken?: string;
}

/** Python's int() of an integer or an integer string; anything else (and a negative count) is refused. */
function toCount(value: unknown, key: string): number {
  let n: number | undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = value;
  else if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) n = Number(value);
  if (n === undefined || n < 0) throw new PaginationError(`PaginationConfig.${key} must be a non-negative integer, got ${pyRepr(value)}`);
  return n;
}

// ---------------------------------------------------------------- PageIterator

/** Where a StartingToken says to start: the service token(s), and how many items of that page were already returned. */
interface StartingPoint {
  token: TokenDict;
  index: number;
}

/** botocore's PageIterator: async-iterable over pages; buildFullResult() and search() read it for you. */
export class PageIterator<Output extends object = Parsed> implements AsyncIterable<TypedPage<Output>> {
  readonly #call: (params: Params) => Promise<Parsed>;
  readonly #spec: PaginatorSpec;
  readonly #maxItems: number | undefined;
  readonly #pageSize: number | string | undefined;
  readonly #starting: StartingPoint | undefined;
  readonly #params: Params;
  #resumeToken: string | undefined;
  #nonAggregatePart: Record<string, unknown> = {};

  /** Made by Paginator.paginate(). */
  constructor(call: (params: Params) => Promise<Parsed>, spec: PaginatorSpec, paging: PagingParams, params: Params) {
    this.#call = call;
    this.#spec = spec;
    this.#maxItems = paging.maxItems;
    this.#pageSize = paging.pageSize;
    this.#params = params;
    // Read now rather than at the first page (as botocore does) so a bad token fails at paginate().
    this.#starting = paging.startingToken === undefined ? undefined : this.#parseStartingToken(paging.startingToken);
  }

  get resultKeys(): readonly string[] {
    return this.#spec.resultKeys.map((e) => e.expression);
  }

  /**
   * The token to resume from, set when MaxItems stopped the iteration (on a page boundary, or
   * mid-page with `boto_truncate_amount` inside); undefined when the pages ran out.
   */
  get resumeToken(): string | undefined {
    return this.#resumeToken;
  }

  /** The non_aggregate_keys' values, read from the first page. */
  get nonAggregatePart(): Record<string, unknown> {
    return this.#nonAggregatePart;
  }

  /** botocore's PageIterator.__iter__, page by page. */
  [Symbol.asyncIterator](): AsyncGenerator<TypedPage<Output>, void, undefined> {
    return this.#pages() as AsyncGenerator<TypedPage<Output>, void, undefined>;
  }

  async *#pages(): AsyncGenerator<Page, void, undefined> {
    const spec = this.#spec;
    const maxItems = this.#maxItems;
    const starting = this.#starting;
    this.#resumeToken = undefined;
    const kwargs: Params = { ...this.#params };
    let nextToken: TokenDict = starting !== undefined ? { ...starting.token } : Object.fromEntries(spec.inputTokens.map((k) => [k, null]));
    let previousToken: TokenDict | undefined;
    let totalItems = 0;
    let first = true;
    let startingTruncation = 0;
    const primary = spec.resultKeys[0]!;
    if (starting !== undefined) injectToken(kwargs, starting.token);
    if (this.#pageSize !== undefined) kwargs[spec.limitKey!] = this.#pageSize;

    for (;;) {
      // A copy: the client must not see this object change under it as tokens are injected.
      const page = await this.#call({ ...kwargs });
      if (first) {
        // Resuming mid-page: drop the items the previous run already returned.
        if (starting !== undefined) startingTruncation = this.#handleFirstRequest(page, starting.index);
        first = false;
        this.#recordNonAggregateKeyValues(page);
      } else {
        startingTruncation = 0;
      }
      const count = pyLen(primary.search(page));
      const truncateAmount = maxItems === undefined ? 0 : totalItems + count - maxItems;
      if (truncateAmount > 0) {
        this.#truncateResponse(page, truncateAmount, startingTruncation, nextToken);
        yield page;
        return;
      }
      yield page;
      totalItems += count;
      nextToken = this.#getNextToken(page);
      if (Object.values(nextToken).every((t) => t === null)) return;
      if (maxItems !== undefined && totalItems === maxItems) {
        // On a page boundary: the service's next token is where to resume.
        this.#setResumeToken(nextToken);
        return;
      }
      if (previousToken !== undefined && pyEqual(previousToken, nextToken)) {
        throw new PaginationError(`The same next token was received twice: ${pyRepr(nextToken)}`);
      }
      injectToken(kwargs, nextToken);
      previousToken = nextToken;
    }
  }

  /**
   * Each page searched with a JMESPath expression: list results yielded item by item, anything
   * else (null included) as is. A bad expression throws PaginationError now, before any request.
   */
  search(expression: string): AsyncGenerator<unknown, void, undefined> {
    return this.#search(new Expression(expression, 'search()'));
  }

  async *#search(compiled: Expression): AsyncGenerator<unknown, void, undefined> {
    for await (const page of this.#pages()) {
      const results = compiled.search(page);
      if (Array.isArray(results)) yield* results;
      else yield results;
    }
  }

  /**
   * botocore's build_full_result: every page's result keys merged (lists concatenated, numbers
   * summed, strings joined), the non-aggregate keys of the first page, and `NextToken` when
   * MaxItems cut the pagination short.
   */
  async buildFullResult(): Promise<Partial<Output> & { NextToken?: string }> {
    const complete: Parsed = {};
    for await (const page of this.#pages()) {
      for (const key of this.#spec.resultKeys) {
        const value = key.search(page);
        if (value === null) continue;
        const existing = getDotted(complete, key.expression);
        if (existing === null || existing === undefined) {
          setValueFromJmespath(complete, key.expression, Array.isArray(value) ? value.slice() : value);
          continue;
        }
        if (Array.isArray(value)) {
          if (!Array.isArray(existing)) throw new PaginationError(`Cannot merge a list into the non-list result key ${key.expression}`);
          for (const item of value) existing.push(item);
        } else if (isScalar(value)) {
          setValueFromJmespath(complete, key.expression, addScalars(existing, value, key.expression));
        }
        // A structure or map result key keeps its first page's value, as botocore's does.
      }
    }
    mergeDicts(complete, this.#nonAggregatePart);
    if (this.#resumeToken !== undefined) complete.NextToken = this.#resumeToken;
    // Partial: only the result keys and non-aggregate keys are in it, whatever the output requires.
    return complete as Partial<Output> & { NextToken?: string };
  }

  #recordNonAggregateKeyValues(page: Page): void {
    const part: Record<string, unknown> = {};
    for (const key of this.#spec.nonAggregateKeys) setValueFromJmespath(part, key.expression, key.search(page));
    this.#nonAggregatePart = part;
  }

  /** botocore's _handle_first_request: the primary key sliced, the secondary keys emptied (counts kept). */
  #handleFirstRequest(page: Page, index: number): number {
    const [primary, ...secondary] = this.#spec.resultKeys;
    const all = primary!.search(page);
    setValueFromJmespath(page, primary!.expression, pySlice(all, index));
    for (const key of secondary) {
      const sample = key.search(page);
      const empty = Array.isArray(sample) ? [] : typeof sample === 'string' ? '' : typeof sample === 'number' || typeof sample === 'boolean' ? sample : null;
      setValueFromJmespath(page, key.expression, empty);
    }
    return index;
  }

  /** botocore's _truncate_response: keep what MaxItems allows, and remember where to resume. */
  #truncateResponse(page: Page, truncateAmount: number, startingTruncation: number, nextToken: TokenDict): void {
    const primary = this.#spec.resultKeys[0]!;
    const original = primary.search(page) ?? [];
    if (!Array.isArray(original) && typeof original !== 'string') {
      // botocore fails here with a TypeError (a map cannot be sliced).
      throw new PaginationError(`MaxItems cannot cut the result key ${primary.expression}: it is not a list`);
    }
    const keep = pyLen(original) - truncateAmount;
    setValueFromJmespath(page, primary.expression, pySlice(original, 0, keep));
    // The resume index counts from the start of the service's page, including any items a
    // StartingToken already skipped on this page.
    this.#setResumeToken({ ...nextToken, [TRUNCATE_KEY]: keep + startingTruncation });
  }

  #getNextToken(page: Page): TokenDict {
    const spec = this.#spec;
    if (spec.moreResults !== undefined && !pyTruthy(spec.moreResults.search(page))) return {};
    const tokens: TokenDict = {};
    const n = Math.min(spec.outputTokens.length, spec.inputTokens.length);
    for (let i = 0; i < n; i++) {
      const value = spec.outputTokens[i]!.search(page);
      // Empty strings (and other empty values) are no token.
      tokens[spec.inputTokens[i]!] = pyTruthy(value) ? value : null;
    }
    return tokens;
  }

  /** botocore's resume_token setter: only a dict of exactly the input tokens (and the truncate amount). */
  #setResumeToken(value: TokenDict): void {
    const expected = [...this.#spec.inputTokens, ...(TRUNCATE_KEY in value ? [TRUNCATE_KEY] : [])].sort();
    const actual = Object.keys(value).sort();
    if (expected.length !== actual.length || expected.some((k, i) => k !== actual[i])) {
      throw new PaginationError(`Bad starting token: ${pyRepr(value)}`);
    }
    this.#resumeToken = encodeToken(value);
  }

  /** botocore's _parse_starting_token, falling back to the legacy 'token___token___index' form. */
  #parseStartingToken(token: string): StartingPoint {
    let decoded: TokenDict;
    try {
      decoded = decodeToken(token);
    } catch (e) {
      if (!(e instanceof TokenDecodeError)) throw e;
      return this.#parseLegacyStartingToken(token);
    }
    let index = 0;
    if (TRUNCATE_KEY in decoded) {
      const amount = decoded[TRUNCATE_KEY];
      delete decoded[TRUNCATE_KEY];
      if (amount !== null) {
        if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) throw new PaginationError(`Bad starting token: ${token}`);
        index = amount;
      }
    }
    return { token: decoded, index };
  }

  /** Tokens from before botocore encoded them: the raw service token(s) joined by '___', then the index. */
  #parseLegacyStartingToken(token: string): StartingPoint {
    const inputs = this.#spec.inputTokens;
    let parts = token.split('___');
    let index = 0;
    if (parts.length === inputs.length + 1) {
      const last = parts.pop()!;
      if (/^\s*[+-]?\d+\s*$/.test(last)) index = Number(last);
      else parts = [token]; // Not an old-style token: an opaque service token, passed along as is.
    }
    if (parts.length > inputs.length) throw new PaginationError(`Bad starting token: ${token}`);
    const values = parts.map((p) => (p === 'None' ? null : p));
    return { token: Object.fromEntries(inputs.map((k, i) => [k, values[i] ?? null])), index };
  }
}

/** botocore's _inject_token_into_kwargs: set the tokens there are, remove the others. */
function injectToken(kwargs: Params, token: TokenDict): void {
  for (const [name, value] of Object.entries(token)) {
    // 'None' is how botocore's legacy tokens spelled a missing token.
    if (value !== null && value !== undefined && value !== 'None') kwargs[name] = value;
    else delete kwargs[name];
  }
}

function getDotted(source: Record<string, unknown>, expression: string): unknown {
  let value: unknown = source;
  for (const part of expression.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isScalar(value: unknown): value is number | string | boolean {
  return typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean';
}

/** Python's `existing + value` for the scalars a result key may hold (bools count as ints, as in Python). */
function addScalars(existing: unknown, value: number | string | boolean, expression: string): number | string {
  if (typeof existing === 'string' && typeof value === 'string') return existing + value;
  if ((typeof existing === 'number' || typeof existing === 'boolean') && typeof value !== 'string') return Number(existing) + Number(value);
  throw new PaginationError(`Cannot merge ${pyRepr(value)} into ${pyRepr(existing)} for result key ${expression}`);
}
