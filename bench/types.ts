/**
 * `npm run bench:types`: how long, and how much memory, the TypeScript compiler needs to check
 * a user's file that uses inia's typed clients for S3, DynamoDB and Lambda, against the same
 * file written for the AWS SDK v3 (three per-service packages) and a file with no SDK at all.
 *
 * The default 'inia' types load every service's declarations (TypeScript loads all that a
 * program's imports reach); under the `inia-lean` condition only the imported services load.
 *
 * Each contender is a small project in a temporary directory, as a user's would be:
 * node_modules/inia links to this repository (built), node_modules/@aws-sdk/* and @types/node
 * link to the repository's own. `tsc --noEmit` runs --strict, with skipLibCheck off (every
 * declaration file the program loads is checked: the worst case) and on (tsc --init's
 * default). Reported: the median wall time of the runs, the largest peak RSS (GNU time's
 * %M), and the number of files the program loaded. Writes bench/TYPES.md.
 *
 *   --runs N      runs per cell (default 5)
 *   --tsc a,b     compilers to run (paths to a TypeScript bin/tsc; default the repository's)
 *   --out F       where to write the table (default bench/TYPES.md)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { findRepoRoot } from './lib/harness.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, tsc: { type: 'string' }, out: { type: 'string' } } });
const RUNS = Math.max(1, Math.min(50, Number(values.runs)));
const root = findRepoRoot();
const COMPILERS = values.tsc?.split(',').map((p) => resolve(p.trim())).filter((p) => p !== '') ?? [join(root, 'node_modules', 'typescript', 'bin', 'tsc')];
for (const tsc of COMPILERS) if (!existsSync(tsc)) throw new Error(`bench:types: no compiler at ${tsc}`);
const GNU_TIME = '/usr/bin/time';

const INIA_FILE = `import { client, Session } from 'inia';

const s3 = client('s3', { region: 'us-east-1' });
const ddb = new Session({ region: 'eu-west-1' }).client('dynamodb');
const lambda = client('lambda');

export async function handler(bucket: string, table: string): Promise<number> {
  let count = 0;
  for await (const page of s3.getPaginator('listObjectsV2').paginate({ Bucket: bucket, PaginationConfig: { PageSize: 100 } })) {
    for (const o of page.Contents ?? []) {
      const object = await s3.getObject({ Bucket: bucket, Key: o.Key ?? '' });
      const text = (await object.Body?.text()) ?? '';
      await ddb.putItem({ TableName: table, Item: { pk: { S: o.Key ?? '' }, size: { N: String(text.length) }, at: { S: o.LastModified?.toISOString() ?? '' } } });
      count++;
    }
  }
  const got = await ddb.getItem({ TableName: table, Key: { pk: { S: 'k' } }, ConsistentRead: true });
  const result = await lambda.invoke({ FunctionName: 'f', Payload: JSON.stringify({ count, item: got.Item?.['pk']?.S }) });
  try {
    await s3.headObject({ Bucket: bucket, Key: 'missing' });
  } catch (e) {
    if (!(e instanceof s3.exceptions.NoSuchKey)) throw e;
  }
  return result.StatusCode ?? 0;
}
`;

const V3_FILE = `import { S3Client, GetObjectCommand, HeadObjectCommand, NoSuchKey, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';

const s3 = new S3Client({ region: 'us-east-1' });
const ddb = new DynamoDBClient({ region: 'eu-west-1' });
const lambda = new LambdaClient({});

export async function handler(bucket: string, table: string): Promise<number> {
  let count = 0;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 100 }, { Bucket: bucket })) {
    for (const o of page.Contents ?? []) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key ?? '' }));
      const text = (await object.Body?.transformToString()) ?? '';
      await ddb.send(new PutItemCommand({ TableName: table, Item: { pk: { S: o.Key ?? '' }, size: { N: String(text.length) }, at: { S: o.LastModified?.toISOString() ?? '' } } }));
      count++;
    }
  }
  const got = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'k' } }, ConsistentRead: true }));
  const result = await lambda.send(new InvokeCommand({ FunctionName: 'f', Payload: new TextEncoder().encode(JSON.stringify({ count, item: got.Item?.['pk']?.S })) }));
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' }));
  } catch (e) {
    if (!(e instanceof NoSuchKey)) throw e;
  }
  return result.StatusCode ?? 0;
}
`;

const NONE_FILE = `import { readFile } from 'node:fs/promises';

export async function handler(path: string): Promise<number> {
  return (await readFile(path, 'utf8')).length;
}
`;

interface Cell {
  wallMs: number;
  peakRssMiB: number | undefined;
  files: number;
}

interface Contender {
  name: string;
  source: string;
  links: string[];
  /** tsconfig customConditions. */
  conditions?: string[];
}

const LEAN_IMPORTS = `import type {} from 'inia/types/s3';
import type {} from 'inia/types/dynamodb';
import type {} from 'inia/types/lambda';
`;

const CONTENDERS: Contender[] = [
  { name: 'no SDK (node:fs only)', source: NONE_FILE, links: [] },
  { name: 'inia (S3, DynamoDB, Lambda)', source: INIA_FILE, links: ['inia'] },
  { name: 'inia, `inia-lean` condition (imports the 3 services\' types)', source: LEAN_IMPORTS + INIA_FILE, links: ['inia'], conditions: ['inia-lean'] },
  { name: 'AWS SDK v3 (client-s3, client-dynamodb, client-lambda)', source: V3_FILE, links: ['@aws-sdk/client-s3', '@aws-sdk/client-dynamodb', '@aws-sdk/client-lambda'] },
];

function project(c: Contender, skipLibCheck: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'inia-types-bench-'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@aws-sdk'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  for (const pkg of c.links) {
    const target = pkg === 'inia' ? root : join(root, 'node_modules', pkg);
    if (!existsSync(target)) throw new Error(`bench:types: ${pkg} is not installed (npm install)`);
    symlinkSync(target, join(dir, 'node_modules', pkg), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'bench-user', type: 'module', private: true }));
  writeFileSync(join(dir, 'app.ts'), c.source);
  const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], skipLibCheck, ...(c.conditions ? { customConditions: c.conditions } : {}) };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }, null, 2));
  return dir;
}

function runOnce(dir: string, TSC: string): Cell {
  const withTime = existsSync(GNU_TIME);
  const args = [TSC, '-p', join(dir, 'tsconfig.json'), '--listFilesOnly'];
  const files = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 300_000 }).stdout.split('\n').filter((l) => l.trim() !== '').length;
  const check = [TSC, '-p', join(dir, 'tsconfig.json')];
  const started = process.hrtime.bigint();
  const run = withTime
    ? spawnSync(GNU_TIME, ['-f', 'peak-rss-kib %M', process.execPath, ...check], { cwd: dir, encoding: 'utf8', timeout: 300_000 })
    : spawnSync(process.execPath, check, { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rss = /peak-rss-kib (\d+)/.exec(run.stderr);
  const output = `${run.stdout}${run.stderr.replace(/peak-rss-kib \d+\s*/, '')}`.trim();
  if (run.status !== 0 || output !== '') throw new Error(`bench:types: tsc failed in ${dir}:\n${output}`);
  return { wallMs, peakRssMiB: rss ? Number(rss[1]) / 1024 : undefined, files };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const rows: string[] = [];
const versions: string[] = [];
for (const tsc of COMPILERS) {
  const version = spawnSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).stdout.trim();
  versions.push(version);
  for (const skipLibCheck of [false, true]) {
    for (const c of CONTENDERS) {
      const dir = project(c, skipLibCheck);
      try {
        runOnce(dir, tsc); // warm the file cache
        const cells = Array.from({ length: RUNS }, () => runOnce(dir, tsc));
        const wall = median(cells.map((x) => x.wallMs));
        const rss = cells.map((x) => x.peakRssMiB).filter((x): x is number => x !== undefined);
        const line = `| ${version} | ${c.name} | ${skipLibCheck ? 'on' : 'off'} | ${cells[0]!.files} | ${(wall / 1000).toFixed(2)} s | ${rss.length > 0 ? `${Math.max(...rss).toFixed(0)} MiB` : 'n/a'} |`;
        rows.push(line);
        process.stderr.write(`${line}\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
}

const markdown = [
  '# Type-checking cost of the typed clients (`npm run bench:types`)',
  '',
  `Run ${new Date().toISOString()} on ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; compilers: ${versions.join(', ')}.`,
  `Each cell: the median wall time of ${RUNS} runs of \`tsc -p\` (--strict, --noEmit) on one user file, after one warm-up run, and the largest peak RSS.`,
  'The inia and v3 files do the same work (list, get and put objects; put and get items; invoke a function; catch NoSuchKey).',
  '',
  '| Compiler | File | skipLibCheck | files loaded | wall time | peak RSS |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  'Target (issue 9): the S3 + DynamoDB + Lambda file under 10 s and 1 GiB.',
  '`files loaded` counts every file of the program (lib, @types/node, the SDK\'s declarations).',
  '',
].join('\n');
process.stdout.write(markdown);
const out = values.out ?? join(root, 'bench', 'TYPES.md');
writeFileSync(out, markdown);
process.stderr.write(`wrote ${out}\n`);
