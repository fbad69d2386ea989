/**
 * The XML reader (src/protocols/xml/reader.ts): what it keeps, what it refuses, and that a
 * hostile body fails fast; then the shape parser's corners the conformance vectors do not
 * reach, and the query form encoding against what botocore puts on the wire.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import { ResponseParserError } from '../../src/errors.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import { formEncode } from '../../src/protocols/query.js';
import { parseXml, peekXmlRoot, type XmlElement } from '../../src/protocols/xml/reader.js';
import { parseRestXmlErrorResponse, parseXmlBody, parseXmlStructure, xmlElementToDict } from '../../src/protocols/xml/shape-parser.js';

/** Every rejection must be a ResponseParserError and come back fast (no expansion, no hang). */
function rejects(input: string | Uint8Array, pattern?: RegExp, options?: { maxDepth?: number }): void {
  const start = performance.now();
  assert.throws(
    () => parseXml(input, options),
    (error: unknown) => {
      assert.ok(error instanceof ResponseParserError, `expected a ResponseParserError, got ${String(error)}`);
      if (pattern) assert.match(error.message, pattern);
      return true;
    },
  );
  const elapsed = performance.now() - start;
  assert.ok(elapsed < 250, `rejection took ${elapsed.toFixed(1)} ms`);
}

function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((c) => c.name === name);
  assert.ok(found, `no <${name}> under <${element.name}>`);
  return found;
}

describe('xml reader: what it reads', () => {
  it('reads elements, text and self-closing elements, skipping the declaration, comments and PIs', () => {
    const root = parseXml('<?xml version="1.0" encoding="UTF-8"?>\n<!-- top --><a><b>one</b><?pi stuff?><c/><d></d><!-- inner --><e>t<!-- x -->u</e></a>\n<!-- tail -->\n');
    assert.equal(root.name, 'a');
    assert.deepEqual(root.children.map((c) => c.name), ['b', 'c', 'd', 'e']);
    assert.equal(child(root, 'b').text, 'one');
    assert.equal(child(root, 'c').text, '');
    assert.equal(child(root, 'd').text, '');
    assert.equal(child(root, 'e').text, 'tu');
  });

  it('accepts bytes, with or without a byte order mark', () => {
    const bytes = Buffer.from('\ufeff<a>é😀</a>', 'utf8');
    assert.equal(parseXml(bytes).text, 'é😀');
    assert.equal(parseXml(new Uint8Array(bytes)).text, 'é😀');
  });

  it('decodes the five predefined entities and numeric character references', () => {
    const root = parseXml('<a>&lt;&gt;&amp;&quot;&apos; &#65;&#x42;&#x43;&#x1F600;&#10;</a>');
    assert.equal(root.text, '<>&"\' ABC😀\n');
  });

  it('keeps CDATA as it is, entities and markup included', () => {
    assert.equal(parseXml('<a>x<![CDATA[<b>&amp;</b>]]>y</a>').text, 'x<b>&amp;</b>y');
  });

  it('strips namespace prefixes from element names and keeps attributes as written', () => {
    const root = parseXml(
      '<s3:Grant xmlns:s3="http://s3/" xmlns="http://default/"><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser" plain=\'v &amp; w\'/></s3:Grant>',
    );
    assert.equal(root.name, 'Grant');
    assert.deepEqual({ ...root.attributes }, { 'xmlns:s3': 'http://s3/', xmlns: 'http://default/' });
    const grantee = child(root, 'Grantee');
    assert.deepEqual({ ...grantee.attributes }, { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': 'CanonicalUser', plain: 'v & w' });
  });

  it('normalizes line ends like any XML parser, and attribute whitespace to spaces', () => {
    const root = parseXml('<a x="1\t2\r\n3">l1\r\nl2\rl3<![CDATA[c\r\nd]]>&#13;</a>');
    assert.equal(root.text, 'l1\nl2\nl3c\nd\r');
    assert.equal(root.attributes.x, '1 2 3');
  });

  it('drops indentation between child elements but keeps a leaf’s whitespace', () => {
    const root = parseXml('<a>\n  <b>  </b>\n  <c>\n    <d>x</d>\n  </c>\n</a>');
    assert.equal(root.text, '');
    assert.equal(child(root, 'b').text, '  ');
    assert.equal(child(root, 'c').text, '');
  });

  it('accepts whitespace inside tags', () => {
    const root = parseXml('<a   x = "1"  ><b  /></a  >');
    assert.equal(root.attributes.x, '1');
    assert.equal(root.children.length, 1);
  });

  it('parses a 1000-key ListObjectsV2 page correctly and quickly', () => {
    let xml = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bucket</Name><KeyCount>1000</KeyCount><IsTruncated>false</IsTruncated>';
    for (let i = 0; i < 1000; i++) {
      xml += `<Contents><Key>photos/2024/image-${i}.jpg</Key><LastModified>2024-01-01T12:34:56.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>${i}</Size><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner><StorageClass>STANDARD</StorageClass></Contents>`;
    }
    xml += '</ListBucketResult>';
    const bytes = Buffer.from(xml);
    const root = parseXml(bytes);
    const contents = root.children.filter((c) => c.name === 'Contents');
    assert.equal(contents.length, 1000);
    assert.equal(child(contents[999]!, 'Key').text, 'photos/2024/image-999.jpg');
    assert.equal(child(contents[0]!, 'ETag').text, '"d41d8cd98f00b204e9800998ecf8427e"');
    // A generous bound (the reader takes ~1-2 ms here): it catches an accidental quadratic pass.
    const times: number[] = [];
    for (let k = 0; k < 15; k++) {
      const start = performance.now();
      parseXml(bytes);
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    assert.ok(times[7]! < 25, `median parse time ${times[7]!.toFixed(2)} ms`);
  });
});

describe('xml reader: what it refuses', () => {
  it('refuses any DOCTYPE', () => {
    rejects('<!DOCTYPE a><a/>', /DOCTYPE/);
    rejects('<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html/>', /DOCTYPE/);
  });

  it('refuses a billion laughs', () => {
    let dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol">';
    for (let i = 1; i < 10; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    rejects(`<?xml version="1.0"?>${dtd}]><lolz>&lol9;</lolz>`, /DOCTYPE/);
  });

  it('refuses external entities (XXE) and entity declarations anywhere', () => {
    rejects('<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>', /DOCTYPE/);
    rejects('<foo><!ENTITY xxe SYSTEM "file:///etc/passwd"></foo>', /ENTITY/);
    rejects('<!ENTITY xxe SYSTEM "file:///etc/passwd"><foo/>', /ENTITY/);
    rejects('<foo><!ELEMENT foo ANY></foo>', /declaration/);
  });

  it('refuses undefined entities and malformed references', () => {
    rejects('<a>&xxe;</a>', /undefined entity/);
    rejects('<a>&nbsp;</a>', /undefined entity/);
    rejects('<a>AT&T</a>', /entity/);
    rejects('<a>&#0;</a>', /invalid character/);
    rejects('<a>&#xD800;</a>', /invalid character/);
    rejects('<a>&#x110000;</a>', /invalid character/);
    rejects('<a>&#xZZ;</a>', /character reference/);
    rejects('<a>&#;</a>', /character reference/);
    rejects('<a>&#X41;</a>', /character reference/);
    rejects('<a b="&foo;"/>', /undefined entity/);
  });

  it('refuses truncated documents, at every cut', () => {
    const doc = '<?xml version="1.0"?><a x="1"><b>t&amp;u</b><![CDATA[c]]><!-- k --><c/></a>';
    for (let cut = 0; cut < doc.length; cut++) rejects(doc.slice(0, cut));
    assert.equal(parseXml(doc).name, 'a');
  });

  it('refuses garbage and unbalanced markup', () => {
    rejects('');
    rejects('   \n');
    rejects('not xml at all', /text before the root/);
    rejects('{"json": true}');
    rejects('<a></b>', /mismatched tag/);
    rejects('<a><b></a></b>', /mismatched tag/);
    rejects('<a></ab>', /mismatched tag/);
    rejects('<ab></a>', /mismatched tag/);
    rejects('</a>', /unexpected end tag/);
    rejects('<a/><b/>', /junk after document element/);
    rejects('<a/>trailing', /junk after document element/);
    rejects('<a>x</a><!-- ok --> <b/>', /junk after document element/);
    rejects('< a/>', /invalid token/);
    rejects('<a b/>', /no value/);
    rejects('<a b=1/>', /not quoted/);
    rejects('<a b="1"c="2"/>', /invalid token/);
    rejects('<a b="1" b="2"/>', /duplicate attribute/);
    rejects('<a b="<"/>', /'<'/);
    rejects('<a/ >', /invalid token/);
    rejects('<:a/>', /invalid element name/);
    rejects('<a:/>', /invalid element name/);
    rejects('<![CDATA[x]]><a/>', /CDATA outside/);
    rejects('<a><!-- never closed</a>', /unterminated comment/);
    rejects('<a><![CDATA[never closed</a>', /unterminated CDATA/);
    rejects('<a><?pi never closed</a>', /unterminated processing instruction/);
  });

  it('refuses nesting deeper than maxDepth, without exhausting the stack', () => {
    rejects(`${'<a>'.repeat(1_000_000)}${'</a>'.repeat(1_000_000)}`, /deeper than 100/);
    rejects('<a>'.repeat(5_000_000), /deeper than 100/);
    const ok = `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`;
    assert.equal(parseXml(ok).name, 'a');
    rejects(`<r>${ok}</r>`, /deeper than 100/);
    rejects(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`, /deeper than 10/, { maxDepth: 10 });
    assert.equal(parseXml(`${'<a>'.repeat(11)}${'</a>'.repeat(11)}`, { maxDepth: 11 }).name, 'a');
  });

  it('fails fast on a large hostile body', () => {
    rejects(`<a>${'&amp;'.repeat(200_000)}&bogus;</a>`, /undefined entity/);
    rejects(`<a>${'x'.repeat(2_000_000)}`, /truncated/);
    rejects(`<a b="${'x'.repeat(2_000_000)}`, /truncated/);
  });
});

describe('xml reader: peekXmlRoot', () => {
  it('names the root and tells whether the document closes it, without parsing', () => {
    assert.deepEqual(peekXmlRoot('<a/>'), { name: 'a', closed: true });
    assert.deepEqual(peekXmlRoot(Buffer.from('\ufeff<?xml version="1.0"?>\n<!-- c --><Error><Code>x</Code></Error>\n')), { name: 'Error', closed: true });
    assert.deepEqual(peekXmlRoot('<Error><Code>x</Code'), { name: 'Error', closed: false });
    assert.deepEqual(peekXmlRoot('<ns:List xmlns:ns="u"><a/></ns:List >  '), { name: 'List', closed: true });
    assert.deepEqual(peekXmlRoot('<a><b/>'), { name: 'a', closed: false });
    assert.deepEqual(peekXmlRoot('<a x="1" />'), { name: 'a', closed: true });
    for (const junk of ['', '   ', 'garbage', '<!DOCTYPE x><x/>', '</a>', '<?xml']) assert.equal(peekXmlRoot(junk), undefined, junk);
  });
});

// ---------------------------------------------------------------- shape parser corners

const model = new ServiceModel(
  {
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'x', protocol: 'rest-xml' },
    operations: {},
    shapes: {
      Grantee: {
        type: 'structure',
        members: {
          Type: { shape: 'String', locationName: 'xsi:type', xmlAttribute: true },
          Id: { shape: 'String', locationName: 'ID' },
          Plain: { shape: 'String', locationName: 'plain', xmlAttribute: true },
        },
      },
      Out: {
        type: 'structure',
        members: {
          Tags: { shape: 'TagMap' },
          Flat: { shape: 'FlatMap', flattened: true, locationName: 'Entry' },
          Items: { shape: 'ItemList' },
          Count: { shape: 'Long' },
          Ratio: { shape: 'Double' },
          Enabled: { shape: 'Boolean' },
          Data: { shape: 'Blob' },
          When: { shape: 'Timestamp' },
          Header: { shape: 'String', location: 'header', locationName: 'x-amz-thing' },
          Choice: { shape: 'Choice' },
        },
      },
      TagMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
      FlatMap: { type: 'map', key: { shape: 'String', locationName: 'K' }, value: { shape: 'String', locationName: 'V' }, flattened: true },
      ItemList: { type: 'list', member: { shape: 'String', locationName: 'item' } },
      Choice: { type: 'structure', union: true, members: { A: { shape: 'String' }, B: { shape: 'String' } } },
      String: { type: 'string' },
      Long: { type: 'long' },
      Double: { type: 'double' },
      Boolean: { type: 'boolean' },
      Blob: { type: 'blob' },
      Timestamp: { type: 'timestamp' },
    },
  } as unknown as ServiceDescription,
  'unit',
);

describe('xml shape parser', () => {
  it('reads xsi:type whatever prefix the document bound, and plain attributes exactly', () => {
    const grantee = model.shapeFor('Grantee');
    const xml = (prefix: string) =>
      `<Grantee xmlns:${prefix}="http://www.w3.org/2001/XMLSchema-instance" ${prefix}:type="Group" plain="p"><ID>id</ID></Grantee>`;
    assert.deepEqual(parseXmlStructure(parseXml(xml('xsi')), grantee), { Type: 'Group', Id: 'id', Plain: 'p' });
    assert.deepEqual(parseXmlStructure(parseXml(xml('foo')), grantee), { Type: 'Group', Id: 'id', Plain: 'p' });
    assert.deepEqual(parseXmlStructure(parseXml('<Grantee foo:plain="p"/>'), grantee), {});
  });

  it('reads maps (wrapped and flattened), lists, scalars; skips header members and unknown elements', () => {
    const body = `<Out><Tags><entry><key>__proto__</key><value>v</value></entry><entry><key>b</key><value></value></entry></Tags>
      <Entry><K>x</K><V>1</V></Entry><Entry><K>y</K><V>2</V></Entry>
      <Items><item>a</item><item>b</item></Items><Count> 42 </Count><Ratio>-inf</Ratio><Enabled>true</Enabled>
      <Data>aGk=</Data><When>2014-04-29T18:30:38Z</When><Header>no</Header><Unknown>z</Unknown></Out>`;
    const out = parseXmlStructure(parseXml(body), model.shapeFor('Out'));
    const tags = out.Tags as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(tags), Object.prototype, 'a "__proto__" key stays a key');
    assert.deepEqual(Object.keys(tags), ['__proto__', 'b']);
    assert.equal(tags.b, '');
    assert.deepEqual(out.Flat, { x: '1', y: '2' });
    assert.deepEqual(out.Items, ['a', 'b']);
    assert.equal(out.Count, 42);
    assert.equal(out.Ratio, -Infinity);
    assert.equal(out.Enabled, true);
    assert.deepEqual(Buffer.from(out.Data as Uint8Array).toString(), 'hi');
    assert.equal((out.When as Date).toISOString(), '2014-04-29T18:30:38.000Z');
    assert.equal('Header' in out, false);
  });

  it('reports an unknown union member, and refuses a union with several', () => {
    const shape = model.shapeFor('Out');
    assert.deepEqual(parseXmlStructure(parseXml('<Out><Choice><C>new</C></Choice></Out>'), shape).Choice, { SDK_UNKNOWN_MEMBER: { name: 'C' } });
    assert.deepEqual(parseXmlStructure(parseXml('<Out><Choice><A>a</A></Choice></Out>'), shape).Choice, { A: 'a' });
    assert.throws(() => parseXmlStructure(parseXml('<Out><Choice><A>a</A><B>b</B></Choice></Out>'), shape), ResponseParserError);
  });

  it('refuses bad numbers and unknown map tags', () => {
    const shape = model.shapeFor('Out');
    assert.throws(() => parseXmlStructure(parseXml('<Out><Count>4x</Count></Out>'), shape), ResponseParserError);
    assert.throws(() => parseXmlStructure(parseXml('<Out><Ratio>one</Ratio></Out>'), shape), ResponseParserError);
    assert.throws(() => parseXmlStructure(parseXml('<Out><Tags><entry><k>a</k></entry></Tags></Out>'), shape), /Unknown tag: k/);
  });

  it('reads an error body untyped, as botocore does (empty leaves are null)', () => {
    assert.deepEqual(xmlElementToDict(parseXml('<E><Error><Code>C</Code><Detail/><N><X>1</X></N></Error><RequestId>r</RequestId></E>')), {
      Error: { Code: 'C', Detail: null, N: { X: '1' } },
      RequestId: 'r',
    });
  });

  it('reads a blank body as an empty element', () => {
    assert.deepEqual(parseXmlStructure(parseXmlBody(new Uint8Array(0)), model.shapeFor('Out')), {});
    assert.deepEqual(parseXmlStructure(parseXmlBody(' \n'), model.shapeFor('Out')), {});
  });

  it('rest-xml errors: S3 bare <Error>, wrapped <ErrorResponse>, empty or broken bodies', () => {
    const headers = { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'HOST' };
    const s3 = parseRestXmlErrorResponse({
      statusCode: 404,
      headers,
      body: Buffer.from('<Error><Code>NoSuchKey</Code><Message>gone</Message><Key>k</Key><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>'),
    });
    assert.deepEqual(s3.Error, { Code: 'NoSuchKey', Message: 'gone', Key: 'k' });
    assert.equal(s3.ResponseMetadata.RequestId, 'REQ');
    assert.equal(s3.ResponseMetadata.HostId, 'HOST');
    assert.equal(s3.ResponseMetadata.HTTPStatusCode, 404);

    const wrapped = parseRestXmlErrorResponse({
      statusCode: 400,
      headers: {},
      body: Buffer.from('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidInput</Code><Message>m</Message></Error><RequestId>rid</RequestId></ErrorResponse>'),
    });
    assert.deepEqual(wrapped.Error, { Type: 'Sender', Code: 'InvalidInput', Message: 'm' });
    assert.equal(wrapped.ResponseMetadata.RequestId, 'rid');

    const head = parseRestXmlErrorResponse({ statusCode: 404, headers, body: new Uint8Array(0) });
    assert.deepEqual(head.Error, { Code: '404', Message: 'Not Found' });
    assert.equal(head.ResponseMetadata.RequestId, 'REQ');
    assert.equal(head.ResponseMetadata.HostId, 'HOST');

    const broken = parseRestXmlErrorResponse({ statusCode: 403, headers: {}, body: Buffer.from('<Error><Code>Acc') });
    assert.deepEqual(broken.Error, { Code: '403', Message: 'Forbidden' });
    assert.equal(broken.ResponseMetadata.RequestId, '');
  });
});

describe('query form encoding', () => {
  it('encodes as botocore puts it on the wire (urlencode / quote_plus)', () => {
    // Checked against botocore 1.43.11: sns.publish(Message=...) sends exactly this.
    assert.equal(formEncode('a b*c~d/e+f=g&h é 😀 !\'()'), 'a+b%2Ac~d%2Fe%2Bf%3Dg%26h+%C3%A9+%F0%9F%98%80+%21%27%28%29');
    assert.equal(formEncode('Filter.1.Name'), 'Filter.1.Name');
    assert.equal(formEncode('tag:Name'), 'tag%3AName');
    assert.equal(formEncode(''), '');
  });
});
