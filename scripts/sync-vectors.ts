/**
 * vectors:sync — copies botocore's own test vectors into test/vectors/, unchanged, so that the
 * conformance tests need nothing outside the repository:
 *
 *   protocols/{input,output}/*.json       <- tests/unit/protocols/{input,output}
 *   response-parsing/{xml,json}/...       <- tests/unit/response_parsing
 *   sigv4/...                             <- tests/unit/auth/aws4_testsuite
 *   endpoints/rules-engine/...            <- tests/unit/data/endpoints
 *   endpoints/services/<service>/...      <- tests/functional/endpoint-rules
 *   cbor/*.json                           <- tests/unit/cbor
 *   config/...                            <- tests/unit/cfg, tests/functional/configured_endpoint_urls
 *   LICENSE.txt, NOTICE                   <- botocore's (the vectors are Apache-2.0 data)
 *   VERSION.json                          <- which botocore they came from
 *
 * The source is a botocore source tree: a git checkout, an unpacked sdist, or the sdist
 * (botocore-X.Y.Z.tar.gz) itself. The wheel has no tests/, so the installed botocore cannot be
 * the source. Use the botocore version of models/VERSION.json: the endpoint tests are written
 * against that version's rule sets.
 *
 * Files the mapping no longer produces are removed; unchanged files are left untouched.
 * test/vectors/README.md is the repository's own and is kept.
 *
 * Usage: npm run build && node dist/scripts/sync-vectors.js <botocore checkout | sdist.tar.gz> [outDir]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/scripts/sync-vectors.js -> <repo>/test/vectors, independent of the working directory. */
export const DEFAULT_OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'vectors');

/** Files in the output folder that the sync never writes nor removes. */
const OWN_FILES = new Set(['README.md']);

interface Mapping {
  /** Path in the botocore tree (a folder, or one file when `file` is set). */
  from: string;
  /** Path under the output folder. */
  to: string;
  /** Folders: which files (by path relative to `from`) to copy. */
  keep?: (rel: string) => boolean;
  /** The source is a single file. */
  file?: true;
}

const json = (rel: string): boolean => rel.endsWith('.json');

/**
 * What is copied. Left out on purpose: the Python test drivers (*.py) and the READMEs beside
 * them, protocols/legacy (older copies of the same suites) and botocore's protocol ignore list
 * (inia's tests say themselves which cases they treat differently).
 */
export const MAPPINGS: readonly Mapping[] = [
  { from: 'LICENSE.txt', to: 'LICENSE.txt', file: true },
  { from: 'NOTICE', to: 'NOTICE', file: true },
  { from: 'tests/unit/protocols/input', to: 'protocols/input', keep: (rel) => json(rel) && !rel.includes('/') },
  { from: 'tests/unit/protocols/output', to: 'protocols/output', keep: (rel) => json(rel) && !rel.includes('/') },
  { from: 'tests/unit/response_parsing', to: 'response-parsing', keep: (rel) => rel.includes('/') && /\.(json|xml)$/.test(rel) },
  // The AWS suite comes with its own LICENSE, NOTICE and readme files: all of it is kept.
  { from: 'tests/unit/auth/aws4_testsuite', to: 'sigv4', keep: () => true },
  { from: 'tests/unit/data/endpoints', to: 'endpoints/rules-engine', keep: json },
  { from: 'tests/functional/endpoint-rules', to: 'endpoints/services', keep: (rel) => rel.endsWith('/endpoint-tests-1.json') },
  { from: 'tests/unit/cbor', to: 'cbor', keep: (rel) => json(rel) && !rel.includes('/') },
  // Sample ~/.aws/config and credentials files (no extension) for the config-file parser.
  { from: 'tests/unit/cfg', to: 'config', keep: (rel) => !rel.includes('/') && !rel.endsWith('.py') },
  {
    from: 'tests/functional/configured_endpoint_urls/profile-tests.json',
    to: 'config/configured-endpoint-urls-tests.json',
    file: true,
  },
];

export interface SyncReport {
  botocore: string;
  /** What was read: the botocore tree, or the sdist file. */
  source: string;
  copied: { from: string; to: string; files: number; bytes: number }[];
  files: number;
  bytes: number;
  added: number;
  changed: number;
  removed: string[];
}

/** Copies the vectors of the botocore tree or sdist at `source` into `outDir`. */
export function syncVectors(source: string, outDir: string = DEFAULT_OUT_DIR): SyncReport {
  const input = resolve(source);
  const stat = statSync(input, { throwIfNoEntry: false });
  if (!stat) throw new Error(`no such file or folder: ${input}`);
  if (stat.isFile()) {
    // An sdist: unpack it into a temporary folder, read it, and delete it again.
    const temp = mkdtempSync(join(tmpdir(), 'inia-vectors-'));
    try {
      execFileSync('tar', ['-xzf', input, '-C', temp], { stdio: ['ignore', 'ignore', 'pipe'] });
      return syncFromTree(findBotocoreRoot(temp, input), outDir, input);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }
  const root = findBotocoreRoot(input, input);
  return syncFromTree(root, outDir, root);
}

/** The folder holding botocore/__init__.py and tests/: `dir` itself or its single child (an unpacked sdist). */
function findBotocoreRoot(dir: string, shownAs: string): string {
  const isRoot = (d: string): boolean => existsSync(join(d, 'botocore', '__init__.py')) && existsSync(join(d, 'tests'));
  if (isRoot(dir)) return dir;
  const children = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  if (children.length === 1 && isRoot(join(dir, children[0]!.name))) return join(dir, children[0]!.name);
  throw new Error(
    `${shownAs} is not a botocore source tree (botocore/__init__.py and tests/ expected; a checkout of github.com/boto/botocore or its sdist; the wheel has no tests)`,
  );
}

function syncFromTree(root: string, outDir: string, shownAs: string): SyncReport {
  const init = readFileSync(join(root, 'botocore', '__init__.py'), 'utf8');
  const botocore = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(init)?.[1] ?? 'unknown';

  // Everything is read before anything is written: a source of another layout changes nothing.
  const planned = new Map<string, Buffer>();
  const report: SyncReport = { botocore, source: shownAs, copied: [], files: 0, bytes: 0, added: 0, changed: 0, removed: [] };
  for (const mapping of MAPPINGS) {
    const from = join(root, mapping.from);
    let files: [string, string][];
    if (mapping.file) {
      if (!statSync(from, { throwIfNoEntry: false })?.isFile()) throw new Error(`botocore ${botocore}: ${mapping.from} is missing; has the layout changed?`);
      files = [[from, mapping.to]];
    } else {
      if (!statSync(from, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`botocore ${botocore}: ${mapping.from}/ is missing; has the layout changed?`);
      files = listFiles(from)
        .filter((rel) => mapping.keep?.(rel) ?? true)
        .map((rel) => [join(from, rel), `${mapping.to}/${rel}`]);
      if (files.length === 0) throw new Error(`botocore ${botocore}: nothing to copy in ${mapping.from}/; has the layout changed?`);
    }
    let bytes = 0;
    for (const [src, dest] of files) {
      const data = readFileSync(src);
      planned.set(dest, data);
      bytes += data.length;
    }
    report.copied.push({ from: mapping.from, to: mapping.to, files: files.length, bytes });
    report.files += files.length;
    report.bytes += bytes;
  }
  planned.set('VERSION.json', Buffer.from(`${JSON.stringify({ botocore, files: report.files }, null, 2)}\n`));

  mkdirSync(outDir, { recursive: true });
  for (const rel of listFiles(outDir)) {
    if (!planned.has(rel) && !OWN_FILES.has(rel)) {
      rmSync(join(outDir, rel));
      report.removed.push(rel);
    }
  }
  removeEmptyFolders(outDir);
  for (const [rel, data] of planned) {
    const dest = join(outDir, rel);
    if (existsSync(dest)) {
      if (readFileSync(dest).equals(data)) continue;
      report.changed++;
    } else {
      report.added++;
    }
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, data);
  }
  return report;
}

/** Files under `dir`, as sorted '/'-separated paths relative to it. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out.sort();
}

function removeEmptyFolders(dir: string): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && removeEmptyFolders(join(dir, entry.name))) rmdirSync(join(dir, entry.name));
    else empty = false;
  }
  return empty;
}

/** The lines the command prints: what was copied from where, and what changed. */
export function describe(report: SyncReport, outDir: string): string[] {
  const mib = (n: number): string => (n < 1 << 20 ? `${Math.ceil(n / 1024)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);
  const lines = report.copied.map((c) => `copied ${c.files} file${c.files === 1 ? '' : 's'} (${mib(c.bytes)}): ${c.from} -> ${c.to}`);
  for (const rel of report.removed) lines.push(`removed ${rel}`);
  lines.push(
    `vectors:sync: botocore ${report.botocore} (${report.source}): ${report.files} files, ${mib(report.bytes)} in ${outDir}; ` +
      `${report.added} added, ${report.changed} changed, ${report.removed.length} removed`,
  );
  return lines;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [source, out] = process.argv.slice(2);
  if (source === undefined) {
    console.error('usage: node dist/scripts/sync-vectors.js <botocore checkout | botocore-X.Y.Z.tar.gz> [outDir]');
    process.exit(2);
  }
  const outDir = resolve(out ?? DEFAULT_OUT_DIR);
  try {
    for (const line of describe(syncVectors(source, outDir), outDir)) console.log(line);
  } catch (e) {
    console.error(`vectors:sync: ${(e as Error).message}`);
    process.exit(1);
  }
}
