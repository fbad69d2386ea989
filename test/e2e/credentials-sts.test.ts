/**
 * Credentials from STS on moto, through the profile files: assume role from a source profile
 * (and chains of them), from a credential_source, with MFA; assume role with web identity from
 * the profile and from the environment. A recording proxy in front of moto shows which access
 * key id signed each call, so the tests assert what the server saw, not what inia believes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvalidConfigError, NoCredentialsError, Session } from 'inia';
import { startMoto, type MotoServer } from '../helpers/moto.js';

interface Seen {
  action: string;
  accessKeyId: string | undefined;
}

let moto: MotoServer;
let proxy: Server;
let proxyUrl: string;
const seen: Seen[] = [];
const dir = mkdtempSync(join(tmpdir(), 'inia-sts-creds-'));
const ROLE = 'arn:aws:iam::123456789012:role/deploy';

before(async () => {
  moto = await startMoto();
  const target = new URL(moto.url);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = new URLSearchParams(body.toString()).get('Action') ?? '';
      const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
      seen.push({ action, accessKeyId });
      const forward = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

after(async () => {
  proxy?.close();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** An environment with its own config and credentials files, STS at the recording proxy, and no IMDS. */
function environment(config: string, credentials = '', extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const id = n++;
  writeFileSync(join(dir, `config-${id}`), config);
  writeFileSync(join(dir, `credentials-${id}`), credentials);
  return {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, `config-${id}`),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, `credentials-${id}`),
    AWS_ENDPOINT_URL_STS: proxyUrl,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

/** Calls GetCallerIdentity with the session's credentials; returns what the proxy saw for it. */
async function callerIdentity(session: Session): Promise<{ arn: string; signedWith: string | undefined }> {
  const sts = session.client('sts');
  try {
    const before = seen.length;
    const out = await sts.getCallerIdentity!();
    const call = seen.slice(before).find((s) => s.action === 'GetCallerIdentity');
    return { arn: String(out.Arn), signedWith: call?.accessKeyId };
  } finally {
    sts.destroy();
  }
}

function calls(action: string, since: number): Seen[] {
  return seen.slice(since).filter((s) => s.action === action);
}

describe('assume role through the profile files (moto STS)', () => {
  it('source_profile with static keys: AssumeRole signed with them, calls signed with the role', async () => {
    const env = environment(
      '[profile deploy]\nrole_arn = ' + ROLE + '\nsource_profile = base\nrole_session_name = ci-run\nexternal_id = ext-1\nduration_seconds = 1800\nregion = us-east-1\n',
      '[base]\naws_access_key_id = AKIDBASEBASEBASE0001\naws_secret_access_key = base-secret\n',
    );
    const start = seen.length;
    const session = new Session({ profile: 'deploy', env });
    const creds = await session.getCredentials();
    assert.ok(creds);
    assert.equal(creds.method, 'assume-role');
    assert.match(creds.accessKeyId, /^ASIA/);
    assert.equal(calls('AssumeRole', start)[0]?.accessKeyId, 'AKIDBASEBASEBASE0001');
    const identity = await callerIdentity(session);
    assert.equal(identity.signedWith, creds.accessKeyId);
    assert.match(identity.arn, /assumed-role\/deploy\/ci-run$/);
  });

  it('a chain of two roles: the second AssumeRole is signed with the first role', async () => {
    const env = environment(
      `[profile first]\nrole_arn = arn:aws:iam::123456789012:role/first\nsource_profile = base\n[profile second]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = first\nregion = us-east-1\n`,
      '[base]\naws_access_key_id = AKIDBASEBASEBASE0002\naws_secret_access_key = base-secret\n',
    );
    const start = seen.length;
    const creds = await new Session({ profile: 'second', env }).getCredentials();
    const assumed = calls('AssumeRole', start);
    assert.equal(assumed.length, 2);
    assert.equal(assumed[0]!.accessKeyId, 'AKIDBASEBASEBASE0002');
    assert.match(assumed[1]!.accessKeyId ?? '', /^ASIA/);
    assert.notEqual(assumed[1]!.accessKeyId, creds?.accessKeyId);
  });

  it('credential_source Environment takes the keys from the environment', async () => {
    const env = environment(`[profile env-role]\nrole_arn = ${ROLE}\ncredential_source = Environment\nregion = us-east-1\n`, '', {
      AWS_ACCESS_KEY_ID: 'AKIDFROMENVIRONMENT1',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
    });
    const start = seen.length;
    const creds = await new Session({ profile: 'env-role', env }).getCredentials();
    assert.equal(creds?.method, 'assume-role');
    assert.equal(calls('AssumeRole', start)[0]?.accessKeyId, 'AKIDFROMENVIRONMENT1');
  });

  it('MFA: the code comes from mfaCodeProvider, which is told the serial', async () => {
    const env = environment(
      `[profile mfa]\nrole_arn = ${ROLE}\nsource_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/dev\nregion = us-east-1\n`,
      '[base]\naws_access_key_id = AKIDBASEBASEBASE0003\naws_secret_access_key = base-secret\n',
    );
    const asked: string[] = [];
    const creds = await new Session({ profile: 'mfa', env, mfaCodeProvider: (serial) => (asked.push(serial), '123456') }).getCredentials();
    assert.match(creds?.accessKeyId ?? '', /^ASIA/);
    assert.deepEqual(asked, ['arn:aws:iam::123456789012:mfa/dev']);
    await assert.rejects(new Session({ profile: 'mfa', env }).getCredentials(), /needs an MFA code .* pass mfaCodeProvider/);
    await assert.rejects(new Session({ profile: 'mfa', env, mfaCodeProvider: () => '' }).getCredentials(), (e: unknown) => e instanceof InvalidConfigError && /gave no MFA code/.test((e as Error).message));
  });

  it('configuration mistakes are InvalidConfigError with the profile named', async () => {
    const env = environment(
      [
        `[profile both]\nrole_arn = ${ROLE}\nsource_profile = base\ncredential_source = Environment`,
        `[profile missing-source]\nrole_arn = ${ROLE}\nsource_profile = nowhere`,
        `[profile loop-a]\nrole_arn = ${ROLE}\nsource_profile = loop-b`,
        `[profile loop-b]\nrole_arn = ${ROLE}\nsource_profile = loop-a`,
        `[profile bad-source]\nrole_arn = ${ROLE}\ncredential_source = Somewhere`,
        `[profile empty-source]\nrole_arn = ${ROLE}\nsource_profile = empty`,
        '[profile empty]\nregion = us-east-1',
      ].join('\n'),
      '[base]\naws_access_key_id = A\naws_secret_access_key = B\n',
    );
    const fails = (profile: string, pattern: RegExp) =>
      assert.rejects(new Session({ profile, env }).getCredentials(), (e: unknown) => e instanceof InvalidConfigError && pattern.test((e as Error).message));
    await fails('both', /"both" contains both source_profile and credential_source/);
    await fails('missing-source', /source_profile "nowhere" referenced in the profile "missing-source" does not exist/);
    await fails('loop-a', /Infinite loop in credential configuration/);
    await fails('bad-source', /credential source "Somewhere" referenced in profile "bad-source" is not valid/);
    await fails('empty-source', /source profile "empty" must have credentials/);
  });
});

describe('assume role with web identity (moto STS)', () => {
  it('from the profile: the token file is read and the call is unsigned', async () => {
    const tokenFile = join(dir, 'token-profile');
    writeFileSync(tokenFile, 'eyJ.profile.token');
    const env = environment(`[profile web]\nrole_arn = ${ROLE}\nweb_identity_token_file = ${tokenFile}\nrole_session_name = pod-1\nregion = us-east-1\n`);
    const start = seen.length;
    const session = new Session({ profile: 'web', env });
    const creds = await session.getCredentials();
    assert.equal(creds?.method, 'assume-role-with-web-identity');
    assert.match(creds?.accessKeyId ?? '', /^ASIA/);
    assert.equal(calls('AssumeRoleWithWebIdentity', start)[0]?.accessKeyId, undefined, 'AssumeRoleWithWebIdentity carries no signature');
    assert.equal((await callerIdentity(session)).signedWith, creds?.accessKeyId);
  });

  it('from AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS); a Session profile turns them off', async () => {
    const tokenFile = join(dir, 'token-env');
    writeFileSync(tokenFile, 'eyJ.env.token');
    const env = environment('[profile other]\nregion = us-east-1\n', '', { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE, AWS_REGION: 'us-east-1' });
    const creds = await new Session({ env }).getCredentials();
    assert.equal(creds?.method, 'assume-role-with-web-identity');
    await assert.rejects(new Session({ env, profile: 'other' }).getCredentials().then((c) => (c === null ? Promise.reject(new NoCredentialsError()) : c)), NoCredentialsError);
  });

  it('a token file without a role ARN is an InvalidConfigError', async () => {
    const env = environment('', '', { AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'token-env') });
    await assert.rejects(new Session({ env }).getCredentials(), (e: unknown) => e instanceof InvalidConfigError && /no role ARN configured/.test((e as Error).message));
  });
});
