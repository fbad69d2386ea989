/** Where tests find the repository and the read-only conformance vectors beside it. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
/** ../shared next to the repository, as in CI. */
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const conformanceDir = join(sharedDir, 'conformance');
