// Writes dist/stub.js, the 'inia/stub' entry: a re-export from the main bundle, so that the
// Stubber works with the very classes (clients, ClientError) users get from 'inia'.
import { writeFileSync } from 'node:fs';
writeFileSync(new URL('../dist/stub.js', import.meta.url), "export { Stubber, ANY } from './inia.js';\n");
