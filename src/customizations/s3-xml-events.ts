/**
 * Where S3's XML-body and header handlers (s3-xml.ts) are registered: this module is loaded
 * with the package, the handlers' code with an S3 client's first call (lazy-handlers.ts).
 */
import type { HierarchicalEmitter } from '../events.js';
import { lazyHandlers } from './lazy-handlers.js';

const handler = lazyHandlers(() => import('./s3-xml.js'));

/**
 * The S3 operations whose output has botocore's `Expires` header member (checked against the
 * model by the tests): handle_expires_header is registered on before-parse.s3.* and looks at the
 * shape each time; registering on these alone gives the same results and costs other calls nothing.
 */
export const EXPIRES_OPERATIONS = ['GetObject', 'HeadObject'] as const;

export function registerS3XmlHandlers(events: HierarchicalEmitter): void {
  for (const op of ['DeleteObjects', 'PutBucketLifecycleConfiguration']) events.register(`before-call.s3.${op}`, handler('escapeXmlPayload'), `s3-escape-xml-payload-${op}`);
  events.register('after-call.s3.GetBucketLocation', handler('parseGetBucketLocation'), 's3-parse-get-bucket-location');
  for (const op of EXPIRES_OPERATIONS) {
    events.register(`before-parse.s3.${op}`, handler('handleExpiresHeader'), `s3-expires-header-${op}`);
    // botocore adds ExpiresString to the parsed answer right after parsing (before after-call's handlers see it).
    events.registerFirst(`after-call.s3.${op}`, handler('addExpiresString'), `s3-expires-string-${op}`);
    events.register(`after-call-error.s3.${op}`, handler('addExpiresStringToError'), `s3-expires-string-error-${op}`);
  }
}
