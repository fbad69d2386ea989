/** Where tests find the repository and the test vectors vendored in it (test/vectors). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 10; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`test/helpers/paths: no repository root above ${start}`);
}

export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
/**
 * botocore's own test vectors, copied unchanged into the repository by scripts/sync-vectors.ts
 * (test/vectors/VERSION.json says from which botocore), so a checkout needs nothing beside it.
 */
export const vectorsDir = join(repoRoot, 'test', 'vectors');
