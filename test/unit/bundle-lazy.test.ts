/**
 * What the ESM bundle loads, and when (the cold start of issue 17): `import('inia')` loads
 * the entry and its one chunk and none of the Node builtins a call needs (http, crypto, zlib,
 * stream, net); a DynamoDB client loads no other chunk; its first GetItem loads the request
 * path and the JSON protocol, never the XML reader, the CBOR codec, the query protocol,
 * presigning, S3's handlers or the credential providers the environment does not reach. The
 * bundle runs in a child process of its own, with a module hook that reports each file of
 * dist/ as it is loaded; all traffic is loopback.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EMPTY_ENV } from '../helpers/env.js';
import { repoRoot } from '../helpers/paths.js';

const CHILD = String.raw`
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const files = [];
port1.on('message', (url) => files.push(url.slice(url.indexOf('/dist/') + 1)));
port1.unref();
const hook = 'let port; export function initialize(data) { port = data.port; }' +
  'export async function load(url, context, next) { if (url.includes("/dist/")) port.postMessage(url); return next(url, context); }';
register('data:text/javascript,' + encodeURIComponent(hook), { data: { port: port2 }, transferList: [port2] });
// Messages from the hook arrive on a later turn of the event loop: a few turns, bounded.
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
const builtins = () => process.moduleLoadList.filter((m) => m.startsWith('NativeModule ') && !m.includes('internal/')).map((m) => m.slice(13));
const before = new Set(builtins());
const stage = async () => { await settle(); return { files: [...files].sort(), builtins: builtins().filter((m) => !before.has(m)).sort() }; };
const stages = {};
const inia = await import(process.env.INIA_BUNDLE);
stages.imported = await stage();
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const { createServer } = await import('node:http');
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end(JSON.stringify({ Item: { id: { S: '1' } } }));
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const ddb = inia.client('dynamodb', { endpointUrl: 'http://127.0.0.1:' + server.address().port, region: 'us-east-1', credentials });
stages.client = await stage();
const out = await ddb.getItem({ TableName: 't', Key: { id: { S: '1' } } });
stages.call = await stage();
stages.item = out.Item;
ddb.destroy();
server.close();
process.stdout.write(JSON.stringify(stages));
`;

interface Stage {
  files: string[];
  builtins: string[];
}

function run(): { imported: Stage; client: Stage; call: Stage; item: unknown } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
    env: { ...EMPTY_ENV, PATH: process.env.PATH ?? '', INIA_BUNDLE: join(repoRoot, 'dist', 'inia.js') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ReturnType<typeof run>;
}

/** A chunk's name without its content hash: 'dist/chunks/json-AbC123.js' -> 'json'. */
const chunkName = (file: string): string => file.replace(/^dist\/chunks\//, '').replace(/-[A-Za-z0-9_-]{8}\.js$/, '');

describe('the ESM bundle loads each part when it is first needed', () => {
  const stages = run();

  it('import loads the entry and one chunk, and none of the builtins a call needs', () => {
    assert.deepEqual(stages.imported.files.filter((f) => f !== 'dist/inia.js').map(chunkName), ['index']);
    for (const name of ['http', 'https', 'crypto', 'zlib', 'stream', 'net', 'tls']) {
      assert.ok(!stages.imported.builtins.includes(name), `import('inia') loaded node:${name} (${stages.imported.builtins.join(' ')})`);
    }
  });

  it('a DynamoDB client loads no chunk', () => {
    assert.deepEqual(stages.client.files, stages.imported.files);
  });

  it('its first call loads the request path and the JSON protocol, and nothing another service or provider needs', () => {
    assert.deepEqual(stages.item, { id: { S: '1' } });
    const loaded = new Set(stages.call.files.map(chunkName));
    for (const needed of ['call-kit', 'json']) assert.ok(loaded.has(needed), `the call loaded ${needed} (${[...loaded].join(' ')})`);
    for (const unneeded of ['rest-xml', 'shape-parser', 'rpcv2-cbor', 'query', 'ec2', 'rest', 'presign', 'sigv4-query', 'imds', 'container', 'sso', 'process', 'assume-role', 's3-params', 's3-xml', 'glacier', 'presigned-url', 'reader']) {
      assert.ok(!loaded.has(unneeded), `a DynamoDB call loaded the ${unneeded} chunk`);
    }
    assert.ok(!stages.call.files.some((f) => f.startsWith('dist/vendor/')), 'a DynamoDB call loaded a vendored library');
  });
});
