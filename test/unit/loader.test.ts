/**
 * The model loader: search order, version choice, file formats, sdk-extras, laziness and
 * errors on small temporary botocore-layout trees, then a sweep over the bundled models/.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs, { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DataNotFoundError, UnknownServiceError } from '../../src/errors.js';
import { closeMatches, editDistance } from '../../src/models/close-matches.js';
import { BUNDLED_MODELS_DIR, Loader, deepMerge, type JsonObject, type ModelType } from '../../src/models/loader.js';
import { repoRoot } from '../helpers/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'inia-loader-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A fresh empty directory under the scratch dir. */
function freshDir(label: string): string {
  const dir = join(scratch, `${label}-${counter++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** An environment with an empty home, so the developer's ~/.aws/models never leaks in. */
function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { HOME: freshDir('home'), ...extra };
}

function writeModel(root: string, service: string, version: string, file: string, data: unknown, gz = false): string {
  const dir = join(root, service, version);
  mkdirSync(dir, { recursive: true });
  const text = Buffer.from(JSON.stringify(data));
  const path = join(dir, gz ? `${file}.json.gz` : `${file}.json`);
  writeFileSync(path, gz ? gzipSync(text) : text);
  return path;
}

function serviceModel(marker: string, apiVersion = '2020-01-01'): JsonObject {
  return {
    version: '2.0',
    metadata: { apiVersion, protocol: 'json', marker },
    operations: {},
    shapes: { S: { type: 'string' } },
  };
}

function metadataOf(model: JsonObject): JsonObject {
  return model.metadata as JsonObject;
}

/**
 * Records every path passed to fs.readFileSync / fs.readdirSync while `fn` runs. The loader
 * imports these from node:fs; syncBuiltinESMExports makes its bindings see the wrappers.
 */
function spyFs<T>(fn: () => T): { result: T; reads: string[]; listings: string[] } {
  const reads: string[] = [];
  const listings: string[] = [];
  const originalRead = fs.readFileSync;
  const originalReaddir = fs.readdirSync;
  const patched = fs as unknown as Record<string, unknown>;
  patched.readFileSync = (...args: unknown[]): unknown => {
    reads.push(String(args[0]));
    return (originalRead as (...a: unknown[]) => unknown)(...args);
  };
  patched.readdirSync = (...args: unknown[]): unknown => {
    listings.push(String(args[0]));
    return (originalReaddir as (...a: unknown[]) => unknown)(...args);
  };
  syncBuiltinESMExports();
  try {
    return { result: fn(), reads, listings };
  } finally {
    patched.readFileSync = originalRead;
    patched.readdirSync = originalReaddir;
    syncBuiltinESMExports();
  }
}

describe('Loader search paths', () => {
  test('AWS_DATA_PATH entries come first, then ~/.aws/models, then the bundled models', () => {
    const a = freshDir('a');
    const b = freshDir('b');
    const env = isolatedEnv({ AWS_DATA_PATH: `${a}${delimiter}${b}` });
    const loader = new Loader({ env });
    assert.deepEqual(loader.searchPaths, [a, b, join(env.HOME!, '.aws', 'models'), BUNDLED_MODELS_DIR]);
    assert.equal(BUNDLED_MODELS_DIR, join(repoRoot, 'models'));
  });

  test('~ and $VAR are expanded; empty entries are dropped', () => {
    const env = { HOME: '/home/someone', DATA: '/opt/data', AWS_DATA_PATH: `~/models${delimiter}${delimiter}$DATA/x${delimiter}\${DATA}/y${delimiter}$NOPE/z` };
    const loader = new Loader({ env, includeDefaultPaths: false });
    assert.deepEqual(loader.searchPaths, [join('/home/someone', 'models'), '/opt/data/x', '/opt/data/y', '$NOPE/z']);
  });

  test('explicit searchPaths replace AWS_DATA_PATH; includeDefaultPaths: false leaves them alone', () => {
    const loader = new Loader({ searchPaths: ['/p'], includeDefaultPaths: false, env: { AWS_DATA_PATH: '/ignored' } });
    assert.deepEqual(loader.searchPaths, ['/p']);
  });

  test('a model in AWS_DATA_PATH shadows the bundled one of the same version', () => {
    const root = freshDir('shadow');
    writeModel(root, 's3', '2006-03-01', 'service-2', serviceModel('mine', '2006-03-01'));
    const loader = new Loader({ env: isolatedEnv({ AWS_DATA_PATH: root }) });
    assert.equal(metadataOf(loader.loadServiceModel('s3', 'service-2')).marker, 'mine');
    // Types the override does not have still come from the bundled models.
    const paginators = loader.loadServiceModel('s3', 'paginators-1');
    assert.ok((paginators.pagination as JsonObject).ListObjectsV2);
  });

  test('the newest version across all paths wins, older ones stay loadable', () => {
    const root = freshDir('newer');
    writeModel(root, 'dynamodb', '2099-01-01', 'service-2', serviceModel('future', '2099-01-01'));
    const loader = new Loader({ env: isolatedEnv({ AWS_DATA_PATH: root }) });
    assert.equal(loader.determineLatestVersion('dynamodb', 'service-2'), '2099-01-01');
    assert.deepEqual(loader.listApiVersions('dynamodb', 'service-2'), ['2012-08-10', '2099-01-01']);
    assert.equal(metadataOf(loader.loadServiceModel('dynamodb', 'service-2')).marker, 'future');
    assert.equal(metadataOf(loader.loadServiceModel('dynamodb', 'service-2', '2012-08-10')).apiVersion, '2012-08-10');
    // Newest per type: waiters-2 exists only in the bundled version.
    assert.equal(loader.determineLatestVersion('dynamodb', 'waiters-2'), '2012-08-10');
  });
});

describe('Loader files', () => {
  test('reads .json and .json.gz; .json wins when both exist', () => {
    const root = freshDir('formats');
    writeModel(root, 'plain', '2020-01-01', 'service-2', serviceModel('plain'));
    writeModel(root, 'zipped', '2020-01-01', 'service-2', serviceModel('zipped'), true);
    writeModel(root, 'both', '2020-01-01', 'service-2', serviceModel('json'));
    writeModel(root, 'both', '2020-01-01', 'service-2', serviceModel('gz'), true);
    const loader = new Loader({ searchPaths: [root], includeDefaultPaths: false });
    assert.equal(metadataOf(loader.loadServiceModel('plain', 'service-2')).marker, 'plain');
    assert.equal(metadataOf(loader.loadServiceModel('zipped', 'service-2')).marker, 'zipped');
    assert.equal(metadataOf(loader.loadServiceModel('both', 'service-2')).marker, 'json');
  });

  test('sdk-extras are deep-merged; only the first path holding the extras file counts', () => {
    const first = freshDir('extras-first');
    const second = freshDir('extras-second');
    const base = serviceModel('base');
    base.shapes = { Req: { type: 'structure', members: { A: { shape: 'S' } } }, S: { type: 'string' } };
    writeModel(second, 'svc', '2020-01-01', 'service-2', base);
    writeModel(second, 'svc', '2020-01-01', 'service-2.sdk-extras', { version: 1, merge: { metadata: { serviceId: 'ignored' } } });
    writeModel(first, 'svc', '2020-01-01', 'service-2.sdk-extras', {
      version: 1,
      merge: {
        metadata: { serviceId: 'Svc' },
        shapes: { Req: { members: { SourceRegion: { shape: 'S' } } }, Expires: { type: 'timestamp' } },
      },
    }, true);
    const loader = new Loader({ searchPaths: [first, second], includeDefaultPaths: false });
    const model = loader.loadServiceModel('svc', 'service-2');
    assert.deepEqual(model.metadata, { apiVersion: '2020-01-01', protocol: 'json', marker: 'base', serviceId: 'Svc' });
    const shapes = model.shapes as Record<string, JsonObject>;
    assert.deepEqual(Object.keys(shapes.Req!.members as JsonObject), ['A', 'SourceRegion']);
    assert.deepEqual(shapes.Expires, { type: 'timestamp' });
  });

  test('bundled models already carry botocore\'s sdk-extras', () => {
    const loader = new Loader({ searchPaths: [], env: isolatedEnv() });
    const s3 = loader.loadServiceModel('s3', 'service-2');
    assert.deepEqual((s3.shapes as Record<string, unknown>).Expires, { type: 'timestamp' });
    const rds = loader.loadServiceModel('rds', 'service-2');
    const copy = (rds.shapes as Record<string, JsonObject>).CopyDBSnapshotMessage!;
    assert.deepEqual((copy.members as JsonObject).SourceRegion, { shape: 'String' });
    const s3Pages = loader.loadServiceModel('s3', 'paginators-1').pagination as Record<string, JsonObject>;
    assert.ok(Array.isArray(s3Pages.ListObjectsV2!.non_aggregate_keys));
  });

  test('deepMerge overrides scalars and arrays, merges objects, keeps __proto__ a plain key', () => {
    const base: JsonObject = { a: { b: 1, c: [1, 2] }, d: 'x' };
    deepMerge(base, JSON.parse('{"a":{"c":[3],"e":true},"d":{"f":1},"__proto__":{"polluted":1}}') as JsonObject);
    assert.deepEqual(base.a, { b: 1, c: [3], e: true });
    assert.deepEqual(base.d, { f: 1 });
    assert.equal(Object.getPrototypeOf(base), Object.prototype);
    assert.equal(({} as JsonObject).polluted, undefined);
  });

  test('loadData reads top-level files in search order', () => {
    const root = freshDir('data');
    writeFileSync(join(root, 'partitions.json'), JSON.stringify({ version: 1.1, partitions: [], mine: true }));
    const loader = new Loader({ env: isolatedEnv({ AWS_DATA_PATH: root }) });
    assert.equal(loader.loadData('partitions').mine, true);
    for (const name of ['_retry', 'endpoints', 'sdk-default-configuration'] as const) {
      assert.equal(typeof loader.loadData(name), 'object');
    }
    assert.ok(loader.loadData('_retry').retry);
    const only = new Loader({ searchPaths: [root], includeDefaultPaths: false });
    assert.throws(() => only.loadData('_retry'), DataNotFoundError);
  });
});

describe('Loader laziness and caching', () => {
  test('loading one service never touches another service\'s files', () => {
    const root = freshDir('lazy');
    writeModel(root, 'good', '2020-01-01', 'service-2', serviceModel('good'));
    const corrupt = writeModel(root, 'corrupt', '2020-01-01', 'service-2', {});
    writeFileSync(corrupt, '{ this is not json');
    const loader = new Loader({ searchPaths: [root], includeDefaultPaths: false });
    const { result, reads, listings } = spyFs(() => loader.loadServiceModel('good', 'service-2'));
    assert.equal(metadataOf(result).marker, 'good');
    assert.ok(reads.every((p) => !p.includes('corrupt')), reads.join('\n'));
    assert.ok(listings.every((p) => !p.includes('corrupt')), listings.join('\n'));
    assert.throws(() => loader.loadServiceModel('corrupt', 'service-2'), /Invalid JSON in .*corrupt/);
  });

  test('an S3 model load reads S3 only, and lists no service directory but S3\'s', () => {
    const loader = new Loader({ env: isolatedEnv() });
    const { reads, listings } = spyFs(() => loader.loadServiceModel('s3', 'service-2'));
    assert.deepEqual(reads, [join(BUNDLED_MODELS_DIR, 's3', '2006-03-01', 'service-2.json.gz')]);
    assert.ok(!listings.includes(BUNDLED_MODELS_DIR), 'the bundled root was listed');
    assert.ok(listings.every((p) => !p.includes(`${join(BUNDLED_MODELS_DIR, 'ec2')}`)));
  });

  test('a second load returns the same object without reading again', () => {
    const loader = new Loader({ env: isolatedEnv() });
    const first = loader.loadServiceModel('sqs', 'service-2');
    const { result, reads, listings } = spyFs(() => [
      loader.loadServiceModel('sqs', 'service-2'),
      loader.loadServiceModel('sqs', 'service-2', loader.determineLatestVersion('sqs', 'service-2')),
      loader.listApiVersions('sqs', 'service-2'),
    ]);
    assert.equal(result[0], first);
    assert.equal(result[1], first);
    assert.deepEqual(reads, []);
    assert.deepEqual(listings, []);
    const services = loader.listAvailableServices();
    const again = spyFs(() => loader.listAvailableServices());
    assert.deepEqual(again.result, services);
    assert.deepEqual(again.listings, []);
  });
});

describe('Loader listings and errors', () => {
  test('listAvailableServices is a sorted union per type', () => {
    const a = freshDir('list-a');
    const b = freshDir('list-b');
    writeModel(a, 'zeta', '2020-01-01', 'service-2', serviceModel('z'));
    writeModel(b, 'alpha', '2020-01-01', 'service-2', serviceModel('a'), true);
    writeModel(b, 'zeta', '2021-01-01', 'waiters-2', { version: 2, waiters: {} });
    writeModel(b, 'onlywaiters', '2020-01-01', 'waiters-2', { version: 2, waiters: {} });
    mkdirSync(join(b, 'empty', '2020-01-01'), { recursive: true });
    writeFileSync(join(b, 'stray.json'), '{}');
    const loader = new Loader({ searchPaths: [a, b], includeDefaultPaths: false });
    assert.deepEqual(loader.listAvailableServices('service-2'), ['alpha', 'zeta']);
    assert.deepEqual(loader.listAvailableServices('waiters-2'), ['onlywaiters', 'zeta']);
    assert.deepEqual(loader.listApiVersions('zeta', 'waiters-2'), ['2021-01-01']);
    assert.throws(() => loader.listApiVersions('empty', 'service-2'), DataNotFoundError);
    assert.throws(() => loader.determineLatestVersion('nope', 'service-2'), DataNotFoundError);
  });

  test('unknown services raise UnknownServiceError with close matches', () => {
    const loader = new Loader({ env: isolatedEnv() });
    const err = (() => {
      try {
        loader.loadServiceModel('dynamo', 'service-2');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof UnknownServiceError);
    assert.equal(err.serviceName, 'dynamo');
    assert.equal(err.closeMatches[0], 'dynamodb');
    assert.match(err.message, /Did you mean: 'dynamodb'/);
    assert.throws(() => loader.loadServiceModel('../models/s3', 'service-2'), UnknownServiceError);
    assert.throws(() => loader.loadServiceModel('..', 'service-2'), UnknownServiceError);
  });

  test('a known service with a missing type or version raises DataNotFoundError', () => {
    const root = freshDir('missing');
    writeModel(root, 'svc', '2020-01-01', 'service-2', serviceModel('svc'));
    const loader = new Loader({ searchPaths: [root], includeDefaultPaths: false });
    assert.throws(() => loader.loadServiceModel('svc', 'waiters-2'), DataNotFoundError);
    assert.throws(() => loader.loadServiceModel('svc', 'service-2', '1999-01-01'), DataNotFoundError);
    assert.throws(() => loader.loadServiceModel('svc', 'service-2', '../x'), DataNotFoundError);
    const bundled = new Loader({ env: isolatedEnv() });
    assert.throws(() => bundled.loadServiceModel('s3', 'service-2', '1999-01-01'), DataNotFoundError);
  });

  test('closeMatches', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    const names = ['dynamodb', 'dynamodbstreams', 'sqs', 'sns', 's3', 's3control', 'ec2', 'ecs'];
    assert.deepEqual(closeMatches('dynamo', names), ['dynamodb', 'dynamodbstreams']);
    assert.deepEqual(closeMatches('sqss', names), ['sqs']);
    assert.deepEqual(closeMatches('EC2', names), ['ec2', 'ecs']);
    assert.deepEqual(closeMatches('zzzzzzzz', names), []);
  });
});

/** Paths of every `documentation` key outside clientContextParams (which botocore reads). */
function documentationKeys(node: unknown, path: string, found: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => documentationKeys(item, `${path}[${i}]`, found));
  } else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'clientContextParams' && path === '') continue;
      if ((key === 'documentation' || key === 'documentationUrl') && typeof value === 'string') found.push(`${path}.${key}`);
      documentationKeys(value, `${path}.${key}`, found);
    }
  }
}

describe('bundled models', () => {
  const bundledOnly = (): Loader => new Loader({ searchPaths: [BUNDLED_MODELS_DIR], includeDefaultPaths: false });

  test('every service\'s service-2 loads and names its protocol', () => {
    const services = bundledOnly().listAvailableServices('service-2');
    assert.ok(services.length >= 400, `only ${services.length} services`);
    for (const service of services) {
      // A loader per service keeps memory flat over ~400 models.
      const loader = bundledOnly();
      const versions = loader.listApiVersions(service, 'service-2');
      assert.equal(versions.length, 1, `${service}: only the newest version is bundled`);
      const model = loader.loadServiceModel(service, 'service-2');
      const metadata = model.metadata as JsonObject;
      assert.ok(typeof metadata.protocol === 'string' || Array.isArray(metadata.protocols), service);
      assert.equal(metadata.apiVersion, versions[0], service);
      assert.ok(typeof model.shapes === 'object' && typeof model.operations === 'object', service);
      for (const type of ['paginators-1', 'waiters-2', 'endpoint-rule-set-1'] as ModelType[]) {
        const dir = join(BUNDLED_MODELS_DIR, service, versions[0]!);
        if (readdirSync(dir).includes(`${type}.json.gz`)) assert.equal(typeof loader.loadServiceModel(service, type), 'object');
      }
    }
  });

  test('no documentation is left in the large models', () => {
    const loader = bundledOnly();
    for (const service of ['ec2', 's3', 'dynamodb', 'sagemaker', 'rds']) {
      const found: string[] = [];
      documentationKeys(loader.loadServiceModel(service, 'service-2'), '', found);
      assert.deepEqual(found.slice(0, 5), [], service);
    }
    // Member names that look like documentation keys survive (bedrock's `examples`).
    const bedrock = loader.loadServiceModel('bedrock', 'service-2').shapes as Record<string, JsonObject>;
    assert.ok((bedrock.GuardrailTopic!.members as JsonObject).examples);
    // botocore reads clientContextParams' documentation at runtime, so it stays.
    const s3Params = loader.loadServiceModel('s3', 'service-2').clientContextParams as Record<string, JsonObject>;
    assert.equal(typeof s3Params.ForcePathStyle!.documentation, 'string');
  });

  test('top-level data files and VERSION.json are present and well-formed', () => {
    const loader = bundledOnly();
    assert.ok(Array.isArray(loader.loadData('partitions').partitions));
    assert.ok(Array.isArray(loader.loadData('endpoints').partitions));
    assert.ok(loader.loadData('sdk-default-configuration').base);
    const version = JSON.parse(readFileSync(join(BUNDLED_MODELS_DIR, 'VERSION.json'), 'utf8')) as JsonObject;
    assert.deepEqual(Object.keys(version).sort(), ['boto3', 'botocore', 'resourceModels', 'services', 'syncedFrom']);
    assert.match(String(version.botocore), /^\d+\.\d+\.\d+$/);
    assert.match(String(version.boto3), /^\d+\.\d+\.\d+$/);
    assert.equal(version.services, loader.listAvailableServices('service-2').length);
    assert.equal(version.resourceModels, loader.listAvailableServices('resources-1').length);
    assert.ok(!String(version.syncedFrom).includes('/'), 'VERSION.json must not record machine paths');
  });
});

describe("boto3's resource models in models/", () => {
  const bundledOnly = (): Loader => new Loader({ searchPaths: [BUNDLED_MODELS_DIR], includeDefaultPaths: false });
  /** The resources-1.json of each service in the boto3 that python3 imports, newest version, as boto3's loader reads it. */
  function installedBoto3(): { version: string; models: Record<string, { apiVersion: string; model: JsonObject }> } {
    const script = [
      'import boto3, json, os',
      'data = os.path.join(os.path.dirname(boto3.__file__), "data")',
      'out = {}',
      'for service in sorted(os.listdir(data)):',
      '    version = sorted(os.listdir(os.path.join(data, service)))[-1]',
      '    with open(os.path.join(data, service, version, "resources-1.json")) as f:',
      '        out[service] = {"apiVersion": version, "model": json.load(f)}',
      'print(json.dumps({"version": boto3.__version__, "models": out}))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, `python3 with boto3 is a test prerequisite: ${result.stderr}`);
    return JSON.parse(result.stdout) as ReturnType<typeof installedBoto3>;
  }

  test('are the installed boto3 data, for the same nine services and api versions, and VERSION.json names that boto3', () => {
    const loader = bundledOnly();
    const installed = installedBoto3();
    const version = JSON.parse(readFileSync(join(BUNDLED_MODELS_DIR, 'VERSION.json'), 'utf8')) as JsonObject;
    assert.equal(version.boto3, installed.version);
    assert.deepEqual(loader.listAvailableServices('resources-1'), Object.keys(installed.models));
    for (const [service, { apiVersion, model }] of Object.entries(installed.models)) {
      assert.equal(loader.determineLatestVersion(service, 'resources-1'), apiVersion, service);
      assert.deepEqual(loader.loadServiceModel(service, 'resources-1'), model, service);
    }
  });

  test("hold the counts issue 18 builds on: 80 resources, 318 actions, 15 batch actions, 87 collections, 17 waiters", () => {
    const loader = bundledOnly();
    const counts = { resources: 0, actions: 0, batchActions: 0, collections: 0, waiters: 0 };
    const size = (value: unknown): number => Object.keys((value as JsonObject | undefined) ?? {}).length;
    for (const service of loader.listAvailableServices('resources-1')) {
      const model = loader.loadServiceModel(service, 'resources-1') as { service: JsonObject; resources?: Record<string, JsonObject> };
      const resources = Object.values(model.resources ?? {});
      counts.resources += resources.length;
      counts.actions += size(model.service.actions) + resources.reduce((n, r) => n + size(r.actions), 0);
      counts.batchActions += resources.reduce((n, r) => n + size(r.batchActions), 0);
      counts.collections += size(model.service.hasMany) + resources.reduce((n, r) => n + size(r.hasMany), 0);
      counts.waiters += resources.reduce((n, r) => n + size(r.waiters), 0);
    }
    assert.deepEqual(counts, { resources: 80, actions: 318, batchActions: 15, collections: 87, waiters: 17 });
  });
});
