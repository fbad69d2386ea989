/**
 * SigV4 behaviour beyond the official suite. Every expected canonical request and
 * Authorization below was produced by botocore 1.43.11 (SigV4Auth, or S3SigV4Auth where
 * noted) on the same request, with get_current_datetime patched to 2024-05-06T07:08:09Z and
 * credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  EMPTY_SHA256,
  SIGNING_KEY_CACHE_SIZE,
  STREAMING_UNSIGNED_PAYLOAD_TRAILER,
  SigningError,
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalPath,
  canonicalQuery,
  deriveSigningKey,
  hmacSha256Hex,
  sha256Hex,
  removeDotSegments,
  signRequest,
  trimHeaderValue,
  type SigV4Options,
} from '../../src/auth/sigv4.js';
import { IniaError } from '../../src/errors.js';
import type { HttpRequest } from '../../src/http/types.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2024-05-06T07:08:09Z');

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'GET',
    protocol: 'https:',
    hostname: 'example.us-east-1.amazonaws.com',
    port: undefined,
    path: '/',
    query: '',
    headers: {},
    body: undefined,
    ...overrides,
  };
}

function ddbRequest(): HttpRequest {
  return request({
    method: 'POST',
    hostname: 'dynamodb.us-east-1.amazonaws.com',
    headers: { 'x-amz-target': 'DynamoDB_20120810.DescribeTable', 'content-type': 'application/x-amz-json-1.0', 'user-agent': 'whatever' },
    body: '{"TableName":"Music"}',
  });
}

const v4 = (service = 'service', region = 'us-east-1'): SigV4Options => ({ region, service, date });
const s3: SigV4Options = { region: 'us-east-1', service: 's3', date, uriEscapePath: false, normalizePath: false, addContentSha256Header: true };

describe('sigv4: equality with botocore', () => {
  it('a DynamoDB DescribeTable with a session token', () => {
    const req = ddbRequest();
    const details = signRequest(req, { ...creds, sessionToken: 'SESSIONTOKEN' }, v4('dynamodb'));
    assert.equal(
      details.canonicalRequest,
      'POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:dynamodb.us-east-1.amazonaws.com\nx-amz-date:20240506T070809Z\n' +
        'x-amz-security-token:SESSIONTOKEN\nx-amz-target:DynamoDB_20120810.DescribeTable\n\n' +
        'content-type;host;x-amz-date;x-amz-security-token;x-amz-target\n6b140459926d5b244a92626dd8d74fa6c3ddd91f508085b8e9e0a164221dba3a',
    );
    assert.equal(
      req.headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=899d18b3b60b1f7555d2df27de514141f98b5b9b4343935ac9e8c924ae99c5aa',
    );
    assert.equal(req.headers.host, undefined, 'host is signed but left for the transport to send');
    assert.deepEqual(req.headers, {
      'x-amz-target': 'DynamoDB_20120810.DescribeTable',
      'content-type': 'application/x-amz-json-1.0',
      'user-agent': 'whatever',
      'x-amz-date': '20240506T070809Z',
      'x-amz-security-token': 'SESSIONTOKEN',
      authorization: details.authorization,
    });
  });

  it('a REST path is encoded a second time (Lambda Invoke on a function ARN)', () => {
    const req = request({
      method: 'POST',
      hostname: 'lambda.us-west-2.amazonaws.com',
      path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Amy-fn/invocations',
      query: 'Qualifier=%24LATEST',
      headers: { 'x-amz-invocation-type': 'Event', 'content-type': 'application/json' },
      body: '{"k":"v"}',
    });
    const details = signRequest(req, creds, v4('lambda', 'us-west-2'));
    assert.equal(
      details.canonicalRequest.split('\n')[1],
      '/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-west-2%253A123456789012%253Afunction%253Amy-fn/invocations',
    );
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-west-2/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-invocation-type, Signature=27fe1215fa2c24b172465d734970454a85199687f32adacea318cf2436844441',
    );
  });

  it('S3 options: path as given, hashed body sent as x-amz-content-sha256 (S3SigV4Auth)', () => {
    const req = request({
      method: 'PUT',
      hostname: 'bucket.s3.us-east-1.amazonaws.com',
      path: '/a//b/../c%20d.txt',
      query: 'x-id=PutObject',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    const details = signRequest(req, creds, s3);
    assert.equal(details.canonicalRequest.split('\n')[1], '/a//b/../c%20d.txt');
    assert.equal(req.headers['x-amz-content-sha256'], '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=3496441873065d9e18d9ccacedf4a15b717d76909b8e0c6a79a4fe71c16155e0',
    );
  });

  it('S3 streaming upload with Content-MD5 over TLS: UNSIGNED-PAYLOAD (S3SigV4Auth)', () => {
    const req = request({
      method: 'PUT',
      hostname: 'bucket.s3.us-east-1.amazonaws.com',
      path: '/a//b/../c%20d.txt',
      headers: { 'content-md5': 'XUFAKrxLKna5cZ2REBfFkg==' },
      body: Readable.from([Buffer.from('hello')]),
    });
    const details = signRequest(req, creds, { ...s3, payloadHash: UNSIGNED_PAYLOAD });
    assert.equal(req.headers['x-amz-content-sha256'], UNSIGNED_PAYLOAD);
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/s3/aws4_request, SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, Signature=9ef4139f8809fb13c21393e77a184e3e3358ce5a80639cf04707fba7ba5ff33b',
    );
  });

  it('payload signing disabled on a non-S3 service: the header announces UNSIGNED-PAYLOAD', () => {
    const req = request({ method: 'POST', body: 'data' });
    const details = signRequest(req, creds, { ...v4(), payloadHash: UNSIGNED_PAYLOAD });
    assert.equal(req.headers['x-amz-content-sha256'], UNSIGNED_PAYLOAD);
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=635c7c494ebc35da0d29c7033eaa3d8df4e0bdc13e35e4391627a1a60630b7db',
    );
  });

  it('an x-amz-content-sha256 a customization set is the payload hash (Glacier), even over a stream', () => {
    const hash = 'beaead3198f7da1e70d03ab969765e0821b24fc913697e929e726aeaebf0eba3';
    const body = Readable.from([Buffer.from('x')]);
    const req = request({ method: 'POST', hostname: 'glacier.us-east-1.amazonaws.com', path: '/-/vaults/v/archives', headers: { 'x-amz-content-sha256': hash }, body });
    const details = signRequest(req, creds, v4('glacier'));
    assert.ok(details.canonicalRequest.endsWith(`\n${hash}`));
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/glacier/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=018d1f730eb0e7329cb8ded3d70cc020dfcfbe601832af3dfcd86ae15c61208e',
    );
    assert.equal(body.readableDidRead, false, 'the stream was not read');
  });

  it('query pairs sorted by key then value; a key without = gets an empty value', () => {
    const req = request({ query: 'b=2&a=%2Fx&a=1&empty&A=z' });
    const details = signRequest(req, creds, v4());
    assert.equal(details.canonicalRequest.split('\n')[2], 'A=z&a=%2Fx&a=1&b=2&empty=');
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=77331ea735bb6339ae42a89081ad9988025e6764f7ed858297b5d8efa8447677',
    );
  });

  it('a Date header is rewritten and replaces x-amz-date', () => {
    const req = request({ headers: { date: 'Mon, 01 Jan 2001 00:00:00 GMT', 'x-amz-date': 'stale' } });
    const details = signRequest(req, creds, v4());
    assert.deepEqual(req.headers, { date: 'Mon, 06 May 2024 07:08:09 -0000', authorization: details.authorization });
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/service/aws4_request, SignedHeaders=date;host, Signature=8cff69612ebbdead0be90daaf02a89b4be6c137da01aabae84b509e16d0c0cd4',
    );
  });

  it('host from an IPv6 hostname and a non-default port', () => {
    const req = request({ protocol: 'http:', hostname: '::1', port: 8000, path: '/x' });
    const details = signRequest(req, creds, v4());
    assert.match(details.canonicalRequest, /\nhost:\[::1\]:8000\n/);
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=85d7e0a809ca62d44f95227f541147d073b226feb7b9665baa00d3ef536f1cff',
    );
  });

  it('never signs the headers botocore never signs; trims with Python whitespace rules', () => {
    const unsigned = ['connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id', 'authorization'];
    const headers: Record<string, string> = {};
    for (const name of unsigned) headers[name] = 'v';
    headers['x-custom'] = '  a \t b\u00a0\u3000 c  ';
    headers['content-length'] = '4';
    const req = request({ method: 'POST', headers, body: 'data' });
    const details = signRequest(req, creds, v4());
    assert.equal(
      details.canonicalRequest,
      'POST\n/\n\ncontent-length:4\nhost:example.us-east-1.amazonaws.com\nx-amz-date:20240506T070809Z\nx-custom:a b c\n\n' +
        'content-length;host;x-amz-date;x-custom\n3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7',
    );
    assert.equal(
      details.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/service/aws4_request, SignedHeaders=content-length;host;x-amz-date;x-custom, Signature=7a7b9ec852d77121cb8dcf148acc86397072f0f3bc3d4f621829ec6ffd16d7b2',
    );
    for (const name of unsigned.filter((n) => n !== 'authorization')) assert.equal(req.headers[name], 'v', `${name} is still sent`);
  });
});

describe('sigv4: session tokens', () => {
  it('adds x-amz-security-token only for temporary credentials', () => {
    const withToken = request();
    signRequest(withToken, { ...creds, sessionToken: 'TOKEN' }, v4());
    assert.equal(withToken.headers['x-amz-security-token'], 'TOKEN');
    assert.match(withToken.headers.authorization!, /SignedHeaders=host;x-amz-date;x-amz-security-token,/);

    const without = request();
    signRequest(without, { ...creds, sessionToken: undefined }, v4());
    assert.equal(without.headers['x-amz-security-token'], undefined);
    assert.match(without.headers.authorization!, /SignedHeaders=host;x-amz-date,/);
  });

  it('replaces a stale token on re-signing with new credentials', () => {
    const req = request();
    signRequest(req, { ...creds, sessionToken: 'OLD' }, v4());
    signRequest(req, { ...creds, sessionToken: 'NEW' }, v4());
    assert.equal(req.headers['x-amz-security-token'], 'NEW');
  });
});

describe('sigv4: bodies and payload hashes', () => {
  it('a string body and the same bytes sign identically; empty bodies hash as empty', () => {
    const text = '{"TableName":"Music","Café":"☕"}';
    const a = signRequest({ ...ddbRequest(), body: text }, creds, v4('dynamodb'));
    const b = signRequest({ ...ddbRequest(), body: new TextEncoder().encode(text) }, creds, v4('dynamodb'));
    assert.equal(a.canonicalRequest, b.canonicalRequest);
    assert.equal(a.signature, b.signature);
    for (const body of [undefined, '', new Uint8Array(0)]) {
      assert.ok(signRequest(request({ body }), creds, v4()).canonicalRequest.endsWith(`\n${EMPTY_SHA256}`));
    }
  });

  it('re-signing (a retry) gives the same signature: the old authorization is not signed', () => {
    const req = ddbRequest();
    const first = signRequest(req, creds, v4('dynamodb'));
    const again = signRequest(req, creds, v4('dynamodb'));
    assert.equal(again.canonicalRequest, first.canonicalRequest);
    assert.equal(again.authorization, first.authorization);
  });

  it('refuses to guess the hash of a stream body', () => {
    const req = request({ method: 'PUT', body: Readable.from(['x']) });
    assert.throws(
      () => signRequest(req, creds, v4()),
      (err: unknown) => err instanceof SigningError && err instanceof IniaError && err.name === 'SigningError' && /stream/.test(err.message) && /payloadHash/.test(err.message),
    );
    assert.equal(req.headers.authorization, undefined, 'nothing half-signed');
  });

  it('signs a stream body with a given hash without reading it', () => {
    const body = Readable.from(['x']);
    const hash = '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'; // sha256('x')
    const viaStream = signRequest(request({ method: 'PUT', body }), creds, { ...v4(), payloadHash: hash });
    const viaString = signRequest(request({ method: 'PUT', body: 'x' }), creds, v4());
    assert.equal(viaStream.signature, viaString.signature);
    assert.equal(body.readableDidRead, false);
  });

  it('S3 aws-chunked uploads sign the trailer sentinel and announce it', () => {
    const req = request({ method: 'PUT', hostname: 'b.s3.amazonaws.com', path: '/k', body: Readable.from(['x']) });
    const details = signRequest(req, creds, { ...s3, payloadHash: STREAMING_UNSIGNED_PAYLOAD_TRAILER });
    assert.equal(req.headers['x-amz-content-sha256'], STREAMING_UNSIGNED_PAYLOAD_TRAILER);
    assert.ok(details.canonicalRequest.endsWith(`\n${STREAMING_UNSIGNED_PAYLOAD_TRAILER}`));
  });

  it('S3 recomputes x-amz-content-sha256 rather than trusting a stale one', () => {
    const req = request({ method: 'PUT', hostname: 'b.s3.amazonaws.com', path: '/k', headers: { 'x-amz-content-sha256': 'stale' }, body: 'hello' });
    signRequest(req, creds, s3);
    assert.equal(req.headers['x-amz-content-sha256'], '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });
});

describe('sigv4: signing keys', () => {
  it('derives the key of the AWS documentation example', () => {
    // From the SigV4 documentation ("Examples of how to derive a signing key").
    assert.equal(
      deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    );
  });

  it('caches per (secret, day, region, service), bounded', () => {
    const k1 = deriveSigningKey('secret', '20240506', 'us-east-1', 'dynamodb');
    assert.equal(deriveSigningKey('secret', '20240506', 'us-east-1', 'dynamodb'), k1, 'a hit returns the cached key');
    for (const other of [
      deriveSigningKey('secret2', '20240506', 'us-east-1', 'dynamodb'),
      deriveSigningKey('secret', '20240507', 'us-east-1', 'dynamodb'),
      deriveSigningKey('secret', '20240506', 'us-west-2', 'dynamodb'),
      deriveSigningKey('secret', '20240506', 'us-east-1', 'sqs'),
    ]) {
      assert.notDeepEqual(other, k1);
    }
    for (let i = 0; i < SIGNING_KEY_CACHE_SIZE; i++) deriveSigningKey('secret', '20240506', `region-${i}`, 'dynamodb');
    const recomputed = deriveSigningKey('secret', '20240506', 'us-east-1', 'dynamodb');
    assert.notEqual(recomputed, k1, 'the oldest entry was evicted');
    assert.deepEqual(recomputed, k1);
  });
});

describe('sigv4: building blocks', () => {
  it('amzDate drops milliseconds and rejects invalid dates', () => {
    assert.equal(amzDate(new Date('2015-08-30T12:36:00.999Z')), '20150830T123600Z');
    assert.throws(() => amzDate(new Date('nonsense')), SigningError);
  });

  it('path normalization as botocore remove_dot_segments', () => {
    // Pairs checked against botocore.utils.remove_dot_segments.
    const cases: Array<[string, string]> = [
      ['/a/../../b', '/b'],
      ['/..', '/'],
      ['/a/..', '/'],
      ['/a/./b/', '/a/b/'],
      ['//', '/'],
      ['/a//b/', '/a/b/'],
      ['/.', '/'],
      ['/a/b/..', '/a'],
    ];
    for (const [input, expected] of cases) assert.equal(removeDotSegments(input), expected, input);
    assert.equal(canonicalPath(''), '/');
    assert.equal(canonicalPath('/a/%2e%2e/b'), '/a/%252e%252e/b', 'encoded dots are not dot segments');
    assert.equal(canonicalPath('/a//b', { normalizePath: false, uriEscapePath: false }), '/a//b');
    assert.equal(canonicalPath("/!'()*$ é"), '/%21%27%28%29%2A%24%20%C3%A9', 'everything but unreserved and / is encoded');
  });

  it('query components are brought to canonical RFC 3986 encoding', () => {
    // botocore never emits these forms; a service decodes and re-encodes them, so do we.
    assert.equal(canonicalQuery('a=b*c&c=%2f&d=é&e=x+y&f=%7E&g=100%'), 'a=b%2Ac&c=%2F&d=%C3%A9&e=x%2By&f=~&g=100%25');
    assert.equal(canonicalQuery('k=a=b'), 'k=a%3Db', 'the first = splits');
    assert.equal(canonicalQuery(''), '');
  });

  it('header trimming follows Python str.split', () => {
    assert.equal(trimHeaderValue('plain value'), 'plain value');
    assert.equal(trimHeaderValue(' \t a\x1cb\x85c\ufeffd  \n'), 'a b c\ufeffd');
    assert.equal(trimHeaderValue('   '), '');
  });

  it('lowercases the hostname and omits the default port', () => {
    const details = signRequest(request({ hostname: 'Example.COM', port: 443 }), creds, v4());
    assert.match(details.canonicalRequest, /\nhost:example\.com\n/);
    const plain = signRequest(request({ protocol: 'http:', hostname: 'example.com', port: 443 }), creds, v4());
    assert.match(plain.canonicalRequest, /\nhost:example\.com:443\n/);
  });

  it('an explicit host header is signed as given', () => {
    const details = signRequest(request({ headers: { host: 'custom.example:8443' } }), creds, v4());
    assert.match(details.canonicalRequest, /\nhost:custom\.example:8443\n/);
  });
});

describe('sigv4: hashing', () => {
  it('hmacSha256Hex (two one-shot hashes over cached pads) equals node:crypto createHmac', () => {
    const messages = ['', 'a', 'AWS4-HMAC-SHA256\n20261123T000000Z\n20261123/us-east-1/dynamodb/aws4_request\n' + 'f'.repeat(64), 'd\u00e9j\u00e0 \u65e5\u672c \ud83d\ude00', 'x'.repeat(1000)];
    for (const keyLength of [0, 1, 31, 32, 33, 63, 64, 65, 100]) {
      for (let round = 0; round < 3; round++) {
        const key = randomBytes(keyLength);
        for (const message of [...messages, randomBytes(50).toString('latin1')]) {
          assert.equal(hmacSha256Hex(key, message), createHmac('sha256', key).update(message, 'utf8').digest('hex'), `key ${keyLength} bytes`);
          // Twice: the second call uses the cached pads.
          assert.equal(hmacSha256Hex(key, message), createHmac('sha256', key).update(message, 'utf8').digest('hex'));
        }
      }
    }
  });

  it('sha256Hex of strings and bytes equals createHash', () => {
    for (const data of ['', 'abc', 'd\u00e9j\u00e0', randomBytes(300), new Uint8Array(0)]) {
      assert.equal(sha256Hex(data), createHash('sha256').update(data).digest('hex'));
    }
  });
});
