/**
 * Endpoint resolution behind one interface. Today: the user's endpoint URL, or
 * https://{endpointPrefix}.{region}.{partition dnsSuffix}. The rule-set engine replaces the
 * second branch without changing callers.
 */
import { InvalidOptionError, NoRegionError } from '../errors.js';
import type { OperationModel, ServiceModel } from '../models/shapes.js';
import type { Partitions } from './partitions.js';

export interface ResolvedEndpoint {
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number | undefined;
  /** Path prefix of the endpoint without a trailing '/' ('' for none). */
  basePath: string;
  /** The endpoint as a URL string, for messages and client.meta. */
  url: string;
  headers: Record<string, string>;
  signingRegion: string | undefined;
  signingName: string;
  /** The endpoint's auth scheme ('sigv4', or 'sigv4-s3express' for S3 Express session auth); default sigv4. */
  authScheme?: string;
}

export interface EndpointResolver {
  /** True when resolve() wants `context.accountId`, the signing credentials' account. */
  readonly needsAccountId?: boolean;
  /** `context` is the call's context object (handlers of before-endpoint-resolution see it). */
  resolve(operation: OperationModel, params: Record<string, unknown>, context?: Record<string, unknown>): ResolvedEndpoint;
}

export interface EndpointSettings {
  region: string | undefined;
  endpointUrl: string | undefined;
  useSsl: boolean;
}

/** Splits a user-given endpoint URL once, with a clear error when it is not one. */
export function parseEndpointUrl(endpointUrl: string, source: string): Omit<ResolvedEndpoint, 'headers' | 'signingRegion' | 'signingName'> {
  let url: URL;
  try {
    url = new URL(endpointUrl);
  } catch {
    throw new InvalidOptionError('client', source, `not a valid URL: ${JSON.stringify(endpointUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidOptionError('client', source, `the URL must start with http:// or https://, got ${JSON.stringify(endpointUrl)}`);
  }
  const basePath = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  const port = url.port === '' ? undefined : Number(url.port);
  // IPv6 hosts come back bracketed from URL; node:http wants them bare.
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { protocol: url.protocol, hostname, port, basePath, url: `${url.protocol}//${url.host}${basePath}` };
}

export class StaticEndpointResolver implements EndpointResolver {
  private readonly endpoint: ResolvedEndpoint;

  constructor(model: ServiceModel, settings: EndpointSettings, partitions: Partitions) {
    const { region, endpointUrl, useSsl } = settings;
    let base: Omit<ResolvedEndpoint, 'headers' | 'signingRegion' | 'signingName'>;
    if (endpointUrl !== undefined) {
      base = parseEndpointUrl(endpointUrl, 'endpointUrl');
    } else {
      if (!region) throw new NoRegionError();
      const dnsSuffix = partitions.lookup(region).dnsSuffix;
      const scheme = useSsl ? 'https:' : 'http:';
      const hostname = `${model.endpointPrefix}.${region}.${dnsSuffix}`;
      base = { protocol: scheme, hostname, port: undefined, basePath: '', url: `${scheme}//${hostname}` };
    }
    this.endpoint = { ...base, headers: {}, signingRegion: region, signingName: model.signingName };
  }

  resolve(): ResolvedEndpoint {
    return this.endpoint;
  }
}
