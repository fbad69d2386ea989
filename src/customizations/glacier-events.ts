/**
 * Where Glacier's handlers (glacier.ts) are registered: this module is loaded with the package,
 * the handlers' code with a Glacier client's first call (lazy-handlers.ts).
 */
import type { HierarchicalEmitter } from '../events.js';
import { lazyHandlers } from './lazy-handlers.js';

const handler = lazyHandlers(() => import('./glacier.js'));

export function registerGlacierCustomizations(events: HierarchicalEmitter): void {
  events.register('before-parameter-build.glacier', handler('injectAccountId'), 'glacier-account-id');
  events.register('before-call.glacier', handler('addGlacierVersion'), 'glacier-version');
  events.register('before-call.glacier.UploadArchive', handler('addGlacierChecksums'), 'glacier-checksums-UploadArchive');
  events.register('before-call.glacier.UploadMultipartPart', handler('addGlacierChecksums'), 'glacier-checksums-UploadMultipartPart');
}
