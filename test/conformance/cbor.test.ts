/**
 * botocore's CBOR decoding vectors (test/vectors/cbor): every success case decodes
 * to its typed expectation and every error case raises ResponseParserError. No case is
 * skipped; unlike botocore's run of the same files, tags other than 1 are kept (as CborTag)
 * in the decoder's default mode and null map values are kept (the protocol drops them later).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ResponseParserError } from '../../src/errors.js';
import { CborTag, decodeCbor, type CborValue } from '../../src/protocols/cbor.js';
import { vectorsDir } from '../helpers/paths.js';

/** An expectation: one key naming the CBOR type, its value in the vectors' notation. */
type Expect = Record<string, unknown>;

interface SuccessCase {
  description: string;
  input: string;
  expect: Expect;
}

interface ErrorCase {
  description: string;
  input: string;
  error: boolean;
}

/** Marks integers too large for a double so JSON.parse keeps their exact digits. */
const BIG = 'bigint:';

function load<T>(file: string): T[] {
  const text = readFileSync(join(vectorsDir, 'cbor', file), 'utf8');
  // Only bare number tokens match (a string value is preceded by a quote, not by : [ or ,).
  const exact = text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, `$1"${BIG}$2"`);
  return JSON.parse(exact) as T[];
}

function bigOf(value: unknown): bigint {
  if (typeof value === 'string' && value.startsWith(BIG)) return BigInt(value.slice(BIG.length));
  if (typeof value === 'number') return BigInt(value);
  throw new Error(`not an integer in the vectors: ${String(value)}`);
}

function assertInteger(actual: CborValue, expected: unknown, what: string): void {
  const want = bigOf(expected);
  // The decoder's rule: a number while exact, a bigint beyond Number.MAX_SAFE_INTEGER.
  if (want >= BigInt(Number.MIN_SAFE_INTEGER) && want <= BigInt(Number.MAX_SAFE_INTEGER)) {
    assert.equal(typeof actual, 'number', `${what}: a safe integer decodes to a number`);
  } else {
    assert.equal(typeof actual, 'bigint', `${what}: a large integer decodes to a bigint`);
  }
  assert.equal(BigInt(actual as number | bigint), want, what);
}

function assertValue(actual: CborValue, expect: Expect, where: string): void {
  const keys = Object.keys(expect);
  assert.equal(keys.length, 1, `${where}: one type per expectation`);
  const type = keys[0]!;
  const value = expect[type];
  switch (type) {
    case 'uint':
    case 'negint':
      return assertInteger(actual, value, where);
    case 'bool':
      return assert.equal(actual, value, where);
    case 'null':
      return assert.equal(actual, null, where);
    case 'undefined':
      return assert.equal(actual, undefined, where);
    case 'string':
      return assert.equal(actual, value, where);
    case 'bytestring':
      assert.ok(actual instanceof Uint8Array, `${where}: a byte string decodes to a Uint8Array`);
      return assert.deepEqual([...actual], value, where);
    case 'float32': {
      assert.equal(typeof actual, 'number', where);
      const view = new DataView(new ArrayBuffer(4));
      view.setFloat32(0, actual as number);
      assert.ok(Number.isNaN(actual) || Math.fround(actual as number) === actual, `${where}: exactly a binary32 value`);
      return assert.equal(view.getUint32(0), Number(bigOf(value)), `${where}: binary32 bits`);
    }
    case 'float64': {
      assert.equal(typeof actual, 'number', where);
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, actual as number);
      return assert.equal(view.getBigUint64(0), bigOf(value), `${where}: binary64 bits`);
    }
    case 'list': {
      const items = value as Expect[];
      assert.ok(Array.isArray(actual), `${where}: a list`);
      assert.equal(actual.length, items.length, `${where}: list length`);
      items.forEach((item, i) => assertValue(actual[i], item, `${where}[${i}]`));
      return;
    }
    case 'map': {
      const entries = value as Record<string, Expect>;
      assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual) && Object.getPrototypeOf(actual) === Object.prototype, `${where}: a plain object`);
      const map = actual as Record<string, CborValue>;
      assert.deepEqual(Object.keys(map).sort(), Object.keys(entries).sort(), `${where}: map keys`);
      for (const [k, v] of Object.entries(entries)) assertValue(map[k], v, `${where}.${k}`);
      return;
    }
    case 'tag': {
      const tag = value as { id: unknown; value: Expect };
      assert.ok(actual instanceof CborTag, `${where}: a CborTag`);
      assert.equal(BigInt(actual.tag), bigOf(tag.id), `${where}: tag number`);
      return assertValue(actual.value, tag.value, `${where}<tag>`);
    }
    default:
      throw new Error(`${where}: unknown expectation type '${type}'`);
  }
}

const successes = load<SuccessCase>('decode-success-tests.json');
const errors = load<ErrorCase>('decode-error-tests.json');

describe('cbor decode-success-tests.json', () => {
  it('has the vectors', () => assert.ok(successes.length >= 150, `only ${successes.length} cases`));
  for (const c of successes) {
    it(c.description, () => {
      assertValue(decodeCbor(Buffer.from(c.input, 'hex')), c.expect, c.description);
    });
  }
});

describe('cbor decode-error-tests.json', () => {
  it('has the vectors', () => assert.ok(errors.length >= 50, `only ${errors.length} cases`));
  for (const c of errors) {
    it(c.description, () => {
      assert.equal(c.error, true);
      const bytes = Buffer.from(c.input, 'hex');
      assert.throws(() => decodeCbor(bytes), ResponseParserError);
      // The protocol's mode (trailing bytes ignored, unknown tags refused) fails them too.
      assert.throws(() => decodeCbor(bytes, { allowTrailingBytes: true, unknownTags: 'error' }), ResponseParserError);
    });
  }
});
