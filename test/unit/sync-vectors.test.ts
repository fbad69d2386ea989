/**
 * scripts/sync-vectors.ts against a small botocore-shaped tree (and its sdist): what is copied
 * where, what is left out, what a re-run changes; and the vendored test/vectors against
 * models/VERSION.json.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { after, describe, it } from 'node:test';
import { describe as describeReport, syncVectors } from '../../scripts/sync-vectors.js';
import { repoRoot, vectorsDir } from '../helpers/paths.js';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'inia-sync-vectors-'));
  temps.push(dir);
  return dir;
}

function write(root: string, rel: string, text: string): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), text);
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** One file of every kind botocore has, copied or not; each holds its own path. */
const SOURCE_FILES = [
  'LICENSE.txt',
  'NOTICE',
  'tests/unit/protocols/input/query.json',
  'tests/unit/protocols/output/query.json',
  'tests/unit/protocols/legacy/input/query.json',
  'tests/unit/protocols/protocol-tests-ignore-list.json',
  'tests/unit/response_parsing/README.rst',
  'tests/unit/response_parsing/test_response_parsing.py',
  'tests/unit/response_parsing/xml/responses/sqs-list-queues.xml',
  'tests/unit/response_parsing/xml/responses/sqs-list-queues.json',
  'tests/unit/response_parsing/json/errors/dynamodb-error.json',
  'tests/unit/auth/aws4_testsuite/LICENSE',
  'tests/unit/auth/aws4_testsuite/get-vanilla/get-vanilla.req',
  'tests/unit/auth/aws4_testsuite/post-sts-token/readme.txt',
  'tests/unit/auth/test_sigv4.py',
  'tests/unit/data/endpoints/valid-rules/fns.json',
  'tests/unit/data/endpoints/test-cases/fns.json',
  'tests/functional/endpoint-rules/s3/endpoint-tests-1.json',
  'tests/functional/endpoint-rules/s3/other.json',
  'tests/unit/cbor/decode-success-tests.json',
  'tests/unit/cbor/test_cbor_decoding.py',
  'tests/unit/cfg/aws_config',
  'tests/unit/cfg/aws_credentials',
  'tests/functional/configured_endpoint_urls/profile-tests.json',
  'tests/functional/configured_endpoint_urls/test_configured_endpoint_url.py',
];

const EXPECTED = [
  'LICENSE.txt',
  'NOTICE',
  'VERSION.json',
  'cbor/decode-success-tests.json',
  'config/aws_config',
  'config/aws_credentials',
  'config/configured-endpoint-urls-tests.json',
  'endpoints/rules-engine/test-cases/fns.json',
  'endpoints/rules-engine/valid-rules/fns.json',
  'endpoints/services/s3/endpoint-tests-1.json',
  'protocols/input/query.json',
  'protocols/output/query.json',
  'response-parsing/json/errors/dynamodb-error.json',
  'response-parsing/xml/responses/sqs-list-queues.json',
  'response-parsing/xml/responses/sqs-list-queues.xml',
  'sigv4/LICENSE',
  'sigv4/get-vanilla/get-vanilla.req',
  'sigv4/post-sts-token/readme.txt',
];

function fakeBotocore(version = '9.8.7'): string {
  const root = join(temp(), `botocore-${version}`);
  write(root, 'botocore/__init__.py', `import os\n__version__ = '${version}'\n`);
  for (const rel of SOURCE_FILES) write(root, rel, `${rel}\n`);
  return root;
}

describe('scripts/sync-vectors', () => {
  it('copies each mapped folder unchanged, leaves out drivers and legacy suites, and records the version', () => {
    const out = temp();
    const report = syncVectors(fakeBotocore(), out);
    assert.deepEqual(files(out), EXPECTED);
    assert.equal(readFileSync(join(out, 'endpoints/services/s3/endpoint-tests-1.json'), 'utf8'), 'tests/functional/endpoint-rules/s3/endpoint-tests-1.json\n');
    assert.equal(readFileSync(join(out, 'config/configured-endpoint-urls-tests.json'), 'utf8'), 'tests/functional/configured_endpoint_urls/profile-tests.json\n');
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'VERSION.json'), 'utf8')), { botocore: '9.8.7', files: EXPECTED.length - 1 });
    assert.equal(report.files, EXPECTED.length - 1);
    assert.equal(report.added, EXPECTED.length);
    const lines = describeReport(report, out);
    assert.ok(lines.includes('copied 3 files (1 KiB): tests/unit/auth/aws4_testsuite -> sigv4'), lines.join('\n'));
    assert.match(lines.at(-1)!, /^vectors:sync: botocore 9\.8\.7 \(.*botocore-9\.8\.7\): 17 files, \d+ KiB in .*; 18 added, 0 changed, 0 removed$/);
  });

  it('a re-run changes nothing; stale files go, test/vectors/README.md stays', () => {
    const source = fakeBotocore();
    const out = temp();
    syncVectors(source, out);
    write(out, 'README.md', 'ours\n');
    write(out, 'protocols/input/gone.json', '[]');
    write(out, 'old-folder/x.json', '{}');
    const again = syncVectors(source, out);
    assert.deepEqual({ added: again.added, changed: again.changed, removed: again.removed }, {
      added: 0,
      changed: 0,
      removed: ['old-folder/x.json', 'protocols/input/gone.json'],
    });
    assert.deepEqual(files(out), [...EXPECTED, 'README.md'].sort());
    assert.equal(existsSync(join(out, 'old-folder')), false);
  });

  it('reads an sdist (.tar.gz) as its unpacked tree, and names the sdist', () => {
    const source = fakeBotocore('1.2.3');
    const sdist = join(temp(), 'botocore-1.2.3.tar.gz');
    execFileSync('tar', ['-czf', sdist, '-C', dirname(source), 'botocore-1.2.3']);
    const out = temp();
    const report = syncVectors(sdist, out);
    assert.deepEqual(files(out), EXPECTED);
    assert.equal(report.source, sdist);
    assert.equal(report.botocore, '1.2.3');
  });

  it('refuses a tree that is not botocore, and a botocore whose layout changed, writing nothing', () => {
    const out = temp();
    assert.throws(() => syncVectors(temp(), out), /is not a botocore source tree/);
    const source = fakeBotocore();
    rmSync(join(source, 'tests/unit/cbor'), { recursive: true });
    assert.throws(() => syncVectors(source, out), /botocore 9\.8\.7: tests\/unit\/cbor\/ is missing/);
    assert.deepEqual(files(out), []);
  });
});

describe('test/vectors', () => {
  it('come from the botocore that models/ come from, complete, with botocore\'s LICENSE and NOTICE', () => {
    const vectors = JSON.parse(readFileSync(join(vectorsDir, 'VERSION.json'), 'utf8')) as { botocore: string; files: number };
    const models = JSON.parse(readFileSync(join(repoRoot, 'models', 'VERSION.json'), 'utf8')) as { botocore: string };
    assert.equal(vectors.botocore, models.botocore);
    const present = files(vectorsDir).filter((f) => f !== 'VERSION.json' && f !== 'README.md');
    assert.equal(present.length, vectors.files);
    assert.match(readFileSync(join(vectorsDir, 'LICENSE.txt'), 'utf8'), /Apache License\s+Version 2\.0/);
    assert.match(readFileSync(join(vectorsDir, 'NOTICE'), 'utf8'), /^Botocore\nCopyright/);
  });
});
