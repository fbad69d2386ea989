/**
 * inia against botocore on generated configurations: a seeded generator writes config and
 * credentials files and environments that no other test names (profiles chosen by option,
 * AWS_PROFILE or AWS_DEFAULT_PROFILE; keys in the environment, either file, or a
 * credential_process; partial keys; missing profiles; regions in the environment and the
 * profiles). botocore resolves each in a python3 subprocess (all scenarios in one run), inia
 * in this process; the credentials (or the error) and the region must be the same, and inia
 * must sign a request with exactly those credentials (a loopback server reads the
 * Authorization header).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Session } from '../../src/session.js';
import { prng } from '../helpers/random.js';

const SCENARIOS = 150;
const dir = mkdtempSync(join(tmpdir(), 'inia-cred-parity-'));

interface Scenario {
  id: number;
  config: string;
  credentials: string;
  env: Record<string, string>;
  profile?: string;
}

interface Outcome {
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string | null;
  method?: string;
  error?: string;
  region?: string | null;
}

// A credential_process both SDKs run: prints keys derived from its argument.
const processScript = join(dir, 'creds.mjs');
writeFileSync(
  processScript,
  "const id = process.argv[2];\nconsole.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROC' + id, SecretAccessKey: 'proc-secret-' + id, SessionToken: 'proc-token-' + id }));\n",
);

function generate(count: number): Scenario[] {
  const next = prng(5_2026);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const maybe = (p: number): boolean => next() < p;
  const profiles = ['default', 'dev', 'ci', 'prod'];
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
  const scenarios: Scenario[] = [];
  for (let id = 0; id < count; id++) {
    const config: string[] = [];
    const credentials: string[] = [];
    for (const name of profiles) {
      if (maybe(0.6)) {
        config.push(name === 'default' ? (maybe(0.8) ? '[default]' : '[profile default]') : `[profile ${name}]`);
        if (maybe(0.6)) config.push(`region = ${pick(regions)}`);
        const source = next();
        if (source < 0.25) config.push(`aws_access_key_id = AKIDCONF${id}${name.toUpperCase()}`, `aws_secret_access_key = conf-secret-${id}-${name}`);
        else if (source < 0.32) config.push(`aws_access_key_id = AKIDHALF${id}`); // no secret: partial
        else if (source < 0.45) config.push(`credential_process = "${process.execPath}" ${processScript} ${id}${name}`);
        if (maybe(0.2)) config.push(`aws_session_token = conf-token-${id}`);
        config.push('');
      }
      if (maybe(0.4)) {
        credentials.push(`[${name}]`);
        if (maybe(0.9)) credentials.push(`aws_access_key_id = AKIDCRED${id}${name.toUpperCase()}`, `aws_secret_access_key = cred-secret-${id}-${name}`);
        if (maybe(0.3)) credentials.push(`aws_session_token = cred-token-${id}`);
        if (maybe(0.2)) credentials.push(`region = ${pick(regions)}`);
        credentials.push('');
      }
    }
    const env: Record<string, string> = {};
    if (maybe(0.2)) {
      env.AWS_ACCESS_KEY_ID = `AKIDENV${id}`;
      if (maybe(0.9)) env.AWS_SECRET_ACCESS_KEY = `env-secret-${id}`;
      if (maybe(0.4)) env.AWS_SESSION_TOKEN = `env-token-${id}`;
    }
    if (maybe(0.3)) env.AWS_PROFILE = pick([...profiles, 'missing']);
    if (maybe(0.15)) env.AWS_DEFAULT_PROFILE = pick(profiles);
    if (maybe(0.3)) env.AWS_DEFAULT_REGION = pick(regions);
    const scenario: Scenario = { id, config: config.join('\n'), credentials: credentials.join('\n'), env };
    if (maybe(0.2)) scenario.profile = pick([...profiles, 'missing']);
    scenarios.push(scenario);
  }
  return scenarios;
}

/** Writes a scenario's files; returns the full environment both SDKs get. */
function materialize(s: Scenario): Record<string, string> {
  const home = join(dir, `s${s.id}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'config'), s.config);
  writeFileSync(join(home, 'credentials'), s.credentials);
  return {
    ...s.env,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    PATH: process.env.PATH ?? '',
  };
}

const BOTOCORE = `
import json, os, sys
import botocore.session
from botocore.exceptions import BotoCoreError
out = []
for s in json.load(sys.stdin):
    os.environ.clear()
    os.environ.update(s['env'])
    r = {}
    try:
        session = botocore.session.Session(profile=s.get('profile'))
        c = session.get_credentials()
        if c is not None:
            f = c.get_frozen_credentials()
            r.update(accessKeyId=f.access_key, secretAccessKey=f.secret_key, sessionToken=f.token, method=c.method)
        r['region'] = session.get_config_variable('region')
    except BotoCoreError as e:
        r = {'error': type(e).__name__}
    out.append(r)
print(json.dumps(out))
`;

function botocoreOutcomes(scenarios: Array<Scenario & { fullEnv: Record<string, string> }>): Outcome[] {
  const run = spawnSync('python3', ['-c', BOTOCORE], {
    input: JSON.stringify(scenarios.map((s) => ({ env: s.fullEnv, profile: s.profile ?? null }))),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `botocore run failed (python3 with botocore is required): ${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome[];
}

let server: Server;
let endpoint: string;
let lastKey: string | undefined;

before(async () => {
  server = createServer((req, res) => {
    lastKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
    req.resume();
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{"TableNames":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function iniaOutcome(s: Scenario, env: Record<string, string>): Promise<Outcome> {
  try {
    const session = new Session({ env, ...(s.profile !== undefined ? { profile: s.profile } : {}) });
    const c = await session.getCredentials();
    const r: Outcome = {};
    if (c !== null) Object.assign(r, { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken ?? null, method: c.method });
    r.region = session.regionName ?? null;
    return r;
  } catch (err) {
    return { error: (err as Error).name };
  }
}

describe('credentials and region: inia and botocore agree on generated configurations', () => {
  it(`${SCENARIOS} seeded scenarios`, { timeout: 180_000 }, async () => {
    const scenarios = generate(SCENARIOS).map((s) => ({ ...s, fullEnv: materialize(s) }));
    const expected = botocoreOutcomes(scenarios);
    const kinds = new Map<string, number>();
    for (let i = 0; i < scenarios.length; i++) {
      const s = scenarios[i]!;
      const actual = await iniaOutcome(s, s.fullEnv);
      const label = `scenario ${s.id}: env ${JSON.stringify(s.env)} profile ${s.profile}\n--- config\n${s.config}\n--- credentials\n${s.credentials}`;
      assert.deepEqual(actual, expected[i], label);
      const kind = actual.error ?? actual.method ?? 'none';
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      if (actual.accessKeyId !== undefined) {
        // And inia signs with exactly these.
        const session = new Session({ env: s.fullEnv, ...(s.profile !== undefined ? { profile: s.profile } : {}) });
        const ddb = session.client('dynamodb', { endpointUrl: endpoint, region: 'us-east-1' });
        lastKey = undefined;
        await ddb.listTables!({});
        ddb.destroy();
        assert.equal(lastKey, actual.accessKeyId, label);
      }
    }
    // The generator must reach every source and the errors, or the comparison proves little.
    for (const kind of ['env', 'shared-credentials-file', 'config-file', 'custom-process', 'ProfileNotFound', 'PartialCredentialsError', 'none']) {
      assert.ok((kinds.get(kind) ?? 0) > 0, `no scenario ended in ${kind}: ${JSON.stringify([...kinds])}`);
    }
  });
});
