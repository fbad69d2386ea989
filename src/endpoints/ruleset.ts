/**
 * The endpoint rule-set engine (Smithy rules 1.0), as botocore's endpoint_provider: typed
 * parameters with defaults, rules evaluated in order (endpoint, error and tree rules), conditions
 * that may `assign` their result, `{Param}` and `{ref#path}` templates, and the standard library
 * including the AWS functions (`aws.partition`, `aws.parseArn`, `aws.isVirtualHostableS3Bucket`).
 * It knows nothing of clients: callers bind parameters (endpoints/params.ts) and apply the
 * result.
 */
import { IniaError } from '../errors.js';
import { removeDotSegments } from '../http/paths.js';

/** An `error` rule matched, or the rule set is malformed or ends without an endpoint. */
export class EndpointResolutionError extends IniaError {}

export type RuleValue = string | boolean | number | null | undefined | RuleValue[] | { [key: string]: RuleValue };
export type Scope = Record<string, RuleValue>;

interface FunctionCall {
  fn: string;
  argv: unknown[];
  assign?: string;
}

interface ParameterSpec {
  type: string;
  builtIn?: string;
  default?: RuleValue;
  required?: boolean;
  deprecated?: unknown;
  documentation?: string;
}

interface Rule {
  type: 'endpoint' | 'error' | 'tree';
  conditions: FunctionCall[];
  endpoint?: { url: unknown; properties?: RuleValue; headers?: Record<string, unknown[]> };
  error?: unknown;
  rules?: Rule[];
}

export interface RuleSetDocument {
  version: string;
  parameters: Record<string, ParameterSpec>;
  rules: Rule[];
}

export interface PartitionsDocument {
  partitions: Array<{ id: string; regionRegex: string; regions: Record<string, unknown>; outputs: Record<string, RuleValue> }>;
}

export interface ResolvedRuleEndpoint {
  url: string;
  properties: Record<string, RuleValue>;
  headers: Record<string, string[]>;
}

const TEMPLATE = /\{[a-zA-Z#]+\}/;
const GET_ATTR_INDEX = /^(\w*)\[(\d+)\]$/;
const HOST_LABEL = /^(?!-)[a-zA-Z\d-]{1,63}(?<!-)$/;
const IPV4 = /^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$/;

function isCall(value: unknown): value is FunctionCall {
  return typeof value === 'object' && value !== null && 'fn' in value;
}

function isRef(value: unknown): value is { ref: string } {
  return typeof value === 'object' && value !== null && 'ref' in value;
}

/** `{Region}`, `{url#authority}`; `{{` and `}}` are literal braces (Python's str.format). */
function resolveTemplate(template: string, scope: Scope): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      out += ch;
      i++;
    } else if (ch === '{') {
      const end = template.indexOf('}', i);
      if (end === -1) throw new EndpointResolutionError(`Unterminated template in ${JSON.stringify(template)}`);
      let value: RuleValue = scope as RuleValue;
      for (const part of template.slice(i + 1, end).split('#')) {
        value = typeof value === 'object' && value !== null && !Array.isArray(value) ? value[part] : undefined;
      }
      out += String(value);
      i = end;
    } else out += ch;
  }
  return out;
}

export class RuleSet {
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  readonly #rules: readonly Rule[];
  readonly #partitions: PartitionsDocument;
  readonly #partitionRegexes: RegExp[];

  constructor(document: RuleSetDocument, partitions: PartitionsDocument) {
    this.parameters = document.parameters;
    this.#rules = document.rules;
    this.#partitions = partitions;
    this.#partitionRegexes = partitions.partitions.map((p) => new RegExp(p.regionRegex));
    for (const [name, spec] of Object.entries(document.parameters)) {
      if (!['string', 'boolean', 'stringarray'].includes(spec.type.toLowerCase())) {
        throw new EndpointResolutionError(`Unknown parameter type: ${spec.type} (parameter ${name}). A parameter must be of type string, boolean, or stringarray.`);
      }
    }
  }

  /** The endpoint for these parameters (missing ones take their defaults), or EndpointResolutionError. */
  resolve(input: Record<string, RuleValue>): ResolvedRuleEndpoint {
    const scope: Scope = {};
    for (const [name, spec] of Object.entries(this.parameters)) {
      let value = input[name];
      if (value === undefined || value === null) {
        if (spec.default !== undefined && spec.default !== null) value = spec.default;
        else if (spec.required) throw new EndpointResolutionError(`Cannot find value for required parameter ${name}`);
      } else {
        checkType(name, spec.type, value);
      }
      if (value !== undefined && value !== null) scope[name] = value;
    }
    for (const rule of this.#rules) {
      const result = this.#evaluate(rule, { ...scope });
      if (result) return result;
    }
    throw new EndpointResolutionError(`No endpoint found for parameters: ${JSON.stringify(input)}`);
  }

  #evaluate(rule: Rule, scope: Scope): ResolvedRuleEndpoint | undefined {
    for (const condition of rule.conditions) {
      const result = this.#call(condition, scope);
      if (result === false || result === undefined || result === null) return undefined;
    }
    switch (rule.type) {
      case 'endpoint': {
        const endpoint = rule.endpoint!;
        const url = this.#value(endpoint.url, scope);
        if (typeof url !== 'string') throw new EndpointResolutionError('An endpoint rule produced a URL that is not a string');
        const headers: Record<string, string[]> = {};
        for (const [name, values] of Object.entries(endpoint.headers ?? {})) headers[name] = values.map((v) => String(this.#value(v, scope)));
        return { url, properties: resolveProperties(endpoint.properties ?? {}, scope) as Record<string, RuleValue>, headers };
      }
      case 'error':
        throw new EndpointResolutionError(String(this.#value(rule.error, scope)));
      case 'tree':
        for (const inner of rule.rules ?? []) {
          // Each sibling starts from this scope: assignments do not leak between them.
          const result = this.#evaluate(inner, { ...scope });
          if (result) return result;
        }
        return undefined;
      default:
        throw new EndpointResolutionError(`Unknown rule type ${JSON.stringify((rule as { type: unknown }).type)}`);
    }
  }

  #value(value: unknown, scope: Scope): RuleValue {
    if (isCall(value)) return this.#call(value, scope);
    if (isRef(value)) return scope[value.ref];
    if (typeof value === 'string' && TEMPLATE.test(value)) return resolveTemplate(value, scope);
    return value as RuleValue;
  }

  #call(call: FunctionCall, scope: Scope): RuleValue {
    const args = call.argv.map((arg) => this.#value(arg, scope));
    const result = this.#function(call.fn, args);
    if (call.assign !== undefined) {
      if (call.assign in scope) throw new EndpointResolutionError(`Assignment ${call.assign} already exists in scoped variables and cannot be overwritten`);
      scope[call.assign] = result;
    }
    return result;
  }

  #function(name: string, args: RuleValue[]): RuleValue {
    switch (name) {
      case 'isSet':
        return args[0] !== undefined && args[0] !== null;
      case 'not':
        return !args[0];
      case 'booleanEquals':
        if (typeof args[0] !== 'boolean' || typeof args[1] !== 'boolean') throw new EndpointResolutionError(`Both arguments must be bools, not ${typeof args[0]} and ${typeof args[1]}.`);
        return args[0] === args[1];
      case 'stringEquals':
        if (typeof args[0] !== 'string' || typeof args[1] !== 'string') throw new EndpointResolutionError(`Both values must be strings, not ${typeof args[0]} and ${typeof args[1]}.`);
        return args[0] === args[1];
      case 'getAttr':
        return getAttr(args[0], String(args[1]));
      case 'substring':
        return substring(args[0], args[1] as number, args[2] as number, args[3] === true);
      case 'uriEncode':
        return typeof args[0] === 'string' ? uriEncode(args[0]) : null;
      case 'parseURL':
        return typeof args[0] === 'string' ? parseUrl(args[0]) : null;
      case 'isValidHostLabel':
        return isValidHostLabel(args[0], args[1] === true);
      case 'aws.partition':
        return this.#partition(args[0]);
      case 'aws.parseArn':
        return parseArn(args[0]);
      case 'aws.isVirtualHostableS3Bucket':
        return isVirtualHostableS3Bucket(args[0], args[1] === true);
      default:
        throw new EndpointResolutionError(`Unknown function ${JSON.stringify(name)} in the endpoint rule set`);
    }
  }

  /** botocore's aws_partition: the first partition listing the region or matching its regex, else the first (aws). */
  #partition(region: RuleValue): RuleValue {
    const partitions = this.#partitions.partitions;
    let chosen = partitions[0]!;
    if (typeof region === 'string') {
      const index = partitions.findIndex((p, i) => region in p.regions || this.#partitionRegexes[i]!.test(region));
      if (index !== -1) chosen = partitions[index]!;
    }
    return { ...chosen.outputs, name: chosen.id };
  }
}

function checkType(name: string, type: string, value: RuleValue): void {
  const t = type.toLowerCase();
  const ok = t === 'string' ? typeof value === 'string' : t === 'boolean' ? typeof value === 'boolean' : Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (!ok) throw new EndpointResolutionError(`Value (${name}) is the wrong type. Must be ${t === 'stringarray' ? 'list' : t === 'string' ? 'str' : 'bool'}.`);
}

function resolveProperties(value: RuleValue, scope: Scope): RuleValue {
  if (Array.isArray(value)) return value.map((v) => resolveProperties(v, scope));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, RuleValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveProperties(v, scope);
    return out;
  }
  if (typeof value === 'string' && TEMPLATE.test(value)) return resolveTemplate(value, scope);
  return value;
}

/** `name`, `a.b`, `list[2]`, `a.b[0]`: an out-of-range index is null. */
function getAttr(value: RuleValue, path: string): RuleValue {
  let current = value;
  for (const part of path.split('.')) {
    const match = GET_ATTR_INDEX.exec(part);
    if (match) {
      if (match[1]) current = typeof current === 'object' && current !== null && !Array.isArray(current) ? current[match[1]] : undefined;
      const index = Number(match[2]);
      if (!Array.isArray(current) || index >= current.length) return null;
      return current[index];
    }
    current = typeof current === 'object' && current !== null && !Array.isArray(current) ? current[part] : undefined;
  }
  return current;
}

function substring(value: RuleValue, start: number, stop: number, reverse: boolean): RuleValue {
  if (typeof value !== 'string') throw new EndpointResolutionError(`Input must be a string, not ${typeof value}.`);
  // eslint-disable-next-line no-control-regex
  if (start >= stop || value.length < stop || !/^[\x00-\x7f]*$/.test(value)) return null;
  return reverse ? value.slice(value.length - stop, value.length - start) : value.slice(start, stop);
}

/** botocore's percent_encode: everything but unreserved characters, UTF-8 bytes. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function isValidHostLabel(value: RuleValue, allowSubdomains: boolean): boolean {
  if (typeof value !== 'string') return false;
  if (!allowSubdomains) return HOST_LABEL.test(value);
  return value.split('.').every((label) => HOST_LABEL.test(label));
}

function isVirtualHostableS3Bucket(value: RuleValue, allowSubdomains: boolean): boolean {
  if (typeof value !== 'string' || value.length < 3 || value.toLowerCase() !== value || IPV4.test(value)) return false;
  return isValidHostLabel(value, allowSubdomains);
}

function parseArn(value: RuleValue): RuleValue {
  if (typeof value !== 'string' || !value.startsWith('arn:')) return null;
  const parts = value.split(':');
  if (parts.length < 6) return null;
  const [, partition, service, region, accountId] = parts as [string, string, string, string, string];
  const resource = parts.slice(5).join(':');
  if (!partition || !service || !resource) return null;
  return { partition, service, region, accountId, resourceId: resource.replace(/:/g, '/').split('/') };
}

function normalizePath(path: string): string {
  return path ? removeDotSegments(path) : '/';
}

const IPV6_HOST = /^\[[0-9A-Fa-f:.]+(?:%25[0-9A-Za-z._~-]+)?\]$/;

/** botocore's parse_url: http(s) only, no query, a numeric port; null otherwise. */
function parseUrl(value: string): RuleValue {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/.exec(value);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const authority = match[2]!;
  const path = match[3]!;
  if ((scheme !== 'http' && scheme !== 'https') || (match[4] !== undefined && match[4].length > 1)) return null;
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host = hostPort;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close === -1) return null;
    host = hostPort.slice(0, close + 1);
    const rest = hostPort.slice(close + 1);
    if (rest !== '' && !/^:\d*$/.test(rest)) return null;
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon !== -1) {
      const port = hostPort.slice(colon + 1);
      if (port !== '' && !/^\d+$/.test(port)) return null;
      if (port !== '' && Number(port) > 65535) return null;
      host = hostPort.slice(0, colon);
    }
  }
  // Python's quote(path): every byte but unreserved characters and '/' percent-encoded.
  let normalizedPath = normalizePath(path).split('/').map(uriEncode).join('/');
  if (!normalizedPath.endsWith('/')) normalizedPath += '/';
  const isIp = IPV4.test(host) || IPV6_HOST.test(host);
  return { scheme, authority, path, normalizedPath, isIp };
}
