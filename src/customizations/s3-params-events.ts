/**
 * Where S3's parameter handlers (s3-params.ts) are registered: this module is loaded with the
 * package, the handlers' own code with an S3 client's first call (lazy-handlers.ts).
 */
import type { HierarchicalEmitter } from '../events.js';
import { lazyHandlers } from './lazy-handlers.js';

const handler = lazyHandlers(() => import('./s3-params.js'));

/** The call's context flag add_expect_header reads (s3-expect.ts). */
export const BODY_IS_FILE_LIKE = 's3BodyIsFileLike';

/** The operations botocore registers sse_md5 on (copy_source_sse_md5 too for the two copies). */
export const SSE_MD5_OPERATIONS = ['HeadObject', 'GetObject', 'PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'SelectObjectContent'] as const;

/** Which handlers run on which operation, in botocore's BUILTIN_HANDLERS order per event. */
export function registerS3ParamHandlers(events: HierarchicalEmitter): void {
  // botocore registers convert_body_to_file_like_object REGISTER_LAST: after every other
  // handler of the operation (sse_md5, validate_ascii_metadata, the user's).
  for (const op of ['UploadPart', 'PutObject']) events.registerLast(`before-parameter-build.s3.${op}`, handler('convertBodyToFileLike'), `s3-convert-body-${op}`);
  events.register('before-parameter-build.s3', handler('validateBucketName'), 's3-validate-bucket-name');
  for (const op of ['CopyObject', 'UploadPartCopy']) events.register(`before-parameter-build.s3.${op}`, handler('handleCopySourceParam'), `s3-copy-source-${op}`);
  for (const op of ['CopyObject', 'PutObject', 'CreateMultipartUpload']) events.register(`before-parameter-build.s3.${op}`, handler('validateAsciiMetadata'), `s3-ascii-metadata-${op}`);
  for (const op of SSE_MD5_OPERATIONS) {
    events.register(`before-parameter-build.s3.${op}`, handler('sseMd5'), `s3-sse-md5-${op}`);
    if (op === 'CopyObject' || op === 'UploadPartCopy') events.register(`before-parameter-build.s3.${op}`, handler('copySourceSseMd5'), `s3-copy-source-sse-md5-${op}`);
  }
}
