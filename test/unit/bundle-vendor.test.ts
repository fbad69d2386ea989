/**
 * The third-party libraries of src/vendor.ts (jmespath, CRC32C, CRC64NVME) stay out of the
 * bundles: dist/inia.js, its chunks and dist/inia.cjs hold none of their code, so importing the
 * package compiles none of it. Each bundle requires the library's own file in dist/vendor/ when
 * something first needs it, and not before: a DynamoDB client and its GetItem load none, a
 * paginator loads jmespath, a CRC32C or CRC64NVME checksum loads its library. Each bundle runs
 * in a child process of its own, whose module cache starts empty; all traffic is loopback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { VENDORED_PACKAGES, crc32c, crc64Nvme, jmespath } from '../../src/vendor.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { repoRoot } from '../helpers/paths.js';

const dist = join(repoRoot, 'dist');

/** A string each library's code holds and inia's own code does not (a name kept as a string). */
const MARKERS: Readonly<Record<string, string>> = {
  'jmespath.cjs': 'LexerError',
  'crc32c.cjs': 'AwsCrc32c',
  'crc64-nvme.cjs': 'CrtCrc64Nvme',
};

function bundleFiles(): string[] {
  const chunks = readdirSync(join(dist, 'chunks')).filter((name) => name.endsWith('.js')).map((name) => join(dist, 'chunks', name));
  return [join(dist, 'inia.js'), join(dist, 'inia.cjs'), ...chunks];
}

/**
 * The child's script, the same for both module systems: after each step, the vendored files and
 * node_modules packages in the CommonJS module cache (where require() puts what it loads),
 * relative to the repository. The CRC checksums come from S3 PutObject's ChecksumAlgorithm, whose
 * headers the loopback server records.
 */
const CHILD_BODY = String.raw`
const { relative } = require('node:path');
const root = process.env.INIA_REPO;
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
async function main(load, cache) {
  const loaded = () => Object.keys(cache).map((file) => relative(root, file)).filter((file) => file.startsWith('dist/vendor/') || file.includes('node_modules/')).sort();
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      seen.push(req.headers);
      const json = req.headers['x-amz-target'] !== undefined;
      res.writeHead(200, json ? { 'content-type': 'application/x-amz-json-1.0' } : {});
      res.end(json ? JSON.stringify({ Item: { id: { S: '1' } } }) : '');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpointUrl = 'http://127.0.0.1:' + server.address().port;
  const stages = {};
  const inia = await load();
  stages.imported = loaded();
  const ddb = inia.client('dynamodb', { endpointUrl, region: 'us-east-1', credentials });
  stages.client = loaded();
  const s3 = inia.client('s3', { endpointUrl, region: 'us-east-1', credentials });
  try {
    const item = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } } });
    stages.getItem = loaded();
    ddb.getPaginator('scan');
    stages.paginator = loaded();
    await s3.putObject({ Bucket: 'b', Key: 'k', Body: '123456789', ChecksumAlgorithm: 'CRC32C' });
    await s3.putObject({ Bucket: 'b', Key: 'k', Body: '123456789', ChecksumAlgorithm: 'CRC64NVME' });
    stages.checksums = loaded();
    return { stages, item: item.Item, crc32c: seen[1]['x-amz-checksum-crc32c'], crc64nvme: seen[2]['x-amz-checksum-crc64nvme'] };
  } finally {
    ddb.destroy();
    s3.destroy();
    server.close();
  }
}
`;

const ESM_CHILD = `import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const require = createRequire(import.meta.url);
${CHILD_BODY}
console.log(JSON.stringify(await main(() => import(pathToFileURL(process.env.INIA_BUNDLE).href), require.cache)));
`;

const CJS_CHILD = `'use strict';
const { createServer } = require('node:http');
${CHILD_BODY}
main(async () => require(process.env.INIA_BUNDLE), require.cache).then((out) => console.log(JSON.stringify(out)), (err) => { console.error(err); process.exitCode = 1; });
`;

interface ChildOutput {
  stages: Record<'imported' | 'client' | 'getItem' | 'paginator' | 'checksums', string[]>;
  item: unknown;
  crc32c: string;
  crc64nvme: string;
}

function runChild(bundle: string, script: string, inputType: 'module' | 'commonjs'): ChildOutput {
  const env = { ...EMPTY_ENV, PATH: process.env.PATH, INIA_BUNDLE: join(dist, bundle), INIA_REPO: repoRoot };
  const result = spawnSync(process.execPath, [`--input-type=${inputType}`, '-e', script], { cwd: repoRoot, env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `the child failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as ChildOutput;
}

function judge(out: ChildOutput): void {
  assert.deepEqual(out.stages, {
    imported: [],
    client: [],
    getItem: [],
    paginator: ['dist/vendor/jmespath.cjs'],
    checksums: ['dist/vendor/crc32c.cjs', 'dist/vendor/crc64-nvme.cjs', 'dist/vendor/jmespath.cjs'],
  });
  assert.deepEqual(out.item, { id: { S: '1' } });
  // The check values of CRC-32C and CRC-64/NVME: the digests of '123456789'.
  assert.equal(out.crc32c, Buffer.from('e3069283', 'hex').toString('base64'));
  assert.equal(out.crc64nvme, Buffer.from('ae8b14860a799888', 'hex').toString('base64'));
}

describe('vendored libraries (src/vendor.ts, dist/vendor/)', () => {
  it('the build writes one file per vendored library, and the bundles hold none of their code', () => {
    assert.deepEqual(readdirSync(join(dist, 'vendor')).sort(), Object.keys(VENDORED_PACKAGES).sort());
    assert.deepEqual(Object.keys(MARKERS).sort(), Object.keys(VENDORED_PACKAGES).sort());
    for (const [file, marker] of Object.entries(MARKERS)) {
      assert.ok(readFileSync(join(dist, 'vendor', file), 'utf8').includes(marker), `${marker} marks ${file}'s code`);
      for (const bundle of bundleFiles()) {
        assert.ok(!readFileSync(bundle, 'utf8').includes(marker), `${bundle} holds code of ${VENDORED_PACKAGES[file]} (${marker})`);
      }
    }
  });

  it('dist/inia.js (import) loads each from dist/vendor/ on first use, and none for a DynamoDB GetItem', () => {
    judge(runChild('inia.js', ESM_CHILD, 'module'));
  });

  it('dist/inia.cjs (require) loads each from dist/vendor/ on first use, and none for a DynamoDB GetItem', () => {
    judge(runChild('inia.cjs', CJS_CHILD, 'commonjs'));
  });

  it('unbundled (dist/src), the packages themselves are required from node_modules', () => {
    const require = createRequire(import.meta.url);
    assert.equal(jmespath(), require('jmespath'));
    assert.equal(crc32c(), require('@aws-crypto/crc32c'));
    assert.equal(crc64Nvme(), require('@aws-sdk/crc64-nvme'));
  });
});
