/** Every protocol at once, synchronously (tests and tools); a client loads only its own (choose.ts). */
import { chooseProtocol, type ProtocolName, type SerializerOptions } from './choose.js';
import type { ServiceModel } from '../models/shapes.js';
import { Ec2Protocol } from './ec2.js';
import { JsonProtocol } from './json.js';
import { QueryProtocol } from './query.js';
import { RestJsonProtocol } from './rest-json.js';
import { RestXmlProtocol } from './rest-xml.js';
import { RpcV2CborProtocol } from './rpcv2-cbor.js';
import type { Protocol } from './types.js';
import { withMillisecondProtocol } from './values.js';

export { parseErrorResponse } from './error-response.js';
export type { Protocol, RawResponse, SerializedRequest } from './types.js';
export { PROTOCOL_PRIORITY, isProtocolSupported, type ProtocolName, type SerializerOptions } from './choose.js';

const implementations: Record<ProtocolName, () => Protocol> = {
  json: () => new JsonProtocol(),
  'rest-json': () => new RestJsonProtocol(),
  'rest-xml': () => new RestXmlProtocol(),
  'smithy-rpc-v2-cbor': () => new RpcV2CborProtocol(),
  query: () => new QueryProtocol(),
  ec2: () => new Ec2Protocol(),
};

/**
 * The protocol botocore would pick for this model, synchronously, with every protocol's code
 * loaded (the conformance tests use it; clients load only theirs, see choose.ts loadProtocol).
 */
export function protocolFor(model: ServiceModel, options?: SerializerOptions): Protocol {
  const protocol = implementations[chooseProtocol(model)]();
  return options?.timestampPrecision === 'millisecond' ? withMillisecondProtocol(protocol) : protocol;
}
