/** S3's quirks, as botocore's handlers treat them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { OperationModel } from '../models/shapes.js';
import type { RawResponse } from '../protocols/types.js';
import { peekXmlRoot } from '../protocols/xml/reader.js';

export function registerS3Customizations(events: HierarchicalEmitter): void {
  events.registerFirst('before-parse.s3', handle200Error, 's3-200-error');
}

/**
 * S3 can answer 200 with an <Error> body (CompleteMultipartUpload, CopyObject, UploadPartCopy,
 * ...) or cut such a body short. botocore turns that into a 500 so it is raised (and retried),
 * never returned as a result. Outputs whose payload is a blob or string are left alone: their
 * body is the user's data.
 */
function handle200Error(args: EventArgs): void {
  const response = args.response as RawResponse;
  const operation = args.operationModel as OperationModel;
  if (response.statusCode !== 200 || response.stream !== undefined || response.body.length === 0) return;
  const output = operation.outputShape;
  if (!output || output.eventStreamName !== undefined) return;
  const payload = output.serialization.payload;
  if (payload !== undefined) {
    const type = output.members.get(payload)?.typeName;
    if (type === 'blob' || type === 'string') return;
  }
  if (looksLikeError(response.body)) response.statusCode = 500;
}

function looksLikeError(body: Uint8Array): boolean {
  // Only the root's name and whether the document is complete matter: no full parse of a
  // large listing just for this check.
  const root = peekXmlRoot(body);
  // A truncated or unreadable body (a connection dropped mid-answer) counts as a server error too.
  return root === undefined || !root.closed || root.name === 'Error';
}
