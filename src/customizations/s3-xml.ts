/**
 * botocore's S3 handlers around XML bodies and response headers:
 * - escape_xml_payload (before-call.s3.DeleteObjects, PutBucketLifecycleConfiguration)
 * - parse_get_bucket_location (after-call.s3.GetBucketLocation)
 * - handle_expires_header (before-parse.s3.*), with the ExpiresString member it adds.
 */
import { ClientError } from '../errors.js';
import type { EventArgs } from '../events.js';
import type { OperationModel } from '../models/shapes.js';
import type { RawResponse } from '../protocols/types.js';
import { parseTimestamp } from '../protocols/values.js';

// EXPIRES_OPERATIONS is in s3-xml-events.ts, which registers these handlers.
export { EXPIRES_OPERATIONS } from './s3-xml-events.js';


// ---------------------------------------------------------------- escape_xml_payload

const CR = 0x0d;
const LF = 0x0a;
const CR_ESCAPE = Buffer.from('&#xD;');
const LF_ESCAPE = Buffer.from('&#xA;');

/**
 * botocore's escape_xml_payload: '\r' and '\n' in the serialized document (they can only come
 * from the caller's values) become character references, so S3's XML parser does not normalize
 * a key's CRLF into LF and delete or keep the wrong object. inia's before-call has the request
 * already built, so its Content-Length is brought up to date too; the checksum is computed
 * later, from the escaped body, as botocore's is.
 */
export function escapeXmlPayload(args: EventArgs): void {
  const request = args.request as { body: unknown; headers: Record<string, string> };
  const body = request.body;
  let escaped: Uint8Array;
  if (typeof body === 'string') {
    if (!body.includes('\r') && !body.includes('\n')) return;
    escaped = escapeBytes(Buffer.from(body, 'utf8'));
  } else if (body instanceof Uint8Array) {
    if (!body.includes(CR) && !body.includes(LF)) return;
    escaped = escapeBytes(body);
  } else {
    return;
  }
  request.body = escaped;
  if (request.headers['content-length'] !== undefined) request.headers['content-length'] = String(escaped.byteLength);
}

function escapeBytes(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== CR && b !== LF) continue;
    parts.push(bytes.subarray(start, i), b === CR ? CR_ESCAPE : LF_ESCAPE);
    start = i + 1;
  }
  parts.push(bytes.subarray(start));
  return Buffer.concat(parts);
}

// ---------------------------------------------------------------- parse_get_bucket_location

/**
 * botocore's parse_get_bucket_location: the answer's root element *is* the value
 * (<LocationConstraint>eu-west-1</LocationConstraint>), which the model cannot say, so the
 * text is read here. An empty element (us-east-1) reads null, as botocore's None: the member
 * is there, without a value. Nothing is done for an answer that did not come from the wire
 * (a before-call answer, the Stubber's), as botocore skips http_response.raw None.
 */
export async function parseGetBucketLocation(args: EventArgs): Promise<void> {
  const response = args.httpResponse as RawResponse | undefined;
  if (response === undefined || response === null) return;
  const parsed = args.parsed as Record<string, unknown>;
  // A malformed body raises, as ElementTree's parse error does in botocore.
  // The rest-xml protocol's reader, already loaded by the call (imported here, not with the package).
  const { parseXml } = await import('../protocols/xml/reader.js');
  const root = parseXml(response.body);
  parsed.LocationConstraint = root.text === '' ? null : root.text;
}

// ---------------------------------------------------------------- handle_expires_header

const EXPIRES_STRING = 's3ExpiresString';

/** botocore's _has_expires_shape, once per operation model. */
const hasExpires = new WeakMap<OperationModel, boolean>();

function hasExpiresShape(operation: OperationModel): boolean {
  let has = hasExpires.get(operation);
  if (has === undefined) {
    has = false;
    for (const [name, member] of operation.outputShape?.members ?? []) if (name === 'Expires' && member.serialization.name === 'Expires') has = true;
    hasExpires.set(operation, has);
  }
  return has;
}

/**
 * botocore's handle_expires_header: the Expires header is an HTTP date that servers fill with
 * anything ('0', 'never'). Its text is always returned as ExpiresString; when it does not read
 * as a timestamp, the header is dropped before parsing, so the call returns no Expires instead
 * of failing. "Reads as a timestamp" is asked of inia's own timestamp parser (the one that
 * would parse it), where botocore asks dateutil: a value that one of them reads and the other
 * does not is possible (dateutil reads more: 'Thursday' alone, for one).
 */
export function handleExpiresHeader(args: EventArgs): void {
  const operation = args.operationModel as OperationModel;
  if (!hasExpiresShape(operation)) return;
  const context = args.context as Record<string, unknown>;
  // Each attempt's answer speaks for itself (a retried call must not keep an earlier one's).
  context[EXPIRES_STRING] = undefined;
  const response = args.response as RawResponse;
  const value = response.headers.expires;
  // botocore's walrus: an empty header counts as none.
  if (value === undefined || value === '') return;
  context[EXPIRES_STRING] = value;
  try {
    parseTimestamp(value);
  } catch {
    delete response.headers.expires;
  }
}

export function addExpiresString(args: EventArgs): void {
  const value = (args.context as Record<string, unknown>)[EXPIRES_STRING];
  if (typeof value === 'string' && args.parsed !== null && typeof args.parsed === 'object') (args.parsed as Record<string, unknown>).ExpiresString = value;
}

/** botocore updates the parsed error answer the same way (the error's response). */
export function addExpiresStringToError(args: EventArgs): void {
  const value = (args.context as Record<string, unknown>)[EXPIRES_STRING];
  if (typeof value === 'string' && args.exception instanceof ClientError) (args.exception.response as unknown as Record<string, unknown>).ExpiresString = value;
}
