/** The REST protocols' shared machinery (src/protocols/rest.ts) and its rest-json / rest-xml use. */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ResponseParserError } from '../../src/errors.js';
import { StreamingBody } from '../../src/http/streaming-body.js';
import { Loader } from '../../src/models/loader.js';
import { ServiceModel, type OperationDef, type ServiceDescription, type ShapeDef } from '../../src/models/shapes.js';
import { percentEncode, pythonFloat, pythonJsonDumps, splitHeaderList } from '../../src/protocols/rest.js';
import { RestJsonProtocol } from '../../src/protocols/rest-json.js';
import { RestXmlProtocol } from '../../src/protocols/rest-xml.js';
import type { RawResponse } from '../../src/protocols/types.js';
import { SerializationError } from '../../src/protocols/values.js';

const restJson = new RestJsonProtocol();
const restXml = new RestXmlProtocol();

function model(protocol: string, operations: Record<string, Omit<OperationDef, 'name'>>, shapes: Record<string, ShapeDef>): ServiceModel {
  const ops: Record<string, OperationDef> = {};
  for (const [name, def] of Object.entries(operations)) ops[name] = { name, ...def };
  const description: ServiceDescription = {
    metadata: { apiVersion: '2020-01-01', endpointPrefix: 'svc', protocol, serviceId: 'Svc' },
    operations: ops,
    shapes,
  };
  return new ServiceModel(description, 'svc');
}

const SHAPES: Record<string, ShapeDef> = {
  String: { type: 'string' },
  Integer: { type: 'integer' },
  Double: { type: 'double' },
  Boolean: { type: 'boolean' },
  Timestamp: { type: 'timestamp' },
  Blob: { type: 'blob' },
  StreamingBlob: { type: 'blob', streaming: true },
  StringList: { type: 'list', member: { shape: 'String' } },
  StringMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'String' } },
  StringListMap: { type: 'map', key: { shape: 'String' }, value: { shape: 'StringList' } },
  JsonString: { type: 'string', jsonvalue: true },
  Input: {
    type: 'structure',
    members: {
      Bucket: { shape: 'String', location: 'uri', locationName: 'Bucket' },
      Key: { shape: 'String', location: 'uri', locationName: 'Key' },
      Prefix: { shape: 'String', location: 'querystring', locationName: 'prefix' },
      Tags: { shape: 'StringList', location: 'querystring', locationName: 'tag' },
      Extra: { shape: 'StringListMap', location: 'querystring' },
      Limit: { shape: 'Integer', location: 'querystring', locationName: 'limit' },
      Ratio: { shape: 'Double', location: 'querystring', locationName: 'ratio' },
      Flag: { shape: 'Boolean', location: 'querystring', locationName: 'flag' },
      Since: { shape: 'Timestamp', location: 'querystring', locationName: 'since' },
      IfModifiedSince: { shape: 'Timestamp', location: 'header', locationName: 'If-Modified-Since' },
      IsoHeader: { shape: 'Timestamp', location: 'header', locationName: 'X-Iso', timestampFormat: 'iso8601' },
      EpochHeader: { shape: 'Timestamp', location: 'header', locationName: 'X-Epoch', timestampFormat: 'unixtimestamp' },
      Attributes: { shape: 'JsonString', location: 'header', locationName: 'X-Attributes' },
      Names: { shape: 'StringList', location: 'header', locationName: 'X-Names' },
      Metadata: { shape: 'StringMap', location: 'headers', locationName: 'x-amz-meta-' },
      Enabled: { shape: 'Boolean', location: 'header', locationName: 'X-Enabled' },
      Name: { shape: 'String' },
    },
  },
  GreedyInput: {
    type: 'structure',
    members: {
      Bucket: { shape: 'String', location: 'uri', locationName: 'Bucket' },
      Key: { shape: 'String', location: 'uri', locationName: 'Key' },
    },
  },
  UploadInput: {
    type: 'structure',
    payload: 'Body',
    members: {
      Key: { shape: 'String', location: 'uri', locationName: 'Key' },
      Body: { shape: 'StreamingBlob' },
      ContentType: { shape: 'String', location: 'header', locationName: 'Content-Type' },
    },
  },
  DownloadOutput: {
    type: 'structure',
    payload: 'Body',
    members: {
      Body: { shape: 'StreamingBlob' },
      ContentLength: { shape: 'Integer', location: 'header', locationName: 'Content-Length' },
      Metadata: { shape: 'StringMap', location: 'headers', locationName: 'x-amz-meta-' },
      Status: { shape: 'Integer', location: 'statusCode' },
      LastModified: { shape: 'Timestamp', location: 'header', locationName: 'Last-Modified' },
      Names: { shape: 'StringList', location: 'header', locationName: 'X-Names' },
      Enabled: { shape: 'Boolean', location: 'header', locationName: 'X-Enabled' },
      Attributes: { shape: 'JsonString', location: 'header', locationName: 'X-Attributes' },
    },
  },
  BodyOutput: { type: 'structure', members: { Name: { shape: 'String' }, Count: { shape: 'Integer' }, RequestHeader: { shape: 'String', location: 'header', locationName: 'X-Req' } } },
  NotFound: {
    type: 'structure',
    exception: true,
    error: { httpStatusCode: 404 },
    members: { Message: { shape: 'String' }, Resource: { shape: 'String', location: 'header', locationName: 'X-Resource' } },
  },
};

const OPS: Record<string, Omit<OperationDef, 'name'>> = {
  Get: { http: { method: 'GET', requestUri: '/{Bucket}/{Key}' }, input: { shape: 'Input' } },
  Post: { http: { method: 'POST', requestUri: '/{Bucket}/{Key}' }, input: { shape: 'Input' } },
  Greedy: { http: { method: 'GET', requestUri: '/{Bucket}/{Key+}' }, input: { shape: 'GreedyInput' } },
  List: { http: { method: 'GET', requestUri: '/{Bucket}?list-type=2' }, input: { shape: 'Input' } },
  Uploads: { http: { method: 'POST', requestUri: '/{Bucket}/{Key+}?uploads' }, input: { shape: 'GreedyInput' } },
  Upload: { http: { method: 'PUT', requestUri: '/files/{Key}' }, input: { shape: 'UploadInput' } },
  Download: { http: { method: 'GET', requestUri: '/files' }, output: { shape: 'DownloadOutput' } },
  Describe: { http: { method: 'GET', requestUri: '/describe' }, output: { shape: 'BodyOutput' }, errors: [{ shape: 'NotFound' }] },
};

const jsonModel = model('rest-json', OPS, SHAPES);
const xmlModel = model('rest-xml', OPS, SHAPES);
const op = (name: string, m = jsonModel) => m.operationModel(name);
const uri = (r: { path: string; query: string }) => r.path + (r.query ? `?${r.query}` : '');

describe('percent-encoding', () => {
  it('encodes everything but unreserved characters, as botocore', () => {
    assert.equal(percentEncode("a b/c?d#e&f=g+h!'()*~._-"), 'a%20b%2Fc%3Fd%23e%26f%3Dg%2Bh%21%27%28%29%2A~._-');
    assert.equal(percentEncode('a/b c', true), 'a/b%20c');
    assert.equal(percentEncode('é😹'), '%C3%A9%F0%9F%98%B9');
  });

  it('refuses a lone surrogate with a SerializationError', () => {
    assert.throws(() => percentEncode('\ud800'), SerializationError);
  });
});

describe('URI labels', () => {
  it('encodes a label whole, "/" included', () => {
    const r = restJson.serialize({ Bucket: 'my bucket', Key: 'a/b é+c' }, op('Get'));
    assert.equal(r.path, '/my%20bucket/a%2Fb%20%C3%A9%2Bc');
  });

  it('keeps "/" in a greedy label', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'photos/2024/a b.jpg' }, op('Greedy'));
    assert.equal(r.path, '/b/photos/2024/a%20b.jpg');
  });

  it('keeps the query part of requestUri and appends members after it', () => {
    assert.equal(uri(restJson.serialize({ Bucket: 'b' }, op('List'))), '/b?list-type=2');
    assert.equal(uri(restJson.serialize({ Bucket: 'b', Prefix: 'x y' }, op('List'))), '/b?list-type=2&prefix=x%20y');
    assert.equal(uri(restJson.serialize({ Bucket: 'b', Key: 'k/1' }, op('Uploads'))), '/b/k/1?uploads');
  });

  it('refuses a missing label instead of sending a broken path', () => {
    assert.throws(() => restJson.serialize({ Bucket: 'b' }, op('Get')), /Key/);
  });
});

describe('query strings', () => {
  it('serializes scalars, lists (repeated keys), booleans, floats and timestamps as botocore', () => {
    const r = restJson.serialize(
      { Bucket: 'b', Key: 'k', Tags: ['a', 'b c'], Limit: 5, Ratio: 2, Flag: false, Since: new Date('2020-01-02T03:04:05.250Z') },
      op('Get'),
    );
    assert.equal(r.query, 'tag=a&tag=b%20c&limit=5&ratio=2.0&flag=false&since=2020-01-02T03%3A04%3A05.250000Z');
  });

  it('merges a map-typed member without overriding modeled keys, whatever the order', () => {
    const a = restJson.serialize({ Bucket: 'b', Key: 'k', Extra: { prefix: ['fromMap'], other: ['1', '2'] }, Prefix: 'named' }, op('Get'));
    assert.equal(a.query, 'prefix=named&other=1&other=2');
    const b = restJson.serialize({ Bucket: 'b', Key: 'k', Prefix: 'named', Extra: { prefix: ['fromMap'], 'a b': ['c&d'] } }, op('Get'));
    assert.equal(b.query, 'prefix=named&a%20b=c%26d');
  });
});

describe('headers', () => {
  const when = new Date('2019-12-16T23:48:18.750Z');

  it('sends timestamps as RFC 822 by default, in whole seconds, or in the member format', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'k', IfModifiedSince: when, IsoHeader: when, EpochHeader: when }, op('Get'));
    assert.equal(r.headers['if-modified-since'], 'Mon, 16 Dec 2019 23:48:18 GMT');
    assert.equal(r.headers['x-iso'], '2019-12-16T23:48:18Z');
    assert.equal(r.headers['x-epoch'], '1576540098');
  });

  it('sends a jsonvalue header as base64 of compact, ASCII-only JSON (json.dumps)', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'k', Attributes: { city: 'Zürich', n: [1, true] } }, op('Get'));
    const text = Buffer.from(r.headers['x-attributes']!, 'base64').toString('utf8');
    assert.equal(text, '{"city":"Z\\u00fcrich","n":[1,true]}');
    assert.deepEqual(JSON.parse(text), { city: 'Zürich', n: [1, true] });
    assert.equal(pythonJsonDumps('😹'), '"\\ud83d\\ude39"');
  });

  it('joins lists with "," quoting items that hold "," or \'"\'; an empty list sends nothing', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'k', Names: ['a', 'b,c', 'say "hi"'], Enabled: true }, op('Get'));
    assert.equal(r.headers['x-names'], 'a,"b,c","say \\"hi\\""');
    assert.equal(r.headers['x-enabled'], 'true');
    assert.equal(restJson.serialize({ Bucket: 'b', Key: 'k', Names: [] }, op('Get')).headers['x-names'], undefined);
  });

  it('expands a `headers` prefix map (x-amz-meta-)', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'k', Metadata: { Owner: 'ada', 'build-id': '7' } }, op('Get'));
    assert.equal(r.headers['x-amz-meta-owner'], 'ada');
    assert.equal(r.headers['x-amz-meta-build-id'], '7');
  });
});

describe('bodies', () => {
  it('rest-json: JSON of the body members with Content-Type; {} when body members exist but none is set', () => {
    const r = restJson.serialize({ Bucket: 'b', Key: 'k', Name: 'n' }, op('Post'));
    assert.equal(r.body, '{"Name":"n"}');
    assert.equal(r.headers['content-type'], 'application/json');
    const empty = restJson.serialize({ Bucket: 'b', Key: 'k' }, op('Post'));
    assert.equal(empty.body, '{}');
  });

  it('rest-xml: XML of the body members, no Content-Type', () => {
    const m = model(
      'rest-xml',
      { Put: { http: { method: 'PUT', requestUri: '/' }, input: { shape: 'PutInput', locationName: 'PutRequest', xmlNamespace: { uri: 'https://example.com/doc' } } } },
      {
        String: { type: 'string' },
        Double: { type: 'double' },
        Flags: { type: 'list', member: { shape: 'String', locationName: 'Flag' } },
        Flat: { type: 'list', member: { shape: 'String' }, flattened: true },
        PutInput: {
          type: 'structure',
          members: {
            Id: { shape: 'String', xmlAttribute: true, locationName: 'id' },
            Name: { shape: 'String' },
            Ratio: { shape: 'Double' },
            Flags: { shape: 'Flags' },
            Item: { shape: 'Flat' },
            Empty: { shape: 'String' },
          },
        },
      },
    );
    const r = restXml.serialize({ Name: 'a<b & "c"', Id: 'x"1', Ratio: 3, Flags: ['p', 'q'], Item: ['i', 'j'], Empty: '' }, m.operationModel('Put'));
    assert.equal(
      r.body,
      '<PutRequest xmlns="https://example.com/doc" id="x&quot;1"><Name>a&lt;b &amp; "c"</Name><Ratio>3.0</Ratio>' +
        '<Flags><Flag>p</Flag><Flag>q</Flag></Flags><Item>i</Item><Item>j</Item><Empty /></PutRequest>',
    );
    assert.equal(r.headers['content-type'], undefined);
  });

  it('prints floats as Python does', () => {
    assert.deepEqual([1, 1.5, 1e16, 1e-5, 0.0001, 123.456, -0, 2.5e-7].map(pythonFloat), ['1.0', '1.5', '1e+16', '1e-05', '0.0001', '123.456', '-0.0', '2.5e-07']);
  });
});

describe('streaming input', () => {
  it('sends a string or bytes as they are (the request builder adds Content-Length), no Content-Type', () => {
    const s = restJson.serialize({ Key: 'k', Body: 'hello' }, op('Upload'));
    assert.equal(s.body, 'hello');
    assert.equal(s.headers['content-type'], undefined);
    const bytes = new Uint8Array([1, 2, 3]);
    assert.equal(restJson.serialize({ Key: 'k', Body: bytes }, op('Upload')).body, bytes);
    assert.equal(restJson.serialize({ Key: 'k' }, op('Upload')).body, undefined);
  });

  it('passes a Readable through without reading it', () => {
    const stream = new PassThrough();
    const r = restJson.serialize({ Key: 'k', Body: stream, ContentType: 'text/plain' }, op('Upload'));
    assert.equal(r.body, stream);
    assert.equal(stream.readableFlowing, null, 'nobody started reading the stream');
    assert.equal(stream.readableLength, 0);
    assert.equal(r.headers['content-type'], 'text/plain');
    stream.destroy();
  });

  it('passes a FileHandle through (the client opens it as a stream when sending)', async () => {
    const handle = await open(join(tmpdir(), `inia-rest-${process.pid}.txt`), 'w+');
    try {
      const r = restJson.serialize({ Key: 'k', Body: handle }, op('Upload'));
      assert.equal(r.body as unknown, handle);
    } finally {
      await handle.close();
    }
  });

  it('refuses other values', () => {
    assert.throws(() => restJson.serialize({ Key: 'k', Body: { not: 'a body' } }, op('Upload')), SerializationError);
  });
});

interface ResponseParts {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  stream?: Readable;
}

function response(partial: ResponseParts): RawResponse {
  const body = partial.body === undefined ? new Uint8Array(0) : typeof partial.body === 'string' ? Buffer.from(partial.body) : partial.body;
  return { statusCode: partial.statusCode ?? 200, headers: partial.headers ?? {}, body, ...(partial.stream ? { stream: partial.stream } : {}) };
}

describe('responses', () => {
  it('reads the status code, typed headers, prefix maps and request ids', () => {
    const parsed = restXml.parse(
      response({
        statusCode: 206,
        headers: {
          'content-length': '5',
          'x-amz-meta-owner': 'ada',
          'x-amz-meta-build-id': '7',
          'last-modified': 'Mon, 16 Dec 2019 23:48:18 GMT',
          'x-names': 'a, "b,c", d',
          'x-enabled': 'true',
          'x-attributes': Buffer.from('{"k":[1]}').toString('base64'),
          'x-amz-request-id': 'REQ',
          'x-amz-id-2': 'HOST',
        },
        stream: Readable.from([Buffer.from('hello')]),
      }),
      op('Download', xmlModel),
    );
    assert.equal(parsed.Status, 206);
    assert.equal(parsed.ContentLength, 5);
    assert.deepEqual(parsed.Metadata, { owner: 'ada', 'build-id': '7' });
    assert.deepEqual(parsed.LastModified, new Date('2019-12-16T23:48:18Z'));
    assert.deepEqual(parsed.Names, ['a', 'b,c', 'd']);
    assert.equal(parsed.Enabled, true);
    assert.deepEqual(parsed.Attributes, { k: [1] });
    const meta = parsed.ResponseMetadata as { RequestId: string; HostId: string; HTTPStatusCode: number };
    assert.equal(meta.RequestId, 'REQ');
    assert.equal(meta.HostId, 'HOST');
    assert.equal(meta.HTTPStatusCode, 206);
    assert.ok(parsed.Body instanceof StreamingBody);
  });

  it('splits RFC 7230 header lists', () => {
    assert.deepEqual(splitHeaderList('a, b ,c'), ['a', 'b', 'c']);
    assert.deepEqual(splitHeaderList('"b,c", "\\"def\\"", a'), ['b,c', '"def"', 'a']);
  });

  it('parses a JSON body into the non-location members', () => {
    const parsed = restJson.parse(response({ headers: { 'x-req': 'r', 'x-amzn-requestid': 'id' }, body: '{"Name":"n","Count":2}' }), op('Describe'));
    assert.deepEqual({ ...parsed, ResponseMetadata: undefined }, { Name: 'n', Count: 2, RequestHeader: 'r', ResponseMetadata: undefined });
    assert.equal((parsed.ResponseMetadata as { RequestId: string }).RequestId, 'id');
  });
});

describe('StreamingBody output', () => {
  const download = (chunks: string[], length?: number) =>
    restJson.parse(
      response({ headers: length === undefined ? {} : { 'content-length': String(length) }, stream: Readable.from(chunks.map((c) => Buffer.from(c))) }),
      op('Download'),
    ).Body as StreamingBody;

  it('reads the whole body, as bytes or text', async () => {
    assert.deepEqual(Buffer.from(await download(['he', 'llo'], 5).read()), Buffer.from('hello'));
    assert.equal(await download(['hé', 'llo'], 6).text(), 'héllo');
  });

  it('iterates the chunks as they arrive', async () => {
    const seen: string[] = [];
    for await (const chunk of download(['a', 'b', 'c'], 3)) seen.push(Buffer.from(chunk).toString());
    assert.deepEqual(seen, ['a', 'b', 'c']);
  });

  it('fails when the body is shorter than its Content-Length', async () => {
    await assert.rejects(download(['abc'], 10).read(), ResponseParserError);
  });

  it('streams a buffered body too (stubbed responses)', async () => {
    const body = restJson.parse(response({ body: 'buffered' }), op('Download')).Body as StreamingBody;
    assert.equal(await body.text(), 'buffered');
  });
});

describe('errors', () => {
  it('rest-json: code from X-Amzn-ErrorType, modeled members from body and headers', () => {
    const e = restJson.parseError(
      response({ statusCode: 404, headers: { 'x-amzn-errortype': 'NotFound:http://internal/', 'x-resource': 'thing' }, body: '{"Message":"gone"}' }),
      op('Describe'),
    );
    assert.equal(e.Error.Code, 'NotFound');
    assert.equal(e.Error.Message, 'gone');
    assert.equal(e.Message, 'gone');
    assert.equal(e.Resource, 'thing');
  });

  it('rest-json: code from the body (code, then __type), namespace stripped', () => {
    assert.equal(restJson.parseError(response({ statusCode: 400, body: '{"code":"ns#Bad","message":"m"}' }), op('Describe')).Error.Code, 'Bad');
    assert.equal(restJson.parseError(response({ statusCode: 400, body: '{"__type":"a.b#Other"}' }), op('Describe')).Error.Code, 'Other');
    assert.equal(restJson.parseError(response({ statusCode: 418, body: '' }), op('Describe')).Error.Code, '418');
  });

  it('rest-xml: S3 <Error> bodies, with RequestId and HostId from the headers', () => {
    const e = restXml.parseError(
      response({
        statusCode: 404,
        headers: { 'x-amz-request-id': 'REQ', 'x-amz-id-2': 'HOST' },
        body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key><RequestId>REQ</RequestId><HostId>HOST</HostId></Error>',
      }),
      op('Describe', xmlModel),
    );
    assert.equal(e.Error.Code, 'NoSuchKey');
    assert.equal(e.Error.Message, 'The specified key does not exist.');
    assert.equal(e.Error.Key, 'k');
    assert.equal(e.ResponseMetadata.RequestId, 'REQ');
    assert.equal(e.ResponseMetadata.HostId, 'HOST');
  });

  it('rest-xml: <ErrorResponse> bodies (Route 53) and modeled members', () => {
    const e = restXml.parseError(
      response({
        statusCode: 404,
        headers: { 'x-resource': 'zone' },
        body: '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>no zone</Message></Error><RequestId>rid</RequestId></ErrorResponse>',
      }),
      op('Describe', xmlModel),
    );
    assert.equal(e.Error.Code, 'NotFound');
    assert.equal(e.Error.Message, 'no zone');
    assert.equal(e.ResponseMetadata.RequestId, 'rid');
    assert.equal(e.Message, 'no zone');
    assert.equal(e.Resource, 'zone');
  });

  it('rest-xml: an empty body (HEAD) gives the status code and its reason phrase', () => {
    const e = restXml.parseError(response({ statusCode: 404, headers: { 'x-amz-request-id': 'R' } }), op('Download', xmlModel));
    assert.equal(e.Error.Code, '404');
    assert.equal(e.Error.Message, 'Not Found');
    assert.equal(e.ResponseMetadata.RequestId, 'R');
  });
});

describe('real models', () => {
  const loader = new Loader({ env: {} });
  const s3 = new ServiceModel(loader.loadServiceModel('s3', 'service-2') as unknown as ServiceDescription, 's3');

  it('S3 PutObject: greedy key, metadata headers, streaming body untouched', () => {
    const stream = new PassThrough();
    const r = restXml.serialize(
      { Bucket: 'my-bucket', Key: 'dir/a file+.txt', Body: stream, Metadata: { Owner: 'ada' }, ContentType: 'text/plain' },
      s3.operationModel('PutObject'),
    );
    assert.equal(r.method, 'PUT');
    assert.equal(r.path, '/my-bucket/dir/a%20file%2B.txt');
    assert.equal(r.headers['x-amz-meta-owner'], 'ada');
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.body, stream);
    stream.destroy();
  });

  it('S3 ListObjectsV2 and CreateBucket: the query part of requestUri, an XML payload', () => {
    const list = restXml.serialize({ Bucket: 'b', Prefix: 'logs/', MaxKeys: 10 }, s3.operationModel('ListObjectsV2'));
    assert.equal(uri(list), '/b?list-type=2&prefix=logs%2F&max-keys=10');
    const create = restXml.serialize(
      { Bucket: 'b', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } },
      s3.operationModel('CreateBucket'),
    );
    assert.equal(
      create.body,
      '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>',
    );
  });
});
