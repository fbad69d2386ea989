/**
 * Waiters, driven by each service's waiters-2 document as botocore's waiter.py drives them:
 * call an operation until one of the waiter's acceptors says success or failure, sleeping
 * `Delay` seconds between attempts, for at most `MaxAttempts` attempts.
 *
 * botocore names waiters in snake_case (`bucket_exists`); inia uses lowerCamelCase of the
 * model's name ('BucketExists' -> 'bucketExists'), as it does for operations.
 */
import { timersPromises } from './builtins.js';
import { clientContext, methodName, type BaseClient } from './client.js';
import { ClientError, IniaError, InvalidOptionError, WaiterConfigError, WaiterError } from './errors.js';
import type { Params } from './protocols/types.js';
import { jmespath } from './vendor.js';

/** The per-call override of the model's timing (botocore's `WaiterConfig` parameter). */
export interface WaiterConfig {
  /** Seconds between attempts (the model's `delay` when absent). */
  Delay?: number;
  /** Attempts at most, the first included (the model's `maxAttempts` when absent). */
  MaxAttempts?: number;
}

/** The operation's parameters, plus `WaiterConfig`, which is taken out before the call. */
export type WaiterParams = Params & { WaiterConfig?: WaiterConfig };

/**
 * wait()'s arguments: the parameters may be left out only when the operation has no required
 * member (typed waiters; an untyped one takes any object).
 */
export type WaitArgs<Input> = {} extends Input
  ? [params?: Input & { WaiterConfig?: WaiterConfig }, options?: WaitOptions]
  : [params: Input & { WaiterConfig?: WaiterConfig }, options?: WaitOptions];

export interface WaitOptions {
  /** Cancels the wait: the call in flight or the sleep between attempts. */
  abortSignal?: AbortSignal;
}

export type AcceptorState = 'success' | 'failure' | 'retry';
export type AcceptorMatcher = 'path' | 'pathAll' | 'pathAny' | 'status' | 'error';

/** One acceptor as written in waiters-2. */
export interface AcceptorDefinition {
  state: AcceptorState;
  matcher: AcceptorMatcher;
  expected: unknown;
  argument?: string;
}

/** One waiter as written in waiters-2. */
export interface WaiterDefinition {
  operation: string;
  delay: number;
  maxAttempts: number;
  description?: string;
  acceptors: AcceptorDefinition[];
}

/** A waiters-2 document: `{ version: 2, waiters: { Name: WaiterDefinition } }`. */
export interface WaitersDocument {
  version?: unknown;
  waiters: Record<string, WaiterDefinition>;
}

const STATES: readonly string[] = ['success', 'failure', 'retry'];
const MATCHERS: readonly string[] = ['path', 'pathAll', 'pathAny', 'status', 'error'];
const WAIT_OPTIONS = ['abortSignal'];
const WAITER_CONFIG_KEYS = ['Delay', 'MaxAttempts'];

type Response = Record<string, unknown>;

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** botocore's is_valid_waiter_error: the response is an error response (it has Error.Code). */
function isWaiterError(response: Response): boolean {
  const error = response.Error;
  return isObject(error) && hasOwn(error, 'Code');
}

/**
 * Python's `==` on JSON-like values, which botocore's matchers use: `True == 1`, `1 == 1.0`,
 * lists and dicts compared deeply, a datetime or bytes never equal to a string.
 */
export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  const numA = typeof a === 'number' || typeof a === 'boolean';
  const numB = typeof b === 'number' || typeof b === 'boolean';
  if (numA || numB) return numA && numB && Number(a) === Number(b);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
    return keys.every((k) => hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python's str() of an expected value, as botocore's explanations show it ("True", "200"). */
function pyStr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}

/** One acceptor, its matcher compiled (botocore's AcceptorConfig). */
export class Acceptor {
  readonly state: AcceptorState;
  readonly matcher: AcceptorMatcher;
  readonly expected: unknown;
  readonly argument: string | undefined;
  readonly #matches: (response: Response) => boolean;

  /** @param where names the acceptor in errors ('BucketExists acceptor 2') */
  constructor(definition: AcceptorDefinition, where = 'acceptor') {
    if (!isObject(definition)) throw new WaiterConfigError(`${where}: expected an object, got ${JSON.stringify(definition)}`);
    for (const key of ['state', 'matcher', 'expected']) {
      if (!hasOwn(definition, key)) throw new WaiterConfigError(`${where}: missing required key '${key}'`);
    }
    if (!STATES.includes(definition.state)) throw new WaiterConfigError(`${where}: unknown acceptor state: ${String(definition.state)}`);
    this.state = definition.state;
    this.matcher = definition.matcher;
    this.expected = definition.expected;
    this.argument = definition.argument;
    if (!MATCHERS.includes(this.matcher)) throw new WaiterConfigError(`Unknown acceptor: ${String(this.matcher)}`);
    this.#matches = this.#createMatcher(where);
  }

  /** Whether this acceptor matches a response (a parsed output, or a ClientError's response). */
  matches(response: Response): boolean {
    return this.#matches(response);
  }

  /** botocore's AcceptorConfig.explanation, the text WaiterError's reasons quote. */
  get explanation(): string {
    const expected = pyStr(this.expected);
    switch (this.matcher) {
      case 'path':
        return `For expression "${this.argument}" we matched expected path: "${expected}"`;
      case 'pathAll':
        return `For expression "${this.argument}" all members matched expected path: "${expected}"`;
      case 'pathAny':
        return `For expression "${this.argument}" we matched expected path: "${expected}" at least once`;
      case 'status':
        return `Matched expected HTTP status code: ${expected}`;
      case 'error':
        return `Matched expected service error code: ${expected}`;
    }
  }

  #createMatcher(where: string): (response: Response) => boolean {
    const expected = this.expected;
    switch (this.matcher) {
      case 'path': {
        const search = this.#compile(where);
        // Path matchers never match an error response.
        return (response) => !isWaiterError(response) && pyEquals(search(response), expected);
      }
      case 'pathAll': {
        const search = this.#compile(where);
        // An empty list or a non-list never matches (a waiter must see at least one member).
        return (response) => {
          if (isWaiterError(response)) return false;
          const result = search(response);
          return Array.isArray(result) && result.length > 0 && result.every((e) => pyEquals(e, expected));
        };
      }
      case 'pathAny': {
        const search = this.#compile(where);
        return (response) => {
          if (isWaiterError(response)) return false;
          const result = search(response);
          return Array.isArray(result) && result.length > 0 && result.some((e) => pyEquals(e, expected));
        };
      }
      case 'status':
        return (response) => {
          const metadata = response.ResponseMetadata;
          return pyEquals(isObject(metadata) ? (metadata.HTTPStatusCode ?? null) : null, expected);
        };
      case 'error':
        // true: any error; false: no error at all; otherwise one error code (botocore 1.43).
        if (expected === true) return (response) => isObject(response.Error) && hasOwn(response.Error, 'Code');
        if (expected === false) return (response) => !hasOwn(response, 'Error');
        return (response) => {
          const error = response.Error;
          const code = isObject(error) && hasOwn(error, 'Code') ? error.Code : '';
          return pyEquals(code, expected);
        };
    }
  }

  #compile(where: string): (response: Response) => unknown {
    const expression = this.argument;
    if (typeof expression !== 'string') throw new WaiterConfigError(`${where}: the ${this.matcher} matcher needs a JMESPath 'argument'`);
    // Loaded outside the try: a library that fails to load is not a bad expression.
    const library = jmespath();
    try {
      library.compile(expression);
    } catch (err) {
      throw new WaiterConfigError(`${where}: invalid JMESPath expression "${expression}": ${err instanceof Error ? err.message : String(err)}`);
    }
    return (response) => jmespath().search(response, expression) as unknown;
  }
}

/** One waiter's configuration (botocore's SingleWaiterConfig). */
export class SingleWaiterConfig {
  readonly operation: string;
  readonly delay: number;
  readonly maxAttempts: number;
  readonly description: string;
  readonly acceptors: readonly Acceptor[];

  constructor(readonly name: string, definition: WaiterDefinition) {
    if (!isObject(definition)) throw new WaiterConfigError(`waiter ${name}: expected an object`);
    for (const key of ['operation', 'delay', 'maxAttempts', 'acceptors']) {
      if (!hasOwn(definition, key)) throw new WaiterConfigError(`waiter ${name}: missing required key '${key}'`);
    }
    if (typeof definition.operation !== 'string') throw new WaiterConfigError(`waiter ${name}: 'operation' must be a string`);
    if (typeof definition.delay !== 'number' || !(definition.delay >= 0)) throw new WaiterConfigError(`waiter ${name}: 'delay' must be a non-negative number`);
    if (typeof definition.maxAttempts !== 'number' || !(definition.maxAttempts >= 0)) throw new WaiterConfigError(`waiter ${name}: 'maxAttempts' must be a non-negative number`);
    if (!Array.isArray(definition.acceptors)) throw new WaiterConfigError(`waiter ${name}: 'acceptors' must be a list`);
    this.operation = definition.operation;
    this.delay = definition.delay;
    this.maxAttempts = definition.maxAttempts;
    this.description = typeof definition.description === 'string' ? definition.description : '';
    this.acceptors = Object.freeze(definition.acceptors.map((a, i) => new Acceptor(a, `waiter ${name} acceptor ${i}`)));
  }
}

/** A waiters-2 document (botocore's WaiterModel): its version checked, waiters built on demand. */
export class WaiterModel {
  static readonly SUPPORTED_VERSION = 2;
  readonly version: number;
  /** The model's waiter names, sorted ('BucketExists', ...). */
  readonly waiterNames: readonly string[];
  readonly #waiters: Record<string, WaiterDefinition>;
  readonly #configs = new Map<string, SingleWaiterConfig>();

  constructor(document: WaitersDocument) {
    const version = isObject(document) ? document.version : undefined;
    if (version !== WaiterModel.SUPPORTED_VERSION) {
      throw new WaiterConfigError(
        `Unsupported waiter version, supported version must be: ${WaiterModel.SUPPORTED_VERSION}, but version of waiter config is: ${version === undefined ? 'unknown' : pyStr(version)}`,
      );
    }
    if (!isObject(document.waiters)) throw new WaiterConfigError(`'waiters' must be an object`);
    this.version = version;
    this.#waiters = document.waiters;
    // Python's sorted(): code point order, which for these ASCII names is JS's default order.
    this.waiterNames = Object.freeze(Object.keys(document.waiters).sort());
  }

  /** The named waiter's configuration, by its model name ('BucketExists'). */
  getWaiter(name: string): SingleWaiterConfig {
    let config = this.#configs.get(name);
    if (config === undefined) {
      if (!hasOwn(this.#waiters, name)) throw new IniaError(`Waiter does not exist: ${name}`);
      config = new SingleWaiterConfig(name, this.#waiters[name]!);
      this.#configs.set(name, config);
    }
    return config;
  }
}

/**
 * Waits on one condition by calling an operation of a client (botocore's Waiter). `Input` is
 * the operation's input shape for a typed client (see typed-clients.ts).
 */
export class Waiter<Input extends object = Params> {
  /** @param name the model's name ('BucketExists'), as WaiterError messages show it */
  constructor(
    readonly name: string,
    readonly config: SingleWaiterConfig,
    readonly client: BaseClient,
  ) {}

  /**
   * Calls the operation until an acceptor reaches success (resolves) or failure (WaiterError),
   * an error response no acceptor matches (WaiterError), or MaxAttempts runs out (WaiterError).
   * Errors other than a ClientError (transport, validation, abort) end the wait as they are.
   */
  async wait(...args: WaitArgs<Input>): Promise<void> {
    const params = (args[0] === undefined ? {} : args[0]) as WaiterParams;
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new InvalidOptionError('wait', 'params', `expected an object of the ${this.config.operation} parameters`);
    }
    const options = args[1];
    const signal = waitSignal(options, this.name);
    const { WaiterConfig: overrides, ...callParams } = params;
    const { delay, maxAttempts } = timing(overrides, this.config);
    const acceptors = this.config.acceptors;
    const callOptions = signal ? { abortSignal: signal } : undefined;
    let state = 'waiting';
    let lastMatched: Acceptor | undefined;
    // Bounded by maxAttempts: every pass makes one call and counts it.
    for (let attempts = 1; ; attempts++) {
      let response: Response;
      try {
        response = await this.client.makeApiCall(this.config.operation, callParams, callOptions);
      } catch (err) {
        if (!(err instanceof ClientError)) throw err;
        response = err.response;
      }
      const matched = acceptors.find((a) => a.matches(response));
      // botocore quotes its loop variable: the acceptor that matched, else the last one tried.
      const acceptor = matched ?? acceptors[acceptors.length - 1];
      if (matched !== undefined) {
        lastMatched = matched;
        state = matched.state;
      } else if (isWaiterError(response)) {
        const error = response.Error as Record<string, unknown>;
        const code = hasOwn(error, 'Code') ? pyStr(error.Code) : 'Unknown';
        const message = hasOwn(error, 'Message') ? pyStr(error.Message) : 'Unknown';
        throw new WaiterError(this.name, `An error occurred (${code}): ${message}`, response);
      }
      if (state === 'success') return;
      if (state === 'failure') {
        throw new WaiterError(this.name, `Waiter encountered a terminal failure state: ${acceptor!.explanation}`, response);
      }
      if (attempts >= maxAttempts) {
        const reason = lastMatched === undefined ? 'Max attempts exceeded' : `Max attempts exceeded. Previously accepted state: ${acceptor!.explanation}`;
        throw new WaiterError(this.name, reason, response);
      }
      if (delay > 0) await timersPromises().setTimeout(delay * 1000, undefined, signal ? { signal } : undefined);
      signal?.throwIfAborted();
    }
  }
}

/** Checks wait()'s options: a misspelt option must not silently drop a cancellation. */
function waitSignal(options: WaitOptions | undefined, waiterName: string): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const where = `Waiter ${waiterName}`;
  if (!isObject(options)) throw new InvalidOptionError(where, 'options', 'expected an object such as { abortSignal }');
  for (const key of Object.keys(options)) {
    if (!WAIT_OPTIONS.includes(key)) throw new InvalidOptionError(where, key, `unknown wait option; expected one of ${WAIT_OPTIONS.join(', ')}`);
  }
  const signal = options.abortSignal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidOptionError(where, 'abortSignal', 'expected an AbortSignal');
  return signal;
}

/** Delay and MaxAttempts: the call's WaiterConfig over the model's (botocore's Waiter.wait). */
function timing(overrides: unknown, config: SingleWaiterConfig): { delay: number; maxAttempts: number } {
  if (overrides === undefined) return { delay: config.delay, maxAttempts: config.maxAttempts };
  if (!isObject(overrides)) throw new InvalidOptionError(`Waiter ${config.name}`, 'WaiterConfig', 'expected an object such as { Delay, MaxAttempts }');
  for (const key of Object.keys(overrides)) {
    if (!WAITER_CONFIG_KEYS.includes(key)) throw new InvalidOptionError(`Waiter ${config.name}`, `WaiterConfig.${key}`, `unknown key; expected one of ${WAITER_CONFIG_KEYS.join(', ')}`);
  }
  const { Delay: delay = config.delay, MaxAttempts: maxAttempts = config.maxAttempts } = overrides as WaiterConfig;
  if (typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0) {
    throw new InvalidOptionError(`Waiter ${config.name}`, 'WaiterConfig.Delay', `expected a non-negative number of seconds, got ${String(delay)}`);
  }
  if (typeof maxAttempts !== 'number' || !Number.isInteger(maxAttempts) || maxAttempts < 0) {
    throw new InvalidOptionError(`Waiter ${config.name}`, 'WaiterConfig.MaxAttempts', `expected a non-negative integer, got ${String(maxAttempts)}`);
  }
  return { delay, maxAttempts };
}

const modelCache = new WeakMap<object, WaiterModel | null>();

/** The client's waiter model, or null when its service has no waiters (parsed once per document). */
function waiterModel(client: BaseClient): WaiterModel | null {
  const document = clientContext(client).loadServiceData('waiters-2');
  let model = modelCache.get(document);
  if (model === undefined) {
    // {} (no waiters-2 for the service) means no waiters, as botocore's empty config does.
    model = Object.keys(document).length === 0 ? null : new WaiterModel(document as unknown as WaitersDocument);
    modelCache.set(document, model);
  }
  return model;
}

/** botocore's client.waiter_names, in inia's lowerCamelCase: ['bucketExists', 'bucketNotExists', ...]. */
export function waiterNames(client: BaseClient): string[] {
  const model = waiterModel(client);
  return model === null ? [] : model.waiterNames.map(methodName);
}

/** botocore's client.get_waiter: the waiter named in lowerCamelCase ('bucketExists'). */
export function getWaiter(client: BaseClient, name: string): Waiter {
  const model = waiterModel(client);
  const mapping = new Map<string, string>();
  for (const modelName of model?.waiterNames ?? []) mapping.set(methodName(modelName), modelName);
  const modelName = mapping.get(name);
  if (model === null || modelName === undefined) {
    const known = [...mapping.keys()];
    const hint = known.length ? ` Valid waiter names are: ${known.join(', ')}` : ` Service '${client.meta.serviceName}' has no waiters.`;
    throw new IniaError(`Waiter does not exist: ${name}.${hint}`);
  }
  return createWaiterWithClient(modelName, model, client);
}

/** botocore's create_waiter_with_client: a Waiter for `name` (model name) of `model`, calling `client`. */
export function createWaiterWithClient(name: string, model: WaiterModel, client: BaseClient): Waiter {
  const config = model.getWaiter(name);
  if (!client.meta.serviceModel.hasOperation(config.operation)) {
    throw new WaiterConfigError(`waiter ${name}: service '${client.meta.serviceName}' has no operation '${config.operation}'`);
  }
  return new Waiter(name, config, client);
}
