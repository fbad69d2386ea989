/** The check every protocol's error parsing shares: an answer from a proxy, not from the service. */
import { nodeHttp } from '../builtins.js';
import type { ErrorResponse } from '../errors.js';
import type { OperationModel } from '../models/shapes.js';
import { responseMetadata } from './json.js';
import type { Protocol, RawResponse } from './types.js';

/**
 * A 5xx whose body is empty or an HTML page came from a proxy or load balancer, not from
 * the service's protocol: report the status, as botocore does, instead of misparsing it.
 */
export function parseErrorResponse(protocol: Protocol, response: RawResponse, operation: OperationModel): ErrorResponse {
  const typed = response.headers['x-amzn-errortype'] !== undefined || response.headers['x-amzn-query-error'] !== undefined;
  if (response.statusCode >= 500 && !typed && isGenericBody(response.body)) {
    return {
      Error: { Code: String(response.statusCode), Message: nodeHttp().STATUS_CODES[response.statusCode] ?? '' },
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
