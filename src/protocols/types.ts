/** The one interface every wire protocol implements: a serializer and a parser pair. */
import type { Readable } from 'node:stream';
import type { ErrorResponse } from '../errors.js';
import type { HttpBody } from '../http/types.js';
import type { OperationModel } from '../models/shapes.js';

/** What a serializer produces: the parts of a request that depend on the operation. */
export interface SerializedRequest {
  method: string;
  /** Percent-encoded path relative to the endpoint's path, starting with '/'. */
  path: string;
  /** Percent-encoded query string without '?'; '' when none. */
  query: string;
  /** Lowercase header names. */
  headers: Record<string, string>;
  body: HttpBody | undefined;
  /** Expanded `endpoint.hostPrefix` of the operation, if any (e.g. 'data.'). */
  hostPrefix?: string;
}

/** A response as parsers see it: the body already read, unless the output streams. */
export interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Set instead of a buffered body for operations whose output member streams. */
  stream?: Readable;
}

export type Params = Record<string, unknown>;
export type Parsed = Record<string, unknown>;

export interface Protocol {
  readonly name: string;
  serialize(params: Params, operation: OperationModel): SerializedRequest;
  /** Parse a success response (status < 301) into the operation's output. */
  parse(response: RawResponse, operation: OperationModel): Parsed;
  /** Parse an error response into botocore's error dict, modeled error members included. */
  parseError(response: RawResponse, operation: OperationModel): ErrorResponse;
}
