/**
 * The `rest-json` protocol (Lambda, API Gateway, EKS, Glacier...): members in the URI, query
 * string and headers as rest.ts places them, the rest as a JSON body (botocore's
 * RestJSONSerializer and RestJSONParser).
 */
import type { ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { applyQueryCompatibleCode, isPlainObject, parseJsonBody, parseJsonValue, serializeJsonValue } from './json.js';
import { parseRestOutput, parseRestShape, restResponseMetadata, serializeRest, type RestBodyCodec } from './rest.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';

const jsonCodec: RestBodyCodec = {
  serializeBody(value: Params, shape: Shape): string {
    // A document payload is any JSON value, a string included.
    return JSON.stringify(serializeJsonValue(value, shape, '', 'unixtimestamp'));
  },
  emptyBody: '{}',
  // botocore sends '{}' whenever the input has members that belong in the body, even if none is set.
  emptyBodyForUnsetMembers: true,
  contentType: 'application/json',
  parseBody(body: Uint8Array, shape: Shape): unknown {
    return parseJsonValue(parseJsonBody(body), shape);
  },
};

export class RestJsonProtocol implements Protocol {
  readonly name = 'rest-json';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    return serializeRest(params, operation, jsonCodec);
  }

  parse(response: RawResponse, operation: OperationModel): Parsed {
    return parseRestOutput(response, operation, jsonCodec);
  }

  /**
   * botocore's RestJSONParser error parsing: the code from the X-Amzn-ErrorType header, else
   * the body's `code`/`Code`, else `__type`, else the status code; "ns#Code:uri" trimmed to
   * "Code". Modeled error members are read from headers and body like an output.
   */
  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    const parsedBody = parseJsonBody(response.body);
    const body = isPlainObject(parsedBody) ? parsedBody : {};
    const message = body.message ?? body.Message ?? '';
    const error: ErrorResponse['Error'] = { Message: typeof message === 'string' ? message : JSON.stringify(message), Code: '' };
    const type = body.__type;
    let code = trimCode(typeof type === 'string' ? type : String(response.statusCode));
    const queryError = response.headers['x-amzn-query-error'];
    if (queryError !== undefined) code = applyQueryCompatibleCode(code, queryError, error);
    // botocore applies these after the query-compatible lookup, so they win over it.
    const headerType = response.headers['x-amzn-errortype'];
    const bodyCode = 'code' in body ? body.code : body.Code;
    if (headerType !== undefined) code = trimCode(headerType);
    else if (bodyCode !== undefined && bodyCode !== null) code = typeof bodyCode === 'string' ? trimCode(bodyCode) : String(bodyCode);
    error.Code = code;
    const result: ErrorResponse = { Error: error, ResponseMetadata: restResponseMetadata(response) };
    const errorShape = operation.serviceModel.shapeForErrorCode(code);
    if (errorShape) Object.assign(result, parseRestShape(response, errorShape, jsonCodec));
    return result;
  }
}

/** "aws.protocoltests#FooError:http://internal..." -> "FooError". */
function trimCode(code: string): string {
  const colon = code.indexOf(':');
  const bare = colon >= 0 ? code.slice(0, colon) : code;
  const hash = bare.lastIndexOf('#');
  return hash >= 0 ? bare.slice(hash + 1) : bare;
}
