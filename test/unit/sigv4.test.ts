/** SigV4 behaviour beyond the official suite: tokens, unsigned headers, caching, streams, botocore parity. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { SigningError, deriveSigningKey, signRequest, removeDotSegments } from '../../src/auth/sigv4.js';
import type { HttpRequest } from '../../src/http/types.js';

const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

function ddbRequest(): HttpRequest {
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: 'dynamodb.us-east-1.amazonaws.com',
    port: undefined,
    path: '/',
    query: '',
    headers: { 'x-amz-target': 'DynamoDB_20120810.DescribeTable', 'content-type': 'application/x-amz-json-1.0', 'user-agent': 'whatever' },
    body: '{"TableName":"Music"}',
  };
}

describe('sigv4', () => {
  it('equals botocore for a DynamoDB request with a session token', () => {
    // Expected value from botocore 1.43.11: SigV4Auth(Credentials('AKIDEXAMPLE', <secret>, 'SESSIONTOKEN'),
    // 'dynamodb', 'us-east-1').add_auth(...) with the same headers and body at 2024-05-06T07:08:09Z.
    const request = ddbRequest();
    signRequest(request, { ...creds, sessionToken: 'SESSIONTOKEN' }, { region: 'us-east-1', service: 'dynamodb', date: new Date('2024-05-06T07:08:09Z') });
    assert.equal(
      request.headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240506/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=899d18b3b60b1f7555d2df27de514141f98b5b9b4343935ac9e8c924ae99c5aa',
    );
    assert.equal(request.headers['x-amz-security-token'], 'SESSIONTOKEN');
    assert.equal(request.headers['x-amz-date'], '20240506T070809Z');
    assert.equal(request.headers.host, undefined, 'host is signed but left for the transport to send');
  });

  it('gives the same signature for a string and a byte body, and re-signs cleanly', () => {
    const a = ddbRequest();
    const b = { ...ddbRequest(), body: new TextEncoder().encode('{"TableName":"Music"}') };
    const date = new Date('2024-05-06T07:08:09Z');
    const sa = signRequest(a, creds, { region: 'us-east-1', service: 'dynamodb', date });
    const sb = signRequest(b, creds, { region: 'us-east-1', service: 'dynamodb', date });
    assert.equal(sa.signature, sb.signature);
    const again = signRequest(a, creds, { region: 'us-east-1', service: 'dynamodb', date });
    assert.equal(again.signature, sa.signature, 'an old authorization header is not signed');
  });

  it('signs the port when it is not the default', () => {
    const request = { ...ddbRequest(), protocol: 'http:' as const, hostname: '127.0.0.1', port: 5000 };
    const details = signRequest(request, creds, { region: 'us-east-1', service: 'dynamodb' });
    assert.match(details.canonicalRequest, /\nhost:127\.0\.0\.1:5000\n/);
    assert.doesNotMatch(details.canonicalRequest, /user-agent/);
  });

  it('caches signing keys per day, region and service', () => {
    const k1 = deriveSigningKey('secret', '20240506', 'us-east-1', 'dynamodb');
    assert.equal(deriveSigningKey('secret', '20240506', 'us-east-1', 'dynamodb'), k1);
    assert.notEqual(deriveSigningKey('secret', '20240507', 'us-east-1', 'dynamodb'), k1);
  });

  it('S3 options: no normalization, no double encoding, content hash header', () => {
    const request: HttpRequest = { method: 'GET', protocol: 'https:', hostname: 'b.s3.amazonaws.com', port: undefined, path: '/a//b/../c%20d', query: '', headers: {}, body: undefined };
    const details = signRequest(request, creds, { region: 'us-east-1', service: 's3', uriEscapePath: false, normalizePath: false, addContentSha256Header: true, payloadHash: 'UNSIGNED-PAYLOAD' });
    assert.equal(details.canonicalRequest.split('\n')[1], '/a//b/../c%20d');
    assert.equal(request.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
    assert.equal(removeDotSegments('/a//b/../c'), '/a/c');
  });

  it('refuses to guess the hash of a stream body', () => {
    const request = { ...ddbRequest(), body: Readable.from(['x']) };
    assert.throws(() => signRequest(request, creds, { region: 'us-east-1', service: 'dynamodb' }), SigningError);
  });
});
