// Writes the 'inia/stub' entries, dist/stub.js (ESM) and dist/stub.cjs (CommonJS): re-exports
// from the main bundle of the same format, so that the Stubber works with the very classes
// (clients, ClientError) users get from 'inia'.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function writeStubEntries() {
  writeFileSync(new URL('../dist/stub.js', import.meta.url), "export { Stubber, ANY } from './inia.js';\n");
  writeFileSync(
    new URL('../dist/stub.cjs', import.meta.url),
    "'use strict';\nconst inia = require('./inia.cjs');\nexports.Stubber = inia.Stubber;\nexports.ANY = inia.ANY;\n",
  );
}

// Run on its own (`node scripts/write-stub-entry.mjs`) as well as from scripts/build.mjs.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) writeStubEntries();
