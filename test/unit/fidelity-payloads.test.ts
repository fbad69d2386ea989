/**
 * Blob payloads in outputs, against botocore: every operation whose output payload is a blob
 * (Lambda Invoke's Payload, API Gateway's GetExport body, ...) gives a StreamingBody, streaming
 * trait or not, empty body or not (botocore's has_streaming_output); the Stubber takes such an
 * answer as bytes or as a StreamingBody.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { Session, StreamingBody, type Client } from 'inia';
import { Stubber } from 'inia/stub';
import { captureBoth, TEST_CREDENTIALS, type CaptureCase } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';

/** Operations whose output payload member is a blob without the streaming trait. */
function blobPayloadOperations(session: Session): Array<{ service: string; operation: string; params: Record<string, unknown> }> {
  const found = [];
  for (const service of session.getAvailableServices()) {
    let client: Client;
    try {
      client = session.client(service, { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    } catch {
      continue;
    }
    const model = client.meta.serviceModel;
    for (const name of model.operationNames) {
      const op = model.operationModel(name);
      const output = op.outputShape;
      const payload = output?.serialization.payload;
      const member = payload !== undefined ? output!.members.get(payload) : undefined;
      if (member === undefined || member.typeName !== 'blob' || member.serialization.streaming === true || member.def.streaming === true) continue;
      if (member.serialization.eventstream === true) continue;
      const input = op.inputShape;
      const required = input?.requiredMembers ?? [];
      // Calls the test can make with made-up values: every required member a string.
      if (!required.every((m) => input!.members.get(m)?.typeName === 'string')) continue;
      found.push({ service, operation: name, params: Object.fromEntries(required.map((m) => [m, 'x1'])) });
    }
    client.destroy();
  }
  return found;
}

describe('blob payloads in outputs, against botocore', () => {
  it('every such operation: a StreamingBody with the body, empty or not', async () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    const ops = blobPayloadOperations(session);
    assert.ok(ops.some((o) => o.service === 'lambda' && o.operation === 'Invoke'));
    assert.ok(ops.length >= 20, `only ${ops.length} operations`);
    const cases: CaptureCase[] = [];
    for (const op of ops) {
      cases.push({ ...op, region: 'us-east-1', response: { status: 200, headers: { 'content-type': 'application/octet-stream' }, body: '{"answer": 42}' } });
      cases.push({ ...op, region: 'us-east-1', response: { status: 200, headers: {}, body: '' } });
    }
    for (const { case: c, botocore, inia } of await captureBoth(cases)) {
      const label = `${c.service} ${c.operation} (${c.response?.body === '' ? 'empty' : 'body'})`;
      assert.equal(botocore.error, undefined, `${label}: botocore ${JSON.stringify(botocore.error)}`);
      assert.deepEqual(inia.parsed, botocore.parsed, label);
      // The payload is a stream on both sides ({ $stream } in the harness's notation).
      const parsed = botocore.parsed as Record<string, unknown>;
      assert.ok(Object.values(parsed).some((v) => typeof v === 'object' && v !== null && '$stream' in v), label);
    }
  });

  it('Lambda Invoke: Payload.read(), text() and json()', async () => {
    const lambda = new Session({ env: { ...EMPTY_ENV } }).client('lambda', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    lambda.meta.events.register('before-send', () => ({ statusCode: 200, headers: { 'x-amz-executed-version': '$LATEST' }, body: new Uint8Array(Buffer.from('{"ok":true}')) }));
    const first = await lambda.invoke({ FunctionName: 'f', Payload: '{}' });
    assert.ok(first.Payload instanceof StreamingBody);
    assert.deepEqual(await first.Payload.json(), { ok: true });
    assert.equal(first.ExecutedVersion, '$LATEST');
    const second = await lambda.invoke({ FunctionName: 'f' });
    assert.equal(Buffer.from(await (second.Payload as StreamingBody).read()).toString(), '{"ok":true}');
    lambda.destroy();
  });

  it('the Stubber answers Invoke with bytes or a StreamingBody, as given', async () => {
    const lambda = new Session({ env: { ...EMPTY_ENV } }).client('lambda', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    const stubber = new Stubber(lambda).activate();
    const body = new StreamingBody(Readable.from([Buffer.from('streamed')]), 8);
    stubber.addResponse('invoke', { StatusCode: 200, Payload: body });
    stubber.addResponse('invoke', { StatusCode: 200, Payload: new Uint8Array([1, 2]) });
    const a = await lambda.invoke({ FunctionName: 'f' });
    const payload = a.Payload as StreamingBody;
    assert.ok(payload === body);
    assert.equal(Buffer.from(await payload.read()).toString(), 'streamed');
    const b = (await lambda.makeApiCall('Invoke', { FunctionName: 'f' })) as { Payload: unknown };
    assert.deepEqual(b.Payload, new Uint8Array([1, 2]));
    stubber.assertNoPendingResponses();
    lambda.destroy();
  });

  it('a StreamingBody is accepted as a blob payload input (a GetObject Body piped to PutObject)', async () => {
    const s3 = new Session({ env: { ...EMPTY_ENV } }).client('s3', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    let sent = '';
    s3.meta.events.register('before-send', async (args: Record<string, unknown>) => {
      const request = args.request as { body: unknown };
      const chunks: Buffer[] = [];
      if (request.body instanceof Readable) for await (const chunk of request.body) chunks.push(Buffer.from(chunk as Uint8Array));
      sent = Buffer.concat(chunks).toString();
      return { statusCode: 200, headers: {}, body: new Uint8Array(0) };
    });
    await s3.putObject({ Bucket: 'b', Key: 'k', Body: new StreamingBody(Readable.from([Buffer.from('piped')]), 5), ChecksumAlgorithm: 'CRC32' });
    // aws-chunked with the CRC32 trailer, over https.
    assert.match(sent, /^5\r\npiped\r\n0\r\nx-amz-checksum-crc32:/);
    s3.destroy();
  });
});
