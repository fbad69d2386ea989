/** Picks a service's wire protocol, and the checks every protocol's error parsing shares. */
import { STATUS_CODES } from 'node:http';
import { UnsupportedProtocolError, type ErrorResponse } from '../errors.js';
import type { OperationModel, ServiceModel } from '../models/shapes.js';
import { Ec2Protocol } from './ec2.js';
import { JsonProtocol, responseMetadata } from './json.js';
import { QueryProtocol } from './query.js';
import { RestJsonProtocol } from './rest-json.js';
import { RestXmlProtocol } from './rest-xml.js';
import { RpcV2CborProtocol } from './rpcv2-cbor.js';
import type { Protocol, RawResponse } from './types.js';
import { withMillisecondTimestamps } from './values.js';

/** botocore's priority order: when a model lists several protocols, the first of these wins. */
export const PROTOCOL_PRIORITY = ['json', 'rest-json', 'rest-xml', 'smithy-rpc-v2-cbor', 'query', 'ec2'] as const;

const implementations: Partial<Record<(typeof PROTOCOL_PRIORITY)[number], () => Protocol>> = {
  json: () => new JsonProtocol(),
  'rest-json': () => new RestJsonProtocol(),
  'rest-xml': () => new RestXmlProtocol(),
  'smithy-rpc-v2-cbor': () => new RpcV2CborProtocol(),
  query: () => new QueryProtocol(),
  ec2: () => new Ec2Protocol(),
};

/** botocore's serializer_kwargs, as a creating-serializer.<service> handler may change them. */
export interface SerializerOptions {
  /** botocore's timestamp_precision: 'default' (seconds, microseconds in ISO 8601 when present) or 'millisecond'. */
  timestampPrecision?: 'default' | 'millisecond';
}

/** The protocol botocore would pick for this model, among those inia implements. */
export function protocolFor(model: ServiceModel, options?: SerializerOptions): Protocol {
  const declared = model.protocols;
  for (const name of PROTOCOL_PRIORITY) {
    if (declared.includes(name)) {
      const make = implementations[name];
      if (make) return options?.timestampPrecision === 'millisecond' ? withMilliseconds(make()) : make();
    }
  }
  throw new UnsupportedProtocolError(model.serviceName, declared);
}

/** The same protocol, serializing timestamps with millisecond precision (only services that ask pay for it). */
function withMilliseconds(protocol: Protocol): Protocol {
  return {
    name: protocol.name,
    serialize: (params, operation) => withMillisecondTimestamps(() => protocol.serialize(params, operation)),
    parse: (response, operation) => protocol.parse(response, operation),
    parseError: (response, operation) => protocol.parseError(response, operation),
  };
}

/** Whether inia can speak to this service at all (used by tests and listings). */
export function isProtocolSupported(model: ServiceModel): boolean {
  return model.protocols.some((p) => p in implementations);
}

/**
 * A 5xx whose body is empty or an HTML page came from a proxy or load balancer, not from
 * the service's protocol: report the status, as botocore does, instead of misparsing it.
 */
export function parseErrorResponse(protocol: Protocol, response: RawResponse, operation: OperationModel): ErrorResponse {
  const typed = response.headers['x-amzn-errortype'] !== undefined || response.headers['x-amzn-query-error'] !== undefined;
  if (response.statusCode >= 500 && !typed && isGenericBody(response.body)) {
    return {
      Error: { Code: String(response.statusCode), Message: STATUS_CODES[response.statusCode] ?? '' },
      ResponseMetadata: responseMetadata(response),
    };
  }
  return protocol.parseError(response, operation);
}

function isGenericBody(body: Uint8Array): boolean {
  let start = 0;
  while (start < body.length && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09)) start++;
  if (start === body.length) return true;
  return Buffer.from(body.buffer, body.byteOffset + start, Math.min(6, body.length - start)).toString('latin1') === '<html>';
}

export type { Protocol, RawResponse, SerializedRequest } from './types.js';
