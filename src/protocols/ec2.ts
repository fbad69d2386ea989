/**
 * The `ec2` protocol: the query protocol with EC2's own rules (botocore's EC2Serializer and
 * EC2QueryParser):
 * - a member travels under its `queryName`, else its `locationName` capitalized, else its name;
 * - lists are always flattened (`InstanceId.1`, `Filter.1.Value.1`) and an empty list sends nothing;
 * - responses have no result wrapper, the request id is `<requestId>` under the root;
 * - errors are `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`.
 */
import type { ErrorResponse } from '../errors.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { parseQueryError, parseQueryResponse, serializeQueryRequest, type QueryDialect } from './query.js';
import type { Params, Parsed, Protocol, RawResponse, SerializedRequest } from './types.js';

// The name depends only on the (cached) member shape: compute it once per shape.
const names = new WeakMap<Shape, string | null>();

function ec2Name(shape: Shape): string | null {
  let name = names.get(shape);
  if (name === undefined) {
    const ser = shape.serialization;
    if (ser.queryName !== undefined) name = ser.queryName;
    // A locationName is always capitalized on input for ec2.
    else if (ser.name !== undefined && ser.name !== '') name = ser.name[0]!.toUpperCase() + ser.name.slice(1);
    else name = null;
    names.set(shape, name);
  }
  return name;
}

const EC2_DIALECT: QueryDialect = {
  serializedName: (shape, defaultName) => ec2Name(shape) ?? defaultName,
  ec2Lists: true,
};

export class Ec2Protocol implements Protocol {
  readonly name: string = 'ec2';

  serialize(params: Params, operation: OperationModel): SerializedRequest {
    return serializeQueryRequest(params, operation, EC2_DIALECT);
  }

  parse(response: RawResponse, operation: OperationModel): Parsed {
    return parseQueryResponse(response, operation, true);
  }

  parseError(response: RawResponse, operation: OperationModel): ErrorResponse {
    return parseQueryError(response, operation, true);
  }
}
