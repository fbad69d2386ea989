/**
 * The declaration generator (scripts/lib/typegen): what each kind of shape becomes, names,
 * and that the generated files in dist/types match the runtime clients method for method.
 * (Whether the declarations type-check user code is types.test.ts's job.)
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BaseClient, methodName } from '../../src/client.js';
import { BUNDLED_MODELS_DIR, Loader } from '../../src/models/loader.js';
import { PROTOCOL_PRIORITY } from '../../src/protocols/index.js';
import { Session } from '../../src/session.js';
import { generateService, type RawShape, type ServiceCustomizations, type ServiceDocuments } from '../../scripts/lib/typegen/service.js';
import { repoRoot } from '../helpers/paths.js';

const reservedMethods = new Set(Object.getOwnPropertyNames(BaseClient.prototype));

function model(protocol: string, operations: ServiceDocuments['service']['operations'], shapes: Record<string, RawShape>, extra: Partial<ServiceDocuments> = {}): ServiceDocuments {
  return {
    name: 'test-svc',
    service: { metadata: { serviceId: 'Test Svc', protocols: [protocol], targetPrefix: 'TestSvc_1', apiVersion: '2020-01-01' }, operations, shapes },
    ...extra,
  };
}

function generate(docs: ServiceDocuments): string {
  return generateService(docs, { priority: PROTOCOL_PRIORITY, reservedMethods, header: '// test' }).text;
}

/** The declaration of `name` in a generated file: `export interface X {...}` or `export type X = ...;`. */
function declaration(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`export interface ${name} {`) || l.startsWith(`export type ${name} =`));
  assert.notEqual(start, -1, `no declaration of ${name} in:\n${text}`);
  if (lines[start]!.startsWith('export type') || lines[start]!.endsWith('{}')) return lines[start]!;
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1).join('\n');
}

const str: RawShape = { type: 'string' };

describe('typegen: shapes', () => {
  const shapes: Record<string, RawShape> = {
    String: str,
    Long: { type: 'long' },
    Time: { type: 'timestamp' },
    Bytes: { type: 'blob' },
    Stream: { type: 'blob', streaming: true },
    Color: { type: 'string', enum: ['red', 'green'] },
    Names: { type: 'list', member: { shape: 'String' } },
    Tags: { type: 'map', key: { shape: 'String' }, value: { shape: 'Color' } },
    Thing: { type: 'structure', required: ['Id'], members: { Id: { shape: 'String' }, At: { shape: 'Time' } } },
    Holder: { type: 'structure', members: { Thing: { shape: 'Thing' }, Things: { shape: 'ThingList' } } },
    ThingList: { type: 'list', member: { shape: 'Thing' } },
    Plain: { type: 'structure', members: { Name: { shape: 'String' }, Color: { shape: 'Color' }, Pair: { shape: 'Pair' } } },
    Choice: { type: 'structure', union: true, members: { A: { shape: 'String' }, B: { shape: 'Plain' } } },
    Tree: { type: 'structure', members: { Children: { shape: 'TreeList' }, Value: { shape: 'Long' } } },
    TreeList: { type: 'list', member: { shape: 'Tree' } },
    PutInput: {
      type: 'structure',
      required: ['Holder', 'Token', 'Body'],
      payload: 'Body',
      members: {
        Holder: { shape: 'Holder' },
        Plain: { shape: 'Plain' },
        Choice: { shape: 'Choice' },
        Tree: { shape: 'Tree' },
        Token: { shape: 'String', idempotencyToken: true },
        Body: { shape: 'Bytes' },
        Tags: { shape: 'Tags' },
        Names: { shape: 'Names' },
        Size: { shape: 'Long' },
        Old: { shape: 'String', deprecated: true },
        'x-odd': { shape: 'String' },
      },
    },
    PutOutput: { type: 'structure', members: { Holder: { shape: 'Holder' }, Plain: { shape: 'Plain' }, Choice: { shape: 'Choice' }, Tree: { shape: 'Tree' }, Size: { shape: 'Long' } } },
    GetInput: { type: 'structure', required: ['Token'], members: { Token: { shape: 'String', idempotencyToken: true } } },
    GetOutput: { type: 'structure', payload: 'Body', members: { Body: { shape: 'Stream' }, At: { shape: 'Time' } } },
    Empty: { type: 'structure', members: {} },
    Oops: { type: 'structure', exception: true, required: ['Message'], members: { Message: { shape: 'String' }, Detail: { shape: 'Long' } } },
    Pair: { type: 'structure', required: ['Name'], members: { Name: { shape: 'String' } } },
    Unused: { type: 'structure', members: { X: { shape: 'String' } } },
  };
  const operations = {
    Put: { name: 'Put', http: { method: 'PUT', requestUri: '/things/{Id}' }, input: { shape: 'PutInput' }, output: { shape: 'PutOutput' }, errors: [{ shape: 'Oops' }] },
    Get: { name: 'Get', http: { method: 'GET', requestUri: '/things' }, input: { shape: 'GetInput' }, output: { shape: 'GetOutput' }, deprecated: true, deprecatedMessage: 'Use Put.' },
    Ping: { name: 'Ping', http: { method: 'GET', requestUri: '/ping' } },
    Nothing: { name: 'Nothing', http: { method: 'POST', requestUri: '/' }, input: { shape: 'Empty' } },
    GetPaginator: { name: 'GetPaginator', http: { method: 'GET', requestUri: '/p' } },
  };
  const text = generate(
    model('rest-xml', operations, shapes, {
      paginators: { pagination: { Get: {}, Missing: {} } },
      waiters: { waiters: { ThingReady: { operation: 'Get' }, Gone: { operation: 'NoSuchOp' } } },
    }),
  );

  it('writes required members as required, in inputs and outputs, and error members as optional', () => {
    assert.equal(declaration(text, 'Thing'), 'export interface Thing {\n  Id: string;\n  At?: $.TimestampInput;\n}');
    assert.equal(declaration(text, 'ThingOutput'), 'export interface ThingOutput {\n  Id: string;\n  At?: $.Timestamp;\n}');
    assert.equal(declaration(text, 'Oops'), 'export interface Oops {\n  Message?: string;\n  Detail?: number;\n}');
  });

  it('gives a second, output declaration to every structure whose forms differ, up the containment', () => {
    assert.equal(declaration(text, 'Holder'), 'export interface Holder {\n  Thing?: Thing;\n  Things?: Thing[];\n}');
    assert.equal(declaration(text, 'HolderOutput'), 'export interface HolderOutput {\n  Thing?: ThingOutput;\n  Things?: ThingOutput[];\n}');
    // Same in both: one declaration, used by both.
    assert.equal(declaration(text, 'Plain'), 'export interface Plain {\n  Name?: string;\n  Color?: Color;\n  Pair?: Pair;\n}');
    assert.equal(declaration(text, 'Pair'), 'export interface Pair {\n  Name: string;\n}');
    assert.doesNotMatch(text, /PairOutput/);
    assert.doesNotMatch(text, /PlainOutput/);
    assert.match(declaration(text, 'PutOutput'), /Plain\?: Plain;/);
  });

  it('writes enums as open literal unions, lists and maps inline', () => {
    assert.equal(declaration(text, 'Color'), 'export type Color = $.Enum<"red" | "green">;');
    assert.match(declaration(text, 'PutInput'), /\n {2}Tags\?: \{ \[key: string\]: Color \};\n {2}Names\?: string\[\];/);
  });

  it('writes a tagged union as OneOf in inputs and as optional members in outputs', () => {
    assert.equal(declaration(text, 'Choice'), 'export type Choice = $.OneOf<{ A: string; B: Plain; }>;');
    assert.equal(declaration(text, 'ChoiceOutput'), 'export interface ChoiceOutput {\n  A?: string;\n  B?: Plain;\n}');
  });

  it('handles recursive shapes', () => {
    assert.equal(declaration(text, 'Tree'), 'export interface Tree {\n  Children?: Tree[];\n  Value?: $.LongInput;\n}');
    assert.equal(declaration(text, 'TreeOutput'), 'export interface TreeOutput {\n  Children?: TreeOutput[];\n  Value?: number;\n}');
  });

  it('types blob payloads and streaming members as streams, idempotency tokens as optional', () => {
    const put = declaration(text, 'PutInput');
    assert.match(put, /\n {2}Body: \$\.StreamingInput;/);
    assert.match(put, /\n {2}Token\?: string;/);
    assert.match(put, /\n {2}\/\*\* @deprecated \*\/ Old\?: string;/);
    assert.match(put, /\n {2}"x-odd"\?: string;/);
    assert.match(declaration(text, 'GetOutput'), /\n {2}Body\?: \$\.StreamingBody;/);
  });

  it('writes one method per operation with its HTTP line, parameters optional when nothing is required', () => {
    assert.match(text, /\n {2}\/\*\* PUT \/things\/\{Id\} \*\/\n {2}put\(params: PutInput, options\?: \$\.CallOptions\): \$\.Call<PutOutput>;/);
    // Only an idempotency token is required: the client fills it, so params may be left out.
    assert.match(text, /\n {2}\/\*\* GET \/things @deprecated Use Put\. \*\/\n {2}get\(params\?: GetInput,/);
    assert.match(text, /\n {2}ping\(params\?: \$\.NoParams, options\?: \$\.CallOptions\): \$\.Call<\$\.Empty>;/);
    assert.match(text, /\n {2}nothing\(params\?: \$\.NoParams,/);
    // An operation named like a BaseClient member is not a method (as at run time).
    assert.doesNotMatch(text, /getPaginator\(params/);
    assert.match(text, /export type TestSvcOperationName = 'get' \| 'nothing' \| 'ping' \| 'put';/);
  });

  it('lists exceptions, paginators and waiters of existing operations only', () => {
    assert.match(text, /readonly Oops: \$\.ModeledError<Oops>;/);
    assert.equal(declaration(text, 'Oops'), 'export interface Oops {\n  Message?: string;\n  Detail?: number;\n}');
    assert.equal(declaration(text, 'TestSvcPaginators'), 'export interface TestSvcPaginators {\n  get: $.Paginator<GetInput, GetOutput>;\n}');
    assert.equal(declaration(text, 'TestSvcWaiters'), 'export interface TestSvcWaiters {\n  thingReady: $.Waiter<GetInput>;\n}');
    assert.match(text, /export interface TestSvcClient extends \$\.ClientCore \{/);
  });

  it('leaves out shapes no operation reaches, and is deterministic', () => {
    assert.doesNotMatch(text, /Unused/);
    assert.equal(generate(model('rest-xml', operations, shapes)), generate(model('rest-xml', operations, shapes)));
  });
});

describe('typegen: names and protocols', () => {
  it('renames shapes that are reserved words or clash with the generated names', () => {
    const shapes: Record<string, RawShape> = {
      string: { type: 'structure', members: { A: { shape: 'S' } } },
      S: str,
      TestSvcClient: { type: 'structure', members: { B: { shape: 'S' } } },
      In: { type: 'structure', members: { X: { shape: 'string' }, Y: { shape: 'TestSvcClient' } } },
    };
    const text = generate(model('json', { Op: { name: 'Op', input: { shape: 'In' } } }, shapes));
    assert.equal(declaration(text, 'string_'), 'export interface string_ {\n  A?: string;\n}');
    assert.equal(declaration(text, 'TestSvcClient_'), 'export interface TestSvcClient_ {\n  B?: string;\n}');
    assert.match(declaration(text, 'In'), /X\?: string_;\n {2}Y\?: TestSvcClient_;/);
  });

  it('names the output form with a free name when <Name>Output is taken', () => {
    const shapes: Record<string, RawShape> = {
      S: str,
      T: { type: 'timestamp' },
      Item: { type: 'structure', members: { At: { shape: 'T' } } },
      ItemOutput: { type: 'structure', members: { S: { shape: 'S' } } },
      In: { type: 'structure', members: { Item: { shape: 'Item' } } },
      Out: { type: 'structure', members: { Item: { shape: 'Item' }, Other: { shape: 'ItemOutput' } } },
    };
    const text = generate(model('json', { Op: { name: 'Op', input: { shape: 'In' }, output: { shape: 'Out' } } }, shapes));
    assert.equal(declaration(text, 'ItemOutput_'), 'export interface ItemOutput_ {\n  At?: $.Timestamp;\n}');
    assert.match(declaration(text, 'Out'), /Item\?: ItemOutput_;\n {2}Other\?: ItemOutput;/);
  });

  it('writes each protocol\'s wire form in the comment, and longs as bigint only outside JSON', () => {
    const shapes: Record<string, RawShape> = { L: { type: 'long' }, In: { type: 'structure', required: ['N'], members: { N: { shape: 'L' } } } };
    const op = { Do: { name: 'Do', http: { method: 'POST', requestUri: '/' }, input: { shape: 'In' } } };
    const comment = (protocol: string): string => /\/\*\* (.*) \*\/\n {2}do\(/.exec(generate(model(protocol, op, shapes)))![1]!;
    assert.equal(comment('json'), 'POST / (X-Amz-Target: TestSvc_1.Do)');
    assert.equal(comment('query'), 'POST / (Action=Do&Version=2020-01-01)');
    assert.equal(comment('ec2'), 'POST / (Action=Do&Version=2020-01-01)');
    assert.equal(comment('smithy-rpc-v2-cbor'), 'POST /service/TestSvc_1/operation/Do');
    assert.equal(comment('rest-json'), 'POST /');
    assert.match(generate(model('json', op, shapes)), /\n {2}N: number;/);
    assert.match(generate(model('rest-json', op, shapes)), /\n {2}N: number;/);
    assert.match(generate(model('query', op, shapes)), /\n {2}N: \$\.LongInput;/);
    // The runtime's protocol choice: json before smithy-rpc-v2-cbor, whatever the model's order.
    const both = model('json', op, shapes);
    both.service.metadata.protocols = ['smithy-rpc-v2-cbor', 'json'];
    assert.match(generate(both), /X-Amz-Target/);
  });

  it('refuses a model that references a shape it does not define', () => {
    const shapes: Record<string, RawShape> = { In: { type: 'structure', members: { A: { shape: 'Missing' } } } };
    assert.throws(() => generate(model('json', { Op: { name: 'Op', input: { shape: 'In' } } }, shapes)), /shape Missing is referenced but not defined/);
  });
});

describe('typegen: the generated files (dist/types)', () => {
  const typesDir = join(repoRoot, 'dist', 'types');
  const loader = new Loader({ searchPaths: [BUNDLED_MODELS_DIR], includeDefaultPaths: false, env: {} });
  const services = loader.listAvailableServices('service-2');

  it('has one declaration file per bundled service, each adding its client to the map, and every name', () => {
    assert.ok(services.length > 400);
    const all = readFileSync(join(typesDir, 'services.d.ts'), 'utf8');
    const names = readFileSync(join(typesDir, 'names.d.ts'), 'utf8');
    for (const name of services) {
      const file = join(typesDir, 'services', `${name}.d.ts`);
      assert.ok(existsSync(file), name);
      assert.match(readFileSync(file, 'utf8'), new RegExp(`\\n {2}interface ServiceClients \\{\\n {4}${JSON.stringify(name)}: [A-Za-z0-9_]+Client;\\n`), name);
      assert.ok(all.includes(`\nimport './services/${name}.js';`), `${name} missing from services.d.ts`);
      assert.ok(names.includes(`\n    ${JSON.stringify(name)}: true;`), `${name} missing from names.d.ts`);
    }
    assert.match(readFileSync(join(typesDir, 'index.d.ts'), 'utf8'), /export \* from '\.\.\/src\/index\.js';\nimport '\.\/names\.js';\nimport '\.\/services\.js';/);
    const lean = readFileSync(join(typesDir, 'lean.d.ts'), 'utf8');
    assert.match(lean, /export \* from '\.\.\/src\/index\.js';\nimport '\.\/names\.js';\n$/);
  });

  it("declares exactly the runtime client's operation methods, for every service", () => {
    const mismatches: string[] = [];
    const addedMethods: string[] = [];
    for (const name of services) {
      const text = readFileSync(join(typesDir, 'services', `${name}.d.ts`), 'utf8');
      // (S3's generatePresignedPost is a BaseClient member, not an operation.)
      const declared = [...text.matchAll(/^ {2}([a-z][A-Za-z0-9]*)\(params\??: /gm)].map((m) => m[1]!).filter((m) => !reservedMethods.has(m)).sort();
      const ops = Object.keys((loader.loadServiceModel(name, 'service-2') as { operations: object }).operations);
      const runtime = ops.map(methodName).filter((m) => !reservedMethods.has(m));
      // Methods a customization adds to the client class (RDS's generateDbAuthToken): declared
      // ones must exist on a runtime client of that service.
      const added = declared.filter((m) => !runtime.includes(m));
      if (added.length > 0) {
        const client = new Session({ env: {} }).client(name, { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }) as unknown as Record<string, unknown>;
        for (const m of added) if (typeof client[m] === 'function') runtime.push(m);
        addedMethods.push(...added.map((m) => `${name}.${m}`));
      }
      if (JSON.stringify(declared) !== JSON.stringify(runtime.sort())) mismatches.push(name);
    }
    assert.deepEqual(mismatches, []);
    assert.deepEqual(addedMethods.sort(), ['dsql.generateDbConnectAdminAuthToken', 'dsql.generateDbConnectAuthToken', 'rds.generateDbAuthToken']);
  });
});

describe('typegen: customizations (customizations.ts, applied by service.ts)', () => {
  const shapes: Record<string, RawShape> = {
    S: str,
    Policy: str,
    Time: { type: 'long' },
    Doc: { type: 'structure', members: { Policy: { shape: 'Policy' }, Policies: { shape: 'PolicyList' } } },
    PolicyList: { type: 'list', member: { shape: 'Policy' } },
    CopyIn: { type: 'structure', required: ['Source', 'Account', 'Key'], members: { Source: { shape: 'S' }, Account: { shape: 'S' }, Key: { shape: 'S' }, Doc: { shape: 'Doc' } } },
    CopyOut: { type: 'structure', members: { Where: { shape: 'S' }, Doc: { shape: 'Doc' } } },
    ExportIn: { type: 'structure', required: ['from'], members: { from: { shape: 'Time' }, Filter: { shape: 'S' } } },
    ListIn: { type: 'structure', required: ['Account'], members: { Account: { shape: 'S' }, Filter: { shape: 'S' } } },
  };
  const operations = {
    Copy: { name: 'Copy', input: { shape: 'CopyIn' }, output: { shape: 'CopyOut' } },
    Export: { name: 'Export', input: { shape: 'ExportIn' } },
    List: { name: 'List', input: { shape: 'ListIn' } },
    Ping: { name: 'Ping' },
  };
  const custom = (operationsTable: ServiceCustomizations['operations'], extra: Partial<ServiceCustomizations> = {}): string =>
    generateService(model('json', operations, shapes), { priority: PROTOCOL_PRIORITY, reservedMethods, header: '// test', customizations: { operations: operationsTable, ...extra } }).text;
  const text = custom(
    {
      '*': { input: { Account: { optional: true, ifPresent: true } }, aliases: [{ original: 'Filter', alias: 'Filters' }] },
      Copy: { input: { Source: { type: 'string | { Bucket: string }' } }, output: { Where: { type: (t) => `${t} | null` }, Added: { type: 'string', added: true } } },
      Export: { aliases: [{ original: 'from', alias: 'fromTime' }] },
    },
    { outputShapeTypes: { Policy: 'Record<string, unknown> | string' }, serviceAliases: ['old.name'] },
  );

  it('makes filled members optional, also for the whole parameter object', () => {
    assert.match(declaration(text, 'CopyIn'), /\n {2}Account\?: string;\n {2}Key: string;/);
    assert.equal(declaration(text, 'ListIn'), 'export interface ListIn {\n  Account?: string;\n  Filter?: string;\n}');
    assert.match(text, /\n {2}list\(params\?: Omit<ListIn, 'Filter'>/);
  });

  it('types members as the handlers take and return them, and declares added output members', () => {
    assert.match(declaration(text, 'CopyIn'), /\n {2}Source: string \| \{ Bucket: string \};/);
    assert.equal(declaration(text, 'CopyOut'), 'export interface CopyOut {\n  Where?: string | null;\n  Doc?: DocOutput;\n  Added?: string;\n}');
  });

  it('decodes a shape in outputs only, as a structure member only (not a list item), with a second declaration for the output form', () => {
    assert.equal(declaration(text, 'Doc'), 'export interface Doc {\n  Policy?: string;\n  Policies?: string[];\n}');
    assert.equal(declaration(text, 'DocOutput'), 'export interface DocOutput {\n  Policy?: Record<string, unknown> | string;\n  Policies?: string[];\n}');
  });

  it('accepts an alias in place of its member, at most one of them, exactly one when the member is required; only where the input has the member', () => {
    assert.match(text, /\n {2}export\(params: Omit<ExportIn, 'Filter' \| 'from'> & \(\{ Filter\?: string; Filters\?: never \} \| \{ Filters\?: string; Filter\?: never \}\) & \(\{ from: number; fromTime\?: never \} \| \{ fromTime: number; from\?: never \}\), /);
    assert.match(text, /\n {2}copy\(params: CopyIn, /);
    assert.match(text, /\n {2}ping\(params\?: \$\.NoParams, /);
  });

  it("adds the service's other names to the client map", () => {
    assert.match(text, /interface ServiceClients \{\n {4}"test-svc": TestSvcClient;\n {4}"old\.name": TestSvcClient;\n {2}\}/);
    const generated = generateService(model('json', operations, shapes), { priority: PROTOCOL_PRIORITY, reservedMethods, header: '', customizations: { serviceAliases: ['old.name'] } });
    assert.deepEqual(generated.names, ['test-svc', 'old.name']);
  });

  it('refuses entries the model does not fit: an unknown operation or member, a shape other operations share, an alias that is a member', () => {
    assert.throws(() => custom({ Nope: { input: { Key: { optional: true } } } }), /no operation Nope/);
    assert.throws(() => custom({ Copy: { input: { Missing: { optional: true } } } }), /Copy's input has no member Missing/);
    assert.throws(() => custom({ Copy: { output: { Where: { type: 'string', added: true } } } }), /has it already/);
    assert.throws(() => custom({ List: { aliases: [{ original: 'Nope', alias: 'N' }] } }), /no member Nope to alias/);
    assert.throws(() => custom({ List: { aliases: [{ original: 'Filter', alias: 'Account' }] } }), /has a member Account, the alias of Filter/);
    const shared = { ...operations, Again: { name: 'Again', input: { shape: 'CopyIn' } } };
    assert.throws(
      () => generateService(model('json', shared, shapes), { priority: PROTOCOL_PRIORITY, reservedMethods, header: '', customizations: { operations: { Copy: { input: { Key: { optional: true } } } } } }),
      /shape CopyIn is not that operation's alone/,
    );
  });

  it('a service with no entries is generated as before', () => {
    assert.equal(custom({}), generate(model('json', operations, shapes)));
  });
});

describe('typegen: customized declarations in dist/types, and the runtime doing what they say', () => {
  const typesDir = join(repoRoot, 'dist', 'types');
  const file = (service: string): string => readFileSync(join(typesDir, 'services', `${service}.d.ts`), 'utf8');
  const session = new Session({ env: {} });
  const make = (service: string): Record<string, (params?: object) => Promise<Record<string, unknown>>> & BaseClient =>
    session.client(service, { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }) as never;
  /** Calls an operation answered by a canned response; returns the request sent and the result. */
  async function call(service: string, method: string, params: object, body = '', status = 200): Promise<{ url: string; headers: Record<string, string>; body: string; result: Record<string, unknown> }> {
    const c = make(service);
    let sent: { url: string; headers: Record<string, string>; body: string } | undefined;
    c.meta.events.register('before-send', (args: Record<string, unknown>) => {
      const r = args.request as { url: string; headers: Record<string, string>; body: unknown };
      sent = { url: r.url, headers: r.headers, body: r.body instanceof Uint8Array ? Buffer.from(r.body).toString() : String(r.body ?? '') };
      return { statusCode: status, headers: {}, body: Buffer.from(body) };
    });
    try {
      const result = await c[method]!(params);
      return { ...sent!, result };
    } finally {
      c.destroy();
    }
  }

  it('S3: CopySource as parts, SSE-C keys as bytes (Uint8Array: an ArrayBuffer is refused), LocationConstraint null', async () => {
    assert.match(declaration(file('s3'), 'CopyObjectRequest'), /\n {2}CopySource: string \| \{ Bucket: string; Key: string; VersionId\?: string \};/);
    assert.match(declaration(file('s3'), 'PutObjectRequest'), /\n {2}SSECustomerKey\?: string \| Uint8Array;\n {2}SSECustomerKeyMD5\?: string;/);
    assert.match(declaration(file('s3'), 'GetBucketLocationOutput'), /LocationConstraint\?: BucketLocationConstraint \| null;/);
    assert.match(declaration(file('s3'), 'HeadObjectOutput'), /\n {2}ExpiresString\?: string;\n\}/);
    const copied = await call('s3', 'copyObject', { Bucket: 'b', Key: 'k', CopySource: { Bucket: 'src', Key: 'a key', VersionId: 'v' } }, '<CopyObjectResult/>');
    assert.equal(copied.headers['x-amz-copy-source'], 'src/a%20key?versionId=v');
    const put = await call('s3', 'putObject', { Bucket: 'b', Key: 'k', SSECustomerAlgorithm: 'AES256', SSECustomerKey: Buffer.alloc(32, 1) });
    assert.equal(put.headers['x-amz-server-side-encryption-customer-key'], Buffer.alloc(32, 1).toString('base64'));
    await assert.rejects(call('s3', 'putObject', { Bucket: 'b', Key: 'k', SSECustomerKey: new ArrayBuffer(32) }), /Invalid type for parameter SSECustomerKey/);
    const location = await call('s3', 'getBucketLocation', { Bucket: 'b' }, '<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>');
    assert.equal(location.result.LocationConstraint, null);
  });

  it('aliases: EC2 Filters for Filter (not both), Logs fromTime, CloudSearch Domain returnFields', async () => {
    assert.match(file('ec2'), /\n {2}describeFlowLogs\(params\?: Omit<DescribeFlowLogsRequest, 'Filter'> & \(\{ Filter\?: Filter\[\]; Filters\?: never \} \| \{ Filters\?: Filter\[\]; Filter\?: never \}\), /);
    assert.match(file('logs'), /\n {2}createExportTask\(params: Omit<CreateExportTaskRequest, 'from'> & \(\{ from: number; fromTime\?: never \} \| \{ fromTime: number; from\?: never \}\), /);
    assert.match(file('cloudsearchdomain'), /\n {2}search\(params: Omit<SearchRequest, 'return'> & /);
    const flows = await call('ec2', 'describeFlowLogs', { Filters: [{ Name: 'n', Values: ['v'] }] }, '<DescribeFlowLogsResponse/>');
    assert.match(flows.body, /Filter\.1\.Name=n/);
    await assert.rejects(call('ec2', 'describeFlowLogs', { Filter: [], Filters: [] }), /Only one of them may be used/);
    const exported = await call('logs', 'createExportTask', { logGroupName: 'g', fromTime: 5, to: 6, destination: 'd' }, '{}');
    assert.equal(JSON.parse(exported.body).from, 5);
    const searched = await call('cloudsearchdomain', 'search', { query: 'q', returnFields: '_score' }, '{}');
    assert.match(searched.body, /return=_score/);
  });

  it('UserData as bytes, Glacier without accountId, and no presigned-URL member required', async () => {
    assert.match(declaration(file('ec2'), 'RunInstancesRequest'), /\n {2}UserData\?: string \| Uint8Array;/);
    assert.match(declaration(file('autoscaling'), 'CreateLaunchConfigurationType'), /\n {2}UserData\?: string \| Uint8Array;/);
    assert.match(file('glacier'), /\n {2}listVaults\(params\?: ListVaultsInput, /);
    assert.doesNotMatch(file('glacier'), /\n {2}accountId: /);
    assert.match(declaration(file('glacier'), 'UploadArchiveInput'), /\n {2}checksum\?: string;/);
    assert.match(declaration(file('ec2'), 'CopySnapshotRequest'), /\n {2}DestinationRegion\?: string;[^]*\n {2}PresignedUrl\?: string;/);
    for (const service of ['rds', 'neptune', 'docdb']) assert.doesNotMatch(file(service), /\n {2}PreSignedUrl: /, service);
    const run = await call('ec2', 'runInstances', { MinCount: 1, MaxCount: 1, UserData: Buffer.from('#!/bin/sh') }, '<RunInstancesResponse/>');
    assert.match(run.body, new RegExp(`UserData=${encodeURIComponent(Buffer.from('#!/bin/sh').toString('base64'))}`));
    const vaults = await call('glacier', 'listVaults', {}, '{}');
    assert.match(vaults.url, /\/-\/vaults$/);
  });

  it('IAM policies and CloudFormation templates come back decoded; Lambda Payload is a stream', async () => {
    assert.match(declaration(file('iam'), 'GetRolePolicyResponse'), /\n {2}PolicyDocument: Record<string, unknown> \| string;/);
    assert.match(declaration(file('iam'), 'PutRolePolicyRequest'), /\n {2}PolicyDocument: string;/);
    assert.match(declaration(file('cloudformation'), 'GetTemplateOutput'), /\n {2}TemplateBody\?: string \| Record<string, unknown>;/);
    assert.match(declaration(file('lambda'), 'InvocationResponse'), /\n {2}Payload\?: \$\.StreamingBody;/);
    const doc = encodeURIComponent(JSON.stringify({ Version: '2012-10-17' }));
    const xml = `<GetRolePolicyResponse><GetRolePolicyResult><RoleName>r</RoleName><PolicyName>p</PolicyName><PolicyDocument>${doc}</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>`;
    assert.deepEqual((await call('iam', 'getRolePolicy', { RoleName: 'r', PolicyName: 'p' }, xml)).result.PolicyDocument, { Version: '2012-10-17' });
  });

  it("botocore's service-name aliases are names, typed as the aliased service's client, and the runtime takes them", () => {
    assert.match(readFileSync(join(typesDir, 'names.d.ts'), 'utf8'), /\n {4}"runtime\.sagemaker": true;\n/);
    assert.match(file('sagemaker-runtime'), /\n {4}"runtime\.sagemaker": SageMakerRuntimeClient;\n/);
    const c = make('runtime.sagemaker');
    assert.equal(typeof c.invokeEndpoint, 'function');
    c.destroy();
  });
});
