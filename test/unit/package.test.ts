/**
 * What `import 'inia'` gives users: the single-file dist/inia.js that the build bundles from
 * dist/src. It must export exactly what src/index.ts exports, find the bundled models from
 * its own location, and work end to end.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as source from '../../src/index.js';
import { repoRoot } from '../helpers/paths.js';

type Inia = typeof source;
// By name, through package.json's "exports" (a package may import itself so).
const PACKAGE = 'inia';
const load = (): Promise<Inia> => import(PACKAGE) as Promise<Inia>;

describe('the package entry (dist/inia.js)', () => {
  it('exports the same names as src/index.ts', async () => {
    const bundle = await load();
    assert.deepEqual(Object.keys(bundle).sort(), Object.keys(source).sort());
  });

  it('keeps class and function names (esbuild keepNames), in the ESM and the CommonJS bundle', async () => {
    const cjs = createRequire(import.meta.url)(join(repoRoot, 'dist', 'inia.cjs')) as Inia;
    for (const bundle of [await load(), cjs]) {
      assert.deepEqual(Object.keys(bundle).sort(), Object.keys(source).sort());
      const renamed = Object.entries(bundle).filter(([name, value]) => typeof value === 'function' && value.name !== name);
      assert.deepEqual(renamed.map(([name, value]) => `${name} is ${(value as { name: string }).name}`), []);
      assert.equal(new bundle.HierarchicalEmitter().constructor.name, 'HierarchicalEmitter');
      const err = new bundle.ClientError({ Error: { Code: 'Unmodeled', Message: 'm' }, ResponseMetadata: { HTTPStatusCode: 400, HTTPHeaders: {}, RetryAttempts: 0 } }, 'GetItem');
      assert.equal(err.name, 'ClientError');
      assert.match(err.stack ?? '', /^ClientError: An error occurred \(Unmodeled\) when calling the GetItem operation: m\n/);
    }
  });

  it('finds the bundled models from its own location', async () => {
    const bundle = await load();
    const loader = new bundle.Loader({ env: {} });
    assert.equal(loader.searchPaths.at(-1), join(repoRoot, 'models'));
    assert.ok(loader.listAvailableServices('service-2').includes('dynamodb'));
  });

  it('makes a signed call against a loopback server', async () => {
    const bundle = await load();
    let seen: { target?: string; authorization?: string; body: string } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { target: req.headers['x-amz-target'] as string, authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() };
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ TableNames: ['t1', 't2'] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const ddb = bundle.client('dynamodb', {
        endpointUrl: `http://127.0.0.1:${port}`,
        region: 'us-east-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      });
      const out = await ddb.listTables!({ Limit: 2 });
      ddb.destroy();
      assert.deepEqual(out.TableNames, ['t1', 't2']);
      assert.equal(seen?.target, 'DynamoDB_20120810.ListTables');
      assert.match(seen?.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/dynamodb\/aws4_request, /);
      assert.deepEqual(JSON.parse(seen!.body), { Limit: 2 });
    } finally {
      server.close();
    }
  });

  it("'inia/stub' gives the Stubber, working with clients from 'inia'", async () => {
    const bundle = await load();
    const stub = (await import('inia/stub')) as { Stubber: typeof source.Stubber; ANY: typeof source.ANY };
    assert.equal(stub.Stubber, bundle.Stubber, 'the same class as the main entry exports');
    const ddb = new bundle.Session({ env: {} }).client('dynamodb', { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const stubber = new stub.Stubber(ddb).activate();
    stubber.addResponse('listTables', { TableNames: ['table'] }, {});
    stubber.addClientError('getItem', 'ResourceNotFoundException', 'no table', 400, undefined, { TableName: 'xyz', Key: stub.ANY });
    assert.deepEqual((await ddb.listTables!({})).TableNames, ['table']);
    await assert.rejects(ddb.getItem!({ TableName: 'xyz', Key: { k: { S: 'v' } } }), (err: unknown) => err instanceof ddb.exceptions.ResourceNotFoundException);
    stubber.assertNoPendingResponses();
    ddb.destroy();
  });
});
