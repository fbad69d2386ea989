/**
 * The one-pass XML reader (src/protocols/xml/direct.ts) must give exactly what the tree parser
 * gives, or step aside. Checked three ways:
 * - every rest-xml output vector and every captured S3 / CloudFront response: where the direct
 *   path answers, its answer deep-equals the tree parser's;
 * - a listing built with the awkward parts XML allows (entities, CDATA, comments, prefixes,
 *   CRLF, attributes, unknown and self-closing elements) is read by the direct path itself;
 * - thousands of seeded mutations of that listing (truncations, stray markup, swapped names):
 *   parseXmlFast and the tree parser agree on every one, same value or same error.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type OperationDef, type ServiceDescription, type Shape, type ShapeDef } from '../../src/models/shapes.js';
import { parseXmlDirectOnly, parseXmlFast, segmentsOf } from '../../src/protocols/xml/direct.js';
import { parseXmlBody, parseXmlStructure } from '../../src/protocols/xml/shape-parser.js';
import { vectorsDir } from '../helpers/paths.js';
import { prng as random } from '../helpers/random.js';

function tree(body: Uint8Array | string, shape: Shape): Record<string, unknown> {
  return parseXmlStructure(parseXmlBody(body), shape);
}

/** The structure an XML body is read into: the payload member's shape, else the output's. */
function bodyShape(output: Shape): Shape | undefined {
  const payload = output.def.payload as string | undefined;
  const shape = payload === undefined ? output : output.members.get(payload);
  return shape?.typeName === 'structure' ? shape : undefined;
}

/** Outcome of a parse: its value, or the error's class and message. */
function outcome(parse: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: parse() };
  } catch (err) {
    return { error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

describe('direct XML reading agrees with the tree parser on real documents', () => {
  it('every rest-xml output vector', () => {
    interface Suite {
      metadata: ServiceDescription['metadata'];
      shapes: Record<string, ShapeDef>;
      cases: Array<{ id?: string; given: OperationDef; response: { status_code: number; body?: string }; result?: unknown }>;
    }
    const suites = JSON.parse(readFileSync(join(vectorsDir, 'protocols', 'output', 'rest-xml.json'), 'utf8')) as Suite[];
    let compared = 0;
    let direct = 0;
    for (const suite of suites) {
      for (const c of suite.cases) {
        if (c.result === undefined || !c.response.body) continue;
        const model = new ServiceModel({ metadata: suite.metadata, operations: { [c.given.name]: c.given }, shapes: suite.shapes }, 'conformance');
        const output = model.operationModel(c.given.name).outputShape;
        const shape = output && bodyShape(output);
        if (!shape) continue;
        compared++;
        const expected = outcome(() => tree(c.response.body!, shape));
        const fast = outcome(() => parseXmlDirectOnly(c.response.body!, shape));
        if (fast.value !== undefined) {
          direct++;
          assert.deepEqual(fast, expected, c.id);
        }
        assert.deepEqual(outcome(() => parseXmlFast(c.response.body!, shape)), expected, c.id);
      }
    }
    assert.ok(compared >= 40, `only ${compared} vectors compared`);
    // The direct path must carry the ordinary cases, not bail on everything.
    assert.ok(direct >= compared / 2, `direct path read only ${direct} of ${compared}`);
  });

  it('every captured S3 and CloudFront response', () => {
    const dir = join(vectorsDir, 'response-parsing', 'xml', 'responses');
    const loader = new Loader();
    let compared = 0;
    let direct = 0;
    for (const service of ['s3', 'cloudfront']) {
      const model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
      for (const file of readdirSync(dir).filter((f) => f.startsWith(`${service}-`) && f.endsWith('.xml'))) {
        const wanted = file.slice(service.length + 1).replace(/(#\d+)?\.xml$/, '').replace(/-/g, '').toLowerCase();
        const name = model.operationNames.find((n) => n.toLowerCase() === wanted);
        assert.ok(name, file);
        const output = model.operationModel(name).outputShape;
        const shape = output && bodyShape(output);
        if (!shape) continue;
        const body = readFileSync(join(dir, file));
        compared++;
        const expected = outcome(() => tree(body, shape));
        const fast = outcome(() => parseXmlDirectOnly(body, shape));
        if (fast.value !== undefined) {
          direct++;
          assert.deepEqual(fast, expected, file);
        }
        assert.deepEqual(outcome(() => parseXmlFast(body, shape)), expected, file);
      }
    }
    assert.ok(compared >= 10, `only ${compared} captures compared`);
    assert.ok(direct >= compared / 2, `direct path read only ${direct} of ${compared}`);
  });
});

// ---------------------------------------------------------------- a listing, then mutations

const s3 = new ServiceModel(new Loader().loadServiceModel('s3', 'service-2') as unknown as ServiceDescription, 's3');
const listShape = s3.operationModel('ListObjectsV2').outputShape!;

function listing(keys: number): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- a listing -->\n',
    '<s3:ListBucketResult xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/" a="1">',
    '<Name>bucket</Name><Prefix/><KeyCount>', String(keys), '</KeyCount><MaxKeys>1000</MaxKeys>',
    '<IsTruncated>false</IsTruncated>\n  <Unknown><Deep x="&amp;">text</Deep></Unknown>',
  ];
  for (let i = 0; i < keys; i++) {
    const key = i % 5 === 0 ? `a&amp;b/&lt;${i}&gt;` : i % 5 === 1 ? `<![CDATA[cdata<&>${i}]]>` : i % 5 === 2 ? `line\r\nend ${i}` : `k&#x41;&#66;${i}`;
    parts.push(
      '\n  <Contents>',
      `<Key>${key}</Key>`,
      `<LastModified>2026-0${(i % 9) + 1}-2${i % 9}T0${i % 10}:00:0${i % 10}.${i}Z</LastModified>`,
      `<ETag>&quot;${i.toString(16).padStart(8, '0')}&quot;</ETag>`,
      i % 3 === 0 ? '<ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumAlgorithm>SHA256</ChecksumAlgorithm>' : '',
      `<Size>${i * 1000}</Size>`,
      i % 4 === 0 ? `<Owner><ID>owner-${i}</ID><!-- c --><DisplayName>name ${i}</DisplayName></Owner>` : '',
      i % 7 === 0 ? '<StorageClass/>' : '<StorageClass>STANDARD</StorageClass >',
      '</Contents>',
    );
  }
  parts.push('\n  <CommonPrefixes><Prefix>p/</Prefix></CommonPrefixes><s3:EncodingType>url</s3:EncodingType>\n</s3:ListBucketResult>\n');
  return parts.join('');
}

const NOISE = ['<', '>', '&', '/', ';', '"', "'", '\r', '\n', ' ', ']]>', '<!--', '-->', '<?', '?>', '<![CDATA[', '&amp;', '&#0;', '&bogus;', '<x>', '</x>', '<x/>', ':', '<!DOCTYPE a>', '\u00e9', '\uffff'];

function mutate(doc: string, next: () => number): string {
  const at = Math.floor(next() * doc.length);
  switch (Math.floor(next() * 6)) {
    case 0: // truncate
      return doc.slice(0, at);
    case 1: // delete a few characters
      return doc.slice(0, at) + doc.slice(at + 1 + Math.floor(next() * 4));
    case 2: // insert markup or text
      return doc.slice(0, at) + NOISE[Math.floor(next() * NOISE.length)] + doc.slice(at);
    case 3: {
      // duplicate a stretch (repeated elements, repeated wrappers)
      const len = Math.floor(next() * 200);
      return doc.slice(0, at + len) + doc.slice(at, at + len) + doc.slice(at + len);
    }
    case 4: {
      // rename one tag occurrence to another member's name
      const names = ['Key', 'Size', 'Owner', 'Contents', 'ETag', 'Prefix', 'Name', 'IsTruncated', 'ChecksumAlgorithm'];
      const from = names[Math.floor(next() * names.length)]!;
      const to = names[Math.floor(next() * names.length)]!;
      const pos = doc.indexOf(from, at);
      return pos === -1 ? doc : doc.slice(0, pos) + to + doc.slice(pos + from.length);
    }
    default: // change a character
      return doc.slice(0, at) + String.fromCharCode(32 + Math.floor(next() * 95)) + doc.slice(at + 1);
  }
}

describe('direct XML reading on a listing and its mutations', () => {
  const doc = listing(40);

  it('reads the awkward but valid listing itself, as the tree parser does', () => {
    const direct = parseXmlDirectOnly(doc, listShape);
    assert.ok(direct, 'the direct path bailed on a valid listing');
    assert.deepEqual(direct, tree(doc, listShape));
    const contents = direct.Contents as Array<Record<string, unknown>>;
    assert.equal(contents.length, 40);
    assert.equal(contents[0]!.Key, 'a&b/<0>');
    assert.equal(contents[1]!.Key, 'cdata<&>1');
    assert.equal(contents[2]!.Key, 'line\nend 2');
    assert.equal(contents[3]!.Key, 'kAB3');
    assert.deepEqual(contents[0]!.ChecksumAlgorithm, ['CRC32', 'SHA256']);
    assert.deepEqual(contents[4]!.Owner, { DisplayName: 'name 4', ID: 'owner-4' });
    assert.equal(contents[7]!.StorageClass, '');
    assert.equal(direct.EncodingType, 'url');
    assert.equal(direct.Prefix, '');
  });

  it('3000 seeded mutations: parseXmlFast and the tree parser agree on every one', () => {
    const next = random(20261123);
    let errors = 0;
    let directAnswers = 0;
    for (let n = 0; n < 3000; n++) {
      let mutated = mutate(doc, next);
      if (next() < 0.3) mutated = mutate(mutated, next);
      const expected = outcome(() => tree(mutated, listShape));
      const fast = outcome(() => parseXmlFast(mutated, listShape));
      assert.deepEqual(fast, expected, `mutation ${n}`);
      const direct = outcome(() => parseXmlDirectOnly(mutated, listShape));
      if (direct.value !== undefined) {
        directAnswers++;
        assert.deepEqual(direct, expected, `mutation ${n} (direct alone)`);
      }
      if (expected.error) errors++;
    }
    // Both kinds must occur, or the mutations test nothing.
    assert.ok(errors > 300, `only ${errors} mutations were errors`);
    assert.ok(directAnswers > 200, `direct answered only ${directAnswers}`);
  });
});

describe('direct XML reading of bodies large enough to be read in segments', () => {
  // Over 128 KiB the direct path decodes in ~64 KiB segments cut before start tags.
  const keysWithText = (n: number, text: (i: number) => string): string =>
    [
      '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>',
      ...Array.from({ length: n }, (_, i) => `<Contents><Key>${text(i)}</Key><LastModified>2026-11-23T10:00:00.${String(i % 1000).padStart(3, '0')}Z</LastModified><ETag>&quot;${i}&quot;</ETag><Size>${i}</Size><StorageClass>STANDARD</StorageClass></Contents>`),
      '<KeyCount>', String(n), '</KeyCount></ListBucketResult>',
    ].join('');

  it('a 450 KB listing with multi-byte UTF-8 everywhere reads the same as the tree parser, without falling back', () => {
    const doc = Buffer.from(keysWithText(2500, (i) => `d\u00e9j\u00e0/\u65e5\u672c\u8a9e/\ud83d\ude00-${i}`));
    assert.ok(doc.length > 400_000);
    const segments = segmentsOf(doc);
    assert.ok(segments.length >= 4, `${segments.length} segments`);
    assert.equal(segments.join(''), doc.toString('utf8'));
    for (const segment of segments.slice(1)) assert.match(segment, /^<[A-Za-z]/);
    const direct = parseXmlDirectOnly(doc, listShape);
    assert.ok(direct, 'the segmented direct path bailed on a valid listing');
    assert.deepEqual(direct, tree(doc, listShape));
    const contents = direct.Contents as Array<Record<string, unknown>>;
    assert.equal(contents.length, 2500);
    assert.equal(contents[2499]!.Key, 'd\u00e9j\u00e0/\u65e5\u672c\u8a9e/\ud83d\ude00-2499');
    assert.equal(direct.KeyCount, 2500);
  });

  it('cuts that may land on "<x" inside CDATA or comments, with indentation and CRLF', () => {
    // Texts that hold what looks like a start tag, so a cut may land inside them.
    const awkward = (i: number): string =>
      i % 3 === 0 ? `<![CDATA[a<b>c<d ${i}]]>` : i % 3 === 1 ? `k${i}<!-- <e> <f/> -->` : `line\r\n${i}`;
    const doc = Buffer.from(keysWithText(1500, awkward).replace(/<Contents>/g, '\n  <Contents>'));
    assert.ok(doc.length > 200_000);
    assert.deepEqual(parseXmlFast(doc, listShape), tree(doc, listShape));
    const direct = parseXmlDirectOnly(doc, listShape);
    if (direct !== undefined) assert.deepEqual(direct, tree(doc, listShape));
  });

  it('200 seeded mutations of a 300 KB listing: parseXmlFast and the tree parser agree', () => {
    const base = keysWithText(1200, (i) => (i % 2 ? `\u00e9t\u00e9-${i}` : `k&amp;${i}`));
    const next = random(4242);
    let direct = 0;
    for (let n = 0; n < 200; n++) {
      const doc = Buffer.from(mutate(base, next));
      const expected = outcome(() => tree(doc, listShape));
      assert.deepEqual(outcome(() => parseXmlFast(doc, listShape)), expected, `mutation ${n}`);
      const alone = outcome(() => parseXmlDirectOnly(doc, listShape));
      if (alone.value !== undefined) {
        direct++;
        assert.deepEqual(alone, expected, `mutation ${n} (direct alone)`);
      }
    }
    assert.ok(direct > 20, `direct answered only ${direct}`);
  });
});
