/**
 * botocore's xform_name, and inia's lowerCamelCase of it, against the installed botocore on
 * every name the nine resource services' models hold.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { BUNDLED_MODELS_DIR, Loader, type JsonObject } from '../../src/models/loader.js';
import { PARTIAL_RENAMES, iniaName, iniaNameOf, xformName } from '../../src/resources/naming.js';

const loader = new Loader({ searchPaths: [BUNDLED_MODELS_DIR], includeDefaultPaths: false });
const SERVICES = loader.listAvailableServices('resources-1');

/** Runs one python3 child on `input` (JSON on stdin) and parses what it prints. */
function python<T>(script: string, input: unknown): T {
  const result = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, `python3 with botocore is a test prerequisite: ${result.error ?? ''} ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** Every string in a JSON value, keys included. */
function strings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) strings(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      strings(item, into);
    }
  }
}

/** The names of the nine services: shapes and their members, operations, waiters, and everything in resources-1. */
function modelNames(): string[] {
  const names = new Set<string>();
  for (const service of SERVICES) {
    const model = loader.loadServiceModel(service, 'service-2') as { operations: JsonObject; shapes: Record<string, { members?: JsonObject }> };
    for (const operation of Object.keys(model.operations)) names.add(operation);
    for (const [shapeName, shape] of Object.entries(model.shapes)) {
      names.add(shapeName);
      for (const member of Object.keys(shape.members ?? {})) names.add(member);
    }
    if (loader.listAvailableServices('waiters-2').includes(service)) {
      const waiters = loader.loadServiceModel(service, 'waiters-2') as { waiters: JsonObject };
      for (const waiter of Object.keys(waiters.waiters)) names.add(waiter);
    }
    const resources = loader.loadServiceModel(service, 'resources-1') as { resources: Record<string, { waiters?: JsonObject }> };
    strings(resources, names);
    // boto3 snake-cases a resource waiter's name with its prefix.
    for (const resource of Object.values(resources.resources)) for (const waiter of Object.keys(resource.waiters ?? {})) names.add(`WaitUntil${waiter}`);
  }
  return [...names].sort();
}

describe('xformName', () => {
  test("seeds the same table of special cases as the installed botocore's _xform_cache, for '_' and '-'", () => {
    const script = [
      'import json, sys, botocore',
      // Read right after import: nothing has transformed a name yet, so the cache is the seed.
      'print(json.dumps([[name, sep, value] for (name, sep), value in botocore._xform_cache.items()]))',
    ].join('\n');
    const seeded = python<[string, string, string][]>(script, null);
    const expected = [...PARTIAL_RENAMES].flatMap(([name, snake]) => [[name, '_', snake], [name, '-', snake.replaceAll('_', '-')]]);
    assert.deepEqual(
      seeded.map((entry) => entry.join(' ')).sort(),
      expected.map((entry) => entry.join(' ')).sort(),
    );
    for (const [name, sep, value] of seeded) assert.equal(xformName(name, sep), value, name);
  });

  test("equals botocore's xform_name on every name of the nine resource services' models, with '_' and '-'", () => {
    const edge = ['', 'A', 'ARNs', 'ETag', 'SSEKMSKeyId', 'already_snake', 'Already-kebab', 'HTTPSEndpoint', 'IPv6CIDRs', 'Foo1Bar', 'aB', 'ABCs', 'DBInstanceARNs', 'S3Key', 'X509Certificates'];
    const names = [...edge, ...modelNames()];
    const script = [
      'import json, sys',
      'from botocore import xform_name',
      'names = json.load(sys.stdin)',
      'print(json.dumps([[xform_name(n), xform_name(n, "-")] for n in names]))',
    ].join('\n');
    const expected = python<[string, string][]>(script, names);
    assert.equal(expected.length, names.length);
    const mismatches: string[] = [];
    names.forEach((name, i) => {
      const [snake, kebab] = expected[i]!;
      if (xformName(name) !== snake) mismatches.push(`${name}: ${xformName(name)} != ${snake}`);
      if (xformName(name, '-') !== kebab) mismatches.push(`${name} (-): ${xformName(name, '-')} != ${kebab}`);
    });
    assert.deepEqual(mismatches, []);
    // The nine models hold well over ten thousand distinct names; a sudden drop means the walk broke.
    assert.ok(names.length > 10_000, `${names.length} names compared`);
  });
});

describe('iniaName', () => {
  test('is the lowerCamelCase of the snake_case name', () => {
    assert.equal(iniaNameOf('ETag'), 'eTag');
    assert.equal(iniaNameOf('SSEKMSKeyId'), 'ssekmsKeyId');
    assert.equal(iniaNameOf('ContentLength'), 'contentLength');
    assert.equal(iniaNameOf('SendMessage'), 'sendMessage');
    assert.equal(iniaNameOf('WaitUntilExists'), 'waitUntilExists');
    assert.equal(iniaNameOf('Ipv6CidrBlock'), 'ipv6CidrBlock');
    assert.equal(iniaName('name_attribute'), 'nameAttribute');
    assert.equal(iniaName('wait_until_exists_waiter'), 'waitUntilExistsWaiter');
    assert.equal(iniaName('id'), 'id');
  });

  test('keeps what xform_name never writes: leading underscores, an underscore before a digit or a capital', () => {
    assert.equal(xformName('ARNs'), '_arns');
    assert.equal(iniaName('_arns'), '_arns');
    assert.equal(iniaName('foo_2'), 'foo_2');
    assert.equal(iniaName('Foo_Bar'), 'Foo_Bar');
  });

  test('gives distinct names for distinct snake_case names', () => {
    const snake = [...new Set(modelNames().map((name) => xformName(name)))];
    const camel = new Map<string, string>();
    for (const name of snake) {
      if (/[A-Z]/.test(name)) continue; // left unchanged by xform_name: not a snake_case name
      const inia = iniaName(name);
      assert.equal(camel.get(inia) ?? name, name, `${name} and ${camel.get(inia)} both give ${inia}`);
      camel.set(inia, name);
    }
  });
});
