/**
 * The endpoint resolver clients use: the service's rule set evaluated with the client's
 * parameters and the operation's, the result turned into what the request builder and the
 * signer need (host, path prefix, headers, signing name and region from `authSchemes`).
 * Results are cached by parameters, so a repeated call costs a map lookup.
 */
import { IniaError } from '../errors.js';
import type { HierarchicalEmitter } from '../events.js';
import type { OperationModel } from '../models/shapes.js';
import { parseEndpointUrl, type EndpointResolver, type ResolvedEndpoint } from './resolver.js';
import { clientParams, operationParamPlan, operationParams } from './params.js';
import { RuleSet, type RuleValue } from './ruleset.js';

/** Enough for the buckets and operations of a busy client; the oldest entry goes first. */
const CACHE_SIZE = 512;

interface AuthScheme {
  name?: string;
  signingName?: string;
  signingRegion?: string;
  signingRegionSet?: string[];
  disableDoubleEncoding?: boolean;
}

export interface RulesResolverOptions {
  /** builtIn values by builtIn name ('AWS::Region', ...), computed once for the client. */
  builtIns: Record<string, RuleValue>;
  /** clientContextParams by parameter name. */
  clientContext: Record<string, unknown>;
  signingName: string;
  signingRegion: string | undefined;
  useSsl: boolean;
  /** Where `before-endpoint-resolution.<service>` handlers may adjust the builtIns for one call (botocore's event). */
  events?: HierarchicalEmitter;
  eventName?: string;
}

export class RulesEndpointResolver implements EndpointResolver {
  readonly #cache = new Map<string, ResolvedEndpoint>();
  readonly #clientParams: Record<string, RuleValue>;
  /**
   * Whether the rule set takes the credentials' account id (AWS::Auth::AccountId, DynamoDB) and
   * the account-id endpoint mode allows it: the client then resolves credentials first and
   * passes `context.accountId`.
   */
  readonly needsAccountId: boolean;

  constructor(
    private readonly ruleSet: RuleSet,
    private readonly options: RulesResolverOptions,
  ) {
    this.#clientParams = clientParams(ruleSet.parameters, options.builtIns, options.clientContext);
    this.needsAccountId =
      Object.values(ruleSet.parameters).some((p) => p.builtIn === 'AWS::Auth::AccountId') && options.builtIns['AWS::Auth::AccountIdEndpointMode'] !== 'disabled';
  }

  resolve(operation: OperationModel, params: Record<string, unknown>, context: Record<string, unknown> = {}): ResolvedEndpoint {
    const plan = operationParamPlan(operation);
    const { events, eventName } = this.options;
    const accountId = typeof context.accountId === 'string' ? context.accountId : undefined;
    const handled = events !== undefined && eventName !== undefined && events.hasHandlers(eventName);
    if (handled || accountId !== undefined || plan.paths.length > 0) {
      // BuiltIns changed for this call (handlers, the account id) or inputs read by JMESPath:
      // a copy of the builtIns, and a key over every parameter.
      const builtins = { ...this.options.builtIns };
      if (accountId !== undefined) builtins['AWS::Auth::AccountId'] = accountId;
      if (handled) events!.emitSync(eventName!, { builtins, model: operation, params, context });
      return this.#cached(fullKey, operationParams(plan, params, clientParams(this.ruleSet.parameters, builtins, this.options.clientContext)));
    }
    // The client's parameters are fixed: the operation and its context values are the key.
    let key = operation.name;
    for (const [member] of plan.context) {
      const value = params[member];
      key += typeof value === 'string' ? `\u0000s${value}` : value === undefined || value === null ? '\u0000-' : `\u0000j${JSON.stringify(value)}`;
    }
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit;
    return this.#store(key, this.#compute(operationParams(plan, params, this.#clientParams)));
  }

  #cached(keyOf: (bound: Record<string, RuleValue>) => string, bound: Record<string, RuleValue>): ResolvedEndpoint {
    const key = keyOf(bound);
    return this.#cache.get(key) ?? this.#store(key, this.#compute(bound));
  }

  #store(key: string, endpoint: ResolvedEndpoint): ResolvedEndpoint {
    if (this.#cache.size >= CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(key, endpoint);
    return endpoint;
  }

  #compute(bound: Record<string, RuleValue>): ResolvedEndpoint {
    const result = this.ruleSet.resolve(bound);
    let url = result.url;
    // botocore: the rule sets only produce https; without TLS (useSsl false) the scheme is swapped,
    // unless the user gave the endpoint.
    if (!this.options.useSsl && url.startsWith('https://') && bound.Endpoint === undefined) url = `http://${url.slice(8)}`;
    const base = parseEndpointUrl(url, 'endpoint rule set');
    const headers: Record<string, string> = {};
    // botocore keeps the first value of a multi-valued header.
    for (const [name, values] of Object.entries(result.headers)) if (values[0] !== undefined) headers[name.toLowerCase()] = values[0];
    const schemes = result.properties.authSchemes as AuthScheme[] | undefined;
    let signingName = this.options.signingName;
    let signingRegion = this.options.signingRegion;
    if (Array.isArray(schemes) && schemes.length > 0) {
      const scheme = schemes.find((s) => s.name === 'sigv4' || s.name === 'sigv4-s3express') ?? schemes.find((s) => s.name === 'sigv4a') ?? schemes[0]!;
      if (scheme.name === 'sigv4a') throw new IniaError(`This endpoint requires SigV4a signing (${url}), which inia does not support yet`);
      if (scheme.signingName) signingName = scheme.signingName;
      if (scheme.signingRegion) signingRegion = scheme.signingRegion;
      return { ...base, headers, signingName, signingRegion, authScheme: scheme.name ?? 'sigv4' };
    }
    return { ...base, headers, signingName, signingRegion };
  }
}

/** A key over every parameter (when handlers may change any of them); '\u0001' never starts a name. */
function fullKey(bound: Record<string, RuleValue>): string {
  // Parameter names are few and fixed per service: a JSON of the sorted entries is unambiguous.
  const names = Object.keys(bound).sort();
  let key = '';
  for (const name of names) key += `${name}\u0000${JSON.stringify(bound[name])}\u0001`;
  return `\u0001${key}`;
}
