/** The types of 'inia/stub' (dist/stub.js re-exports the same names from the main bundle). */
export { Stubber, ANY } from './stub.js';
