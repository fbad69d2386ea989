// The public types use Node's (Readable, FileHandle, NodeJS.ProcessEnv): load them for users whose tsconfig does not.
/// <reference types="node" preserve="true" />
/** The types of 'inia/stub' (dist/stub.js re-exports the same names from the main bundle). */
export { Stubber, ANY } from './stub.js';
