/**
 * Third-party libraries that are loaded on first use, synchronously: jmespath (paginators,
 * waiters, endpoint parameters bound by path) and the CRC32C and CRC64NVME checksums. A cold
 * DynamoDB call runs none of them, and code in a bundle is compiled when the bundle is imported
 * whether it runs or not (jmespath alone is 60 KB). Dynamic import() would not do: getPaginator
 * and getWaiter compile their expressions at once (bad syntax fails there, as in botocore), and
 * endpoint parameters are bound synchronously.
 *
 * Where a library comes from:
 * - In the bundles (dist/inia.js with its chunks, dist/inia.cjs), from the file scripts/build.mjs
 *   wrote for it in dist/vendor/, a CommonJS bundle of the package alone. Those builds define
 *   __INIA_VENDOR_DIR__ as the path of dist/vendor/ relative to the file the code ends up in
 *   ('./vendor/' for dist/inia.cjs, '../vendor/' for a chunk in dist/chunks/), which require()
 *   resolves against that file's import.meta.url.
 * - In the unbundled dist/src (what the tests import), nothing defines it, and `typeof` of an
 *   undeclared name is 'undefined' rather than an error: the npm package is required from
 *   node_modules.
 */
import { createRequire } from 'node:module';
import type * as JmespathPackage from 'jmespath';
import type * as Crc32cPackage from '@aws-crypto/crc32c';
import type * as Crc64NvmePackage from '@aws-sdk/crc64-nvme';

declare const __INIA_VENDOR_DIR__: string | undefined;

/** jmespath.js also exports compile() (parse only), which @types/jmespath leaves out. */
export type Jmespath = typeof JmespathPackage & { compile(expression: string): unknown };
export type Crc32c = typeof Crc32cPackage;
export type Crc64Nvme = typeof Crc64NvmePackage;

/** Each vendored file of dist/vendor/ and the package it bundles; scripts/build.mjs builds from it. */
export const VENDORED_PACKAGES: Readonly<Record<string, string>> = {
  'jmespath.cjs': 'jmespath',
  'crc32c.cjs': '@aws-crypto/crc32c',
  'crc64-nvme.cjs': '@aws-sdk/crc64-nvme',
};

let requireVendor: NodeJS.Require | undefined;

function vendored<T>(file: string): () => T {
  let loaded: T | undefined;
  return () => {
    if (loaded === undefined) {
      requireVendor ??= createRequire(import.meta.url);
      const specifier = typeof __INIA_VENDOR_DIR__ === 'string' ? `${__INIA_VENDOR_DIR__}${file}` : VENDORED_PACKAGES[file]!;
      loaded = requireVendor(specifier) as T;
    }
    return loaded;
  };
}

export const jmespath: () => Jmespath = vendored<Jmespath>('jmespath.cjs');
export const crc32c: () => Crc32c = vendored<Crc32c>('crc32c.cjs');
export const crc64Nvme: () => Crc64Nvme = vendored<Crc64Nvme>('crc64-nvme.cjs');
