/**
 * The benchmark's loopback server: canned AWS answers, prepared once, so that every contender
 * talks to the same fast peer and the numbers measure the client. It runs in its own process
 * (started by run.ts), listens on 127.0.0.1 only, and prints `{"port":N}` when ready.
 *
 * Routes are chosen loosely (by target header, query and method) so that path-style and
 * virtual-hosted S3 addressing, and each SDK's own header choices, all land on the same answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { GET_ITEM_RESPONSE, LIST_KEY_COUNT, OBJECT_KEY_PREFIX, STS_ACCOUNT } from './lib/workloads.js';

const getObjectBytes = Number(process.env.BENCH_GET_OBJECT_BYTES ?? 64 * 1024 * 1024);
const bigObject = randomBytes(getObjectBytes);
const bigObjectEtag = `"${createHash('md5').update(bigObject).digest('hex')}"`;

const getItemBody = Buffer.from(JSON.stringify(GET_ITEM_RESPONSE));
const getItemHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  'content-length': String(getItemBody.length),
  'x-amzn-requestid': 'BENCHREQUESTID0000000000000000000000000000000000000',
  // DynamoDB sends the CRC32 of the body and botocore checks it; a correct one keeps everyone honest.
  'x-amz-crc32': String(crc32(getItemBody)),
};

function listObjectsXml(): Buffer {
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    '<Name>bench-bucket</Name><Prefix></Prefix>',
    `<KeyCount>${LIST_KEY_COUNT}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>`,
    '<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>',
  ];
  for (let i = 0; i < LIST_KEY_COUNT; i++) {
    const key = `${OBJECT_KEY_PREFIX}${String(i).padStart(6, '0')}/report-${i}.json`;
    const etag = createHash('md5').update(key).digest('hex');
    const second = String(i % 60).padStart(2, '0');
    parts.push(
      `<Contents><Key>${key}</Key><LastModified>2026-11-0${(i % 9) + 1}T12:34:${second}.000Z</LastModified>` +
        `<ETag>&quot;${etag}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType>` +
        `<Size>${1000 + i * 37}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    );
  }
  parts.push('</ListBucketResult>');
  return Buffer.from(parts.join(''));
}
const listBody = listObjectsXml();

const stsBody = Buffer.from(
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <GetCallerIdentityResult>\n' +
    `    <Arn>arn:aws:iam::${STS_ACCOUNT}:user/bench</Arn>\n    <UserId>AIDABENCHBENCHBENCH000</UserId>\n    <Account>${STS_ACCOUNT}</Account>\n` +
    '  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n',
);

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { 'x-amz-request-id': 'BENCH0000000000', ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** SendMessageBatch: the v3 SDK checks each MD5OfMessageBody, so the answer is computed from the request. */
function sqsSendMessageBatch(body: Buffer, res: ServerResponse): void {
  const request = JSON.parse(body.toString('utf8')) as { Entries?: Array<{ Id: string; MessageBody: string }> };
  const successful = (request.Entries ?? []).map((entry, i) => ({
    Id: entry.Id,
    MessageId: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    MD5OfMessageBody: createHash('md5').update(entry.MessageBody).digest('hex'),
  }));
  send(res, 200, { 'content-type': 'application/x-amz-json-1.0' }, Buffer.from(JSON.stringify({ Successful: successful, Failed: [] })));
}

function notFound(req: IncomingMessage, res: ServerResponse): void {
  send(res, 404, { 'content-type': 'text/plain' }, Buffer.from(`bench server: no canned answer for ${req.method} ${req.url}\n`));
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const target = req.headers['x-amz-target'];
  const url = req.url ?? '/';
  if (target === 'DynamoDB_20120810.GetItem') return send(res, 200, getItemHeaders, getItemBody);
  if (target === 'AmazonSQS.SendMessageBatch') return sqsSendMessageBatch(body, res);
  if (req.method === 'POST' && body.includes('Action=GetCallerIdentity')) return send(res, 200, { 'content-type': 'text/xml' }, stsBody);
  if (req.method === 'GET' && url.includes('list-type=2')) return send(res, 200, { 'content-type': 'application/xml' }, listBody);
  if (req.method === 'GET' && url.includes('/big-object')) {
    return send(res, 200, { 'content-type': 'application/octet-stream', etag: bigObjectEtag, 'last-modified': 'Mon, 02 Nov 2026 12:00:00 GMT', 'accept-ranges': 'bytes' }, bigObject);
  }
  if (req.method === 'PUT') {
    return send(res, 200, { etag: `"${createHash('md5').update(body).digest('hex')}"` }, Buffer.alloc(0));
  }
  notFound(req, res);
}

const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      handle(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    } catch (err) {
      // A malformed request is the contender's failure to report, not the server's end.
      send(res, 400, { 'content-type': 'text/plain' }, Buffer.from(`bench server: ${String(err)}\n`));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port, getObjectBytes })}\n`);
});
// The parent's end is ours: when run.ts goes away (or closes stdin), so does the server.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
