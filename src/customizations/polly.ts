/** Polly's presigned SynthesizeSpeech URLs, as botocore's remove_content_type_header_for_presigning makes them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';

export function registerPollyCustomizations(events: HierarchicalEmitter): void {
  events.register('before-sign.polly.SynthesizeSpeech', removeContentTypeForPresigning, 'polly-presign-no-content-type');
}

/**
 * A presigned SynthesizeSpeech URL is meant for a browser's <audio src>: a GET with no body and
 * no Content-Type. The JSON content type the serializer set would otherwise be signed, and the
 * URL would only work with that header sent. Calls keep it (context.isPresignRequest is the
 * presigner's, see presign.ts).
 */
function removeContentTypeForPresigning(args: EventArgs): void {
  if ((args.context as Record<string, unknown> | undefined)?.isPresignRequest !== true) return;
  const request = args.request as HttpRequest;
  if (request.headers['content-type'] !== undefined) delete request.headers['content-type'];
}
