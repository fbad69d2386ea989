/** The package version, kept equal to package.json's by a unit test (no file read at startup). */
export const VERSION = '0.1.0';
