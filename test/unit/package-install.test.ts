/**
 * The package as a user gets it: `npm pack` of this repository, installed from the tarball into
 * an empty app in a temporary folder, then used from that app through `import` and `require`
 * (a signed DynamoDB GetItem answered by a loopback server, a paginator and CRC32C/CRC64NVME
 * checksums, which run the libraries shipped in dist/vendor/, and 'inia/stub') and type-checked
 * there by tsc against the installed declarations, as ESM and as CommonJS.
 *
 * No registry is involved: the install is --offline, with an empty cache and the registry set
 * to a closed loopback port, so a missing dependency fails instead of being fetched. inia's one
 * runtime dependency, @types/node (and undici-types, the one dependency of @types/node), is
 * packed from this repository's node_modules and installed beside the inia tarball; inia's
 * range for it is then satisfied by what is already there.
 */
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../helpers/paths.js';

const MiB = 1024 * 1024;
/** Issue 17's budget for the installed package, all services and types included. */
const MAX_INSTALLED_BYTES = 25 * MiB;
const TSC = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
/** The files that run: every other shipped file is a declaration, a model, or package metadata. */
const ENTRY_FILES = ['dist/inia.cjs', 'dist/inia.js', 'dist/stub.cjs', 'dist/stub.js'];
/** The third-party libraries the bundles require on first use (src/vendor.ts, scripts/build.mjs). */
const VENDOR_FILES = ['dist/vendor/crc32c.cjs', 'dist/vendor/crc64-nvme.cjs', 'dist/vendor/jmespath.cjs'];

/** The ESM bundle's lazy chunks, as the build wrote them: the tarball must ship exactly these. */
function builtChunks(): string[] {
  return readdirSync(join(repoRoot, 'dist', 'chunks')).filter((name) => name.endsWith('.js')).map((name) => `dist/chunks/${name}`).sort();
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** `npm pack` of a folder into `dest`; scripts are skipped (`npm test` has just built dist/). */
function pack(folder: string, dest: string): PackResult {
  const out = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest, folder], repoRoot);
  return (JSON.parse(out.stdout) as PackResult[])[0]!;
}

/** Sizes as `du --apparent-size` adds them up: every file's length, and every directory's own. */
function apparentSize(dir: string): { files: number; total: number } {
  let files = 0;
  let total = lstatSync(dir).size;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = apparentSize(path);
      files += inner.files;
      total += inner.total;
    } else {
      const size = lstatSync(path).size;
      files += size;
      total += size;
    }
  }
  return { files, total };
}

/** The packages installed in an app: node_modules/<name> and node_modules/@scope/<name>, nested ones included. */
function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const dirs = entry.name.startsWith('@') ? readdirSync(join(nodeModules, entry.name)).map((n) => join(entry.name, n)) : [entry.name];
    for (const dir of dirs) {
      names.push(dir.split(sep).join('/'));
      const nested = join(nodeModules, dir, 'node_modules');
      try {
        names.push(...installedPackages(nested).map((n) => `${dir}/node_modules/${n}`));
      } catch {
        // No nested node_modules: the usual case.
      }
    }
  }
  return names.sort();
}

/**
 * The app's script, the same for both module systems: a loopback DynamoDB answering GetItem
 * with an item, a modeled error or an unmodeled one, and ListTables with two pages (JMESPath,
 * from dist/vendor/jmespath.cjs, picks each page's token and the result's tables); a loopback
 * S3 taking PutObject with CRC32C and CRC64NVME checksums (dist/vendor/crc32c.cjs,
 * crc64-nvme.cjs); and a Stubber-driven client. It prints what it saw as JSON for the test to
 * judge.
 */
const APP_BODY = String.raw`
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const errorOf = (promise) => promise.then(() => undefined, (err) => err);
function describeError(inia, err) {
  return { name: err?.name, constructor: err?.constructor?.name, isClientError: err instanceof inia.ClientError, code: err?.response?.Error?.Code, stackHead: String(err?.stack).split('\n')[0] };
}
async function main(inia, stub, entry, stubEntry) {
  const seen = [];
  const checksums = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      if (req.headers['x-amz-target'] === undefined) {
        checksums.push(req.headers['x-amz-checksum-crc32c'] ?? req.headers['x-amz-checksum-crc64nvme']);
        res.writeHead(200);
        res.end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
      if (req.headers['x-amz-target'] === 'DynamoDB_20120810.ListTables') {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body.ExclusiveStartTableName === undefined ? { TableNames: ['t-a', 't-b'], LastEvaluatedTableName: 't-b' } : { TableNames: ['t-c'] }));
        return;
      }
      seen.push({ target: req.headers['x-amz-target'], authorization: req.headers.authorization ?? '' });
      const key = body.Key?.id?.S;
      const [status, answer] = key === '1' ? [200, { Item: { id: { S: '1' }, name: { S: 'one' } } }]
        : key === 'modeled' ? [400, { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException', message: 'no such table' }]
        : [400, { __type: 'com.amazonaws.dynamodb.v20120810#NotInTheModel', message: 'unmodeled' }];
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const ddb = inia.client('dynamodb', { endpointUrl: 'http://127.0.0.1:' + server.address().port, region: 'us-east-1', credentials });
  const stubbed = inia.client('dynamodb', { region: 'us-east-1', credentials });
  const s3 = inia.client('s3', { endpointUrl: 'http://127.0.0.1:' + server.address().port, region: 'us-east-1', credentials });
  try {
    const item = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } } });
    const modeled = await errorOf(ddb.getItem({ TableName: 't', Key: { id: { S: 'modeled' } } }));
    const unmodeled = await errorOf(ddb.getItem({ TableName: 't', Key: { id: { S: 'other' } } }));
    const stubber = new stub.Stubber(stubbed).activate();
    stubber.addResponse('getItem', { Item: { id: { S: 'stubbed' } } }, { TableName: 't', Key: stub.ANY });
    const stubItem = await stubbed.getItem({ TableName: 't', Key: { id: { S: 'x' } } });
    stubber.assertNoPendingResponses();
    const tables = await ddb.getPaginator('listTables').paginate().buildFullResult();
    await s3.putObject({ Bucket: 'b', Key: 'k', Body: '123456789', ChecksumAlgorithm: 'CRC32C' });
    await s3.putObject({ Bucket: 'b', Key: 'k', Body: '123456789', ChecksumAlgorithm: 'CRC64NVME' });
    return {
      entry, stubEntry,
      stubIsMainStubber: stub.Stubber === inia.Stubber,
      modelsDir: new inia.Loader({ env: {} }).searchPaths.at(-1),
      item: item.Item,
      target: seen[0]?.target,
      signed: /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//.test(seen[0]?.authorization ?? ''),
      modeled: describeError(inia, modeled),
      unmodeled: describeError(inia, unmodeled),
      stubItem: stubItem.Item,
      tables: tables.TableNames,
      checksums,
      renamed: Object.entries(inia).filter(([name, value]) => typeof value === 'function' && value.name !== name).map(([name, value]) => name + ' is ' + value.name),
    };
  } finally {
    ddb.destroy();
    stubbed.destroy();
    s3.destroy();
    server.close();
  }
}
`;

const ESM_APP = `import { createServer } from 'node:http';
import * as inia from 'inia';
import * as stub from 'inia/stub';
${APP_BODY}
console.log(JSON.stringify(await main(inia, stub, import.meta.resolve('inia'), import.meta.resolve('inia/stub'))));
`;

const CJS_APP = `'use strict';
const { createServer } = require('node:http');
const inia = require('inia');
const stub = require('inia/stub');
${APP_BODY}
main(inia, stub, require.resolve('inia'), require.resolve('inia/stub')).then((out) => console.log(JSON.stringify(out)), (err) => { console.error(err); process.exitCode = 1; });
`;

/** Typed use, checked by tsc; each `@ts-expect-error` proves the client is typed, not `any`. */
const TYPED_ESM = `import { client, ClientError } from 'inia';
import { Stubber } from 'inia/stub';
export async function itemName(): Promise<string | undefined> {
  const ddb = client('dynamodb', { region: 'us-east-1' });
  new Stubber(ddb).activate();
  try {
    const out = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } } });
    return out.Item?.['name']?.S;
  } catch (err) {
    if (err instanceof ClientError) return err.code;
    throw err;
  }
}
export function misuse(): void {
  const ddb = client('dynamodb');
  // @ts-expect-error TableName is required
  void ddb.getItem({ Key: {} });
}
`;

const TYPED_CJS = `import inia = require('inia');
import stub = require('inia/stub');
export async function itemName(): Promise<string | undefined> {
  const ddb = inia.client('dynamodb', { region: 'us-east-1' });
  new stub.Stubber(ddb).activate();
  const out = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } } });
  return out.Item?.['name']?.S;
}
export function misuse(): void {
  const ddb = inia.client('dynamodb');
  // @ts-expect-error no such operation on DynamoDB
  void ddb.getObject({ Bucket: 'b', Key: 'k' });
}
`;

interface AppOutput {
  entry: string;
  stubEntry: string;
  stubIsMainStubber: boolean;
  modelsDir: string;
  item: unknown;
  target: string;
  signed: boolean;
  modeled: { name: string; constructor: string; isClientError: boolean; code: string; stackHead: string };
  unmodeled: { name: string; constructor: string; isClientError: boolean; code: string; stackHead: string };
  stubItem: unknown;
  tables: string[];
  checksums: string[];
  renamed: string[];
}

describe('the packed tarball, installed into an empty app', () => {
  let work: string;
  let app: string;
  let packed: PackResult;
  let installedInia: string;
  // The app's scripts see no AWS configuration of the machine running the tests.
  let appEnv: NodeJS.ProcessEnv;

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'inia-package-'));
    app = join(work, 'app');
    mkdirSync(app);
    packed = pack(repoRoot, work);
    const nodeModules = join(repoRoot, 'node_modules');
    const typesNode = pack(join(nodeModules, '@types', 'node'), work);
    const undiciTypes = pack(join(nodeModules, 'undici-types'), work);
    // What `npm init -y` writes today: a CommonJS app.
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'commonjs' }, null, 2));
    writeFileSync(join(work, '.npmrc'), '');
    const tarballs = [undiciTypes, typesNode, packed].map((p) => join(work, p.filename));
    const npmFlags = ['--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache'), '--registry', 'http://127.0.0.1:9/', '--userconfig', join(work, '.npmrc')];
    run('npm', ['install', ...npmFlags, ...tarballs], app);
    installedInia = join(app, 'node_modules', 'inia');
    appEnv = { PATH: process.env.PATH, HOME: work, AWS_CONFIG_FILE: join(work, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'), AWS_EC2_METADATA_DISABLED: 'true' };
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the entries, the vendored libraries, declarations, models and LICENSE, and no other JavaScript', () => {
    const paths = packed.files.map((f) => f.path);
    for (const required of [...ENTRY_FILES, ...VENDOR_FILES, 'LICENSE', 'README.md', 'package.json', 'dist/types/index.d.ts', 'dist/src/index.d.ts', 'models/VERSION.json', 'models/dynamodb/2012-08-10/service-2.json.gz']) {
      assert.ok(paths.includes(required), `${required} is in the tarball`);
    }
    const chunks = builtChunks();
    assert.ok(chunks.length > 0, 'the ESM build wrote no chunks (scripts/build.mjs splits at dynamic imports)');
    assert.deepEqual(paths.filter((p) => p.startsWith('dist/chunks/')).sort(), chunks, 'the tarball ships the ESM chunks the build wrote, no more, no less');
    assert.deepEqual(paths.filter((p) => p.startsWith('dist/vendor/')).sort(), VENDOR_FILES, 'the tarball ships the vendored libraries, no more, no less');
    const stray = paths.filter((p) => !ENTRY_FILES.includes(p) && !VENDOR_FILES.includes(p) && !chunks.includes(p) && !p.endsWith('.d.ts') && !p.startsWith('models/') && !['LICENSE', 'README.md', 'package.json'].includes(p));
    assert.deepEqual(stray, [], 'only the bundles run; dist/src ships its declarations only');
    assert.match(readFileSync(join(installedInia, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
  });

  it('brings no runtime package besides inia and @types/node', () => {
    const manifest = JSON.parse(readFileSync(join(installedInia, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; peerDependencies?: unknown; optionalDependencies?: unknown };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), ['@types/node']);
    assert.equal(manifest.peerDependencies, undefined);
    assert.equal(manifest.optionalDependencies, undefined);
    const typesNode = JSON.parse(readFileSync(join(app, 'node_modules', '@types', 'node', 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(typesNode.dependencies ?? {}), ['undici-types'], "undici-types is there for @types/node's sake");
    assert.deepEqual(installedPackages(join(app, 'node_modules')), ['@types/node', 'inia', 'undici-types']);
  });

  it('is at most 25 MiB installed (apparent size)', (t) => {
    const size = apparentSize(installedInia);
    const all = apparentSize(join(app, 'node_modules'));
    t.diagnostic(`node_modules/inia: ${(size.total / MiB).toFixed(2)} MiB as du --apparent-size counts (files alone ${(size.files / MiB).toFixed(2)} MiB); the whole node_modules with @types/node: ${(all.total / MiB).toFixed(2)} MiB`);
    assert.ok(size.total <= MAX_INSTALLED_BYTES, `node_modules/inia is ${(size.total / MiB).toFixed(2)} MiB`);
  });

  const useFrom = (file: string, source: string): AppOutput => {
    writeFileSync(join(app, file), source);
    return JSON.parse(run(process.execPath, [file], app, appEnv).stdout) as AppOutput;
  };

  const judge = (out: AppOutput, entry: string, stubEntry: string): void => {
    assert.equal(relative(app, out.entry.startsWith('file:') ? fileURLToPath(out.entry) : out.entry), join('node_modules', 'inia', entry));
    assert.equal(relative(app, out.stubEntry.startsWith('file:') ? fileURLToPath(out.stubEntry) : out.stubEntry), join('node_modules', 'inia', stubEntry));
    assert.equal(out.modelsDir, join(installedInia, 'models'), 'the bundled models are found from the installed bundle');
    assert.deepEqual(out.item, { id: { S: '1' }, name: { S: 'one' } });
    assert.equal(out.target, 'DynamoDB_20120810.GetItem');
    assert.ok(out.signed, 'the request is signed with the given credentials');
    assert.deepEqual(out.modeled, { name: 'ResourceNotFoundException', constructor: 'ResourceNotFoundException', isClientError: true, code: 'ResourceNotFoundException', stackHead: 'ResourceNotFoundException: An error occurred (ResourceNotFoundException) when calling the GetItem operation: no such table' });
    assert.deepEqual(out.unmodeled, { name: 'ClientError', constructor: 'ClientError', isClientError: true, code: 'NotInTheModel', stackHead: 'ClientError: An error occurred (NotInTheModel) when calling the GetItem operation: unmodeled' });
    assert.ok(out.stubIsMainStubber, "'inia/stub' re-exports the main entry's Stubber");
    assert.deepEqual(out.stubItem, { id: { S: 'stubbed' } });
    assert.deepEqual(out.tables, ['t-a', 't-b', 't-c'], 'a two-page ListTables paginates (JMESPath from dist/vendor)');
    // The check values of CRC-32C and CRC-64/NVME: the digests of '123456789'.
    assert.deepEqual(out.checksums, [Buffer.from('e3069283', 'hex').toString('base64'), Buffer.from('ae8b14860a799888', 'hex').toString('base64')]);
    assert.deepEqual(out.renamed, [], 'every exported class and function keeps its name in the bundle');
  };

  it('works through import (the ESM bundle)', () => {
    judge(useFrom('main.mjs', ESM_APP), 'dist/inia.js', 'dist/stub.js');
  });

  it('works through require (the CommonJS bundle)', () => {
    judge(useFrom('main.js', CJS_APP), 'dist/inia.cjs', 'dist/stub.cjs');
  });

  it('gives typed clients to TypeScript, from ESM and from CommonJS (module nodenext)', () => {
    writeFileSync(join(app, 'typed-esm.mts'), TYPED_ESM);
    // A .ts file of a "type": "commonjs" app is CommonJS under nodenext.
    writeFileSync(join(app, 'typed-cjs.ts'), TYPED_CJS);
    const compilerOptions = { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, types: ['node'] };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['typed-esm.mts', 'typed-cjs.ts'] }, null, 2));
    const check = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    assert.equal(check.status, 0, `tsc found errors:\n${check.stdout}${check.stderr}`);
  });
});
