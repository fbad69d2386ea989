/**
 * URL splitting as Python's urllib.parse.urlsplit does it, because botocore validates hosts
 * with it. Kept apart from imds.ts so that validating IMDS settings at client creation
 * (imds-settings.ts) does not load the metadata fetchers.
 */
import { nodeNet } from '../builtins.js';
import { InvalidConfigError } from '../errors.js';

/** The parts of a URL as Python's urllib.parse.urlsplit sees them. */
export interface PythonUrlParts {
  scheme: string;
  netloc: string;
  path: string;
  query: string;
  /** Lowercased (the zone, after '%', keeps its case); undefined when the URL has none. */
  hostname: string | undefined;
  /** The port text, '' when absent; not validated (Python checks it only when asked). */
  portText: string;
}

/**
 * urlsplit as Python 3.11 does it, because botocore validates hosts with it: the host it
 * checks must be the host we connect to, and WHATWG URL parsing disagrees on inputs such as
 * `http://a\@127.0.0.1/` or `http://127.1/`. Throws for malformed bracketed hosts, as Python does.
 */
export function pythonUrlSplit(input: string): PythonUrlParts {
  // Leading C0 controls and spaces are dropped, and tab/CR/LF removed anywhere (bpo-43882).
  let url = input.replace(/^[\x00-\x20]+/, '').replace(/[\t\r\n]/g, '');
  let scheme = '';
  const colon = url.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(url.slice(0, colon))) {
    scheme = url.slice(0, colon).toLowerCase();
    url = url.slice(colon + 1);
  }
  let netloc = '';
  if (url.startsWith('//')) {
    const rest = url.slice(2);
    const end = rest.search(/[/?#]/);
    netloc = end < 0 ? rest : rest.slice(0, end);
    url = end < 0 ? '' : rest.slice(end);
    checkBrackets(netloc);
  }
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const question = url.indexOf('?');
  const query = question < 0 ? '' : url.slice(question + 1);
  const path = question < 0 ? url : url.slice(0, question);
  return { scheme, netloc, path, query, ...hostAndPort(netloc) };
}

function checkBrackets(netloc: string): void {
  const open = netloc.includes('[');
  const close = netloc.includes(']');
  if (open !== close) throw new InvalidConfigError(`Invalid IPv6 URL: ${netloc}`);
  if (!open) return;
  const inside = netloc.slice(netloc.indexOf('[') + 1).split(']')[0]!;
  // IPvFuture (v1.xyz) is allowed through; anything else in brackets must be an IPv6 address.
  if (/^v/i.test(inside)) return;
  const percent = inside.indexOf('%');
  const address = percent < 0 ? inside : inside.slice(0, percent);
  if (!nodeNet().isIPv6(address) || (percent >= 0 && !isValidScope(inside.slice(percent + 1)))) {
    throw new InvalidConfigError(`${JSON.stringify(inside)} does not appear to be an IPv6 address`);
  }
}

/** Python's IPv6Address scope id: non-empty, no further '%'. */
export function isValidScope(scope: string): boolean {
  return scope !== '' && !scope.includes('%');
}

function hostAndPort(netloc: string): { hostname: string | undefined; portText: string } {
  const hostinfo = netloc.slice(netloc.lastIndexOf('@') + 1);
  let host: string;
  let portText: string;
  const open = hostinfo.indexOf('[');
  if (open >= 0) {
    const bracketed = hostinfo.slice(open + 1);
    const close = bracketed.indexOf(']');
    host = close < 0 ? bracketed : bracketed.slice(0, close);
    const after = close < 0 ? '' : bracketed.slice(close + 1);
    const portColon = after.indexOf(':');
    portText = portColon < 0 ? '' : after.slice(portColon + 1);
  } else {
    const portColon = hostinfo.indexOf(':');
    host = portColon < 0 ? hostinfo : hostinfo.slice(0, portColon);
    portText = portColon < 0 ? '' : hostinfo.slice(portColon + 1);
  }
  if (host === '') return { hostname: undefined, portText };
  const percent = host.indexOf('%');
  const hostname = percent < 0 ? host.toLowerCase() : host.slice(0, percent).toLowerCase() + host.slice(percent);
  return { hostname, portText };
}
