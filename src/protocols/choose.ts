/**
 * Which wire protocol a service speaks, chosen when a client is made, and the protocol's code,
 * loaded with the client's first call: each protocol is its own module, so a DynamoDB client
 * never compiles the XML reader or the CBOR codec (the bundle splits at these imports).
 */
import { UnsupportedProtocolError } from '../errors.js';
import type { ServiceModel } from '../models/shapes.js';
import type { Protocol } from './types.js';

/** botocore's priority order: when a model lists several protocols, the first of these wins. */
export const PROTOCOL_PRIORITY = ['json', 'rest-json', 'rest-xml', 'smithy-rpc-v2-cbor', 'query', 'ec2'] as const;

export type ProtocolName = (typeof PROTOCOL_PRIORITY)[number];

/** botocore's serializer_kwargs, as a creating-serializer.<service> handler may change them. */
export interface SerializerOptions {
  /** botocore's timestamp_precision: 'default' (seconds, microseconds in ISO 8601 when present) or 'millisecond'. */
  timestampPrecision?: 'default' | 'millisecond';
}

/** The protocol botocore would pick for this model, among those inia implements. */
export function chooseProtocol(model: ServiceModel): ProtocolName {
  const declared = model.protocols;
  for (const name of PROTOCOL_PRIORITY) if (declared.includes(name)) return name;
  throw new UnsupportedProtocolError(model.serviceName, declared);
}

/** Whether inia can speak to this service at all (used by tests and listings). */
export function isProtocolSupported(model: ServiceModel): boolean {
  return model.protocols.some((p) => (PROTOCOL_PRIORITY as readonly string[]).includes(p));
}

/** Each protocol's module, imported on first use (literal specifiers, so the bundler can split them). */
const LOADERS: Record<ProtocolName, () => Promise<() => Protocol>> = {
  json: async () => {
    const { JsonProtocol } = await import('./json.js');
    return () => new JsonProtocol();
  },
  'rest-json': async () => {
    const { RestJsonProtocol } = await import('./rest-json.js');
    return () => new RestJsonProtocol();
  },
  'rest-xml': async () => {
    const { RestXmlProtocol } = await import('./rest-xml.js');
    return () => new RestXmlProtocol();
  },
  'smithy-rpc-v2-cbor': async () => {
    const { RpcV2CborProtocol } = await import('./rpcv2-cbor.js');
    return () => new RpcV2CborProtocol();
  },
  query: async () => {
    const { QueryProtocol } = await import('./query.js');
    return () => new QueryProtocol();
  },
  ec2: async () => {
    const { Ec2Protocol } = await import('./ec2.js');
    return () => new Ec2Protocol();
  },
};

/** The protocol's serializer and parser, with the creating-serializer handlers' options applied. */
export async function loadProtocol(name: ProtocolName, options?: SerializerOptions): Promise<Protocol> {
  const protocol = (await LOADERS[name]())();
  if (options?.timestampPrecision !== 'millisecond') return protocol;
  const { withMillisecondProtocol } = await import('./values.js');
  return withMillisecondProtocol(protocol);
}
