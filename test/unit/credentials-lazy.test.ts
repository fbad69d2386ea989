/**
 * The chain's deferred links (lazy.ts) and the default chain built from them: each link knows
 * its method name before anything is loaded, is built once (or at each load, for the profile
 * readers), keeps its state across loads, and the IMDS link is one instance shared with assume
 * role's credential_source. Errors botocore raises when it builds the chain still come at
 * creation. All traffic stays on loopback.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SharedConfig } from '../../src/config-provider.js';
import { AssumeRoleProvider, WebIdentityProvider, type StsClientFactory } from '../../src/credentials/assume-role.js';
import { defaultCredentialChain, type ChainOptions } from '../../src/credentials/chain.js';
import { ContainerProvider } from '../../src/credentials/container.js';
import { EnvCredentialProvider } from '../../src/credentials/env.js';
import { InvalidIMDSEndpointModeError as ModeErrorFromSettings } from '../../src/credentials/imds-settings.js';
import { InstanceMetadataProvider, InvalidIMDSEndpointError, InvalidIMDSEndpointModeError } from '../../src/credentials/imds.js';
import { DeferredProvider, PerLoadProvider } from '../../src/credentials/lazy.js';
import { ProcessProvider } from '../../src/credentials/process.js';
import { ConfigFileProvider, SharedCredentialsProvider } from '../../src/credentials/profile.js';
import { SSOProvider, type SsoClientFactory } from '../../src/credentials/sso.js';
import type { CredentialProvider, CredentialsData } from '../../src/credentials/types.js';
import { InvalidConfigError } from '../../src/errors.js';
import { EMPTY_ENV } from '../helpers/env.js';

const KEYS: CredentialsData = { accessKeyId: 'AKIDLAZY', secretAccessKey: 'lazy-secret' };

/** A provider that counts its loads. */
function counting(method: string): CredentialProvider & { loads: number } {
  return {
    method,
    loads: 0,
    async load() {
      this.loads++;
      return KEYS;
    },
  };
}

describe('DeferredProvider', () => {
  it('has its method before any load, builds once and asks the same provider at every load', async () => {
    let builds = 0;
    const inner = counting('iam-role');
    const deferred = new DeferredProvider('iam-role', async () => {
      builds++;
      return inner;
    });
    assert.equal(deferred.method, 'iam-role');
    assert.equal(builds, 0);
    assert.deepEqual(await deferred.load(), KEYS);
    assert.deepEqual(await deferred.load(), KEYS);
    assert.equal(builds, 1);
    assert.equal(inner.loads, 2);
  });

  it('overlapping first loads share one build', async () => {
    let builds = 0;
    const inner = counting('container-role');
    const deferred = new DeferredProvider('container-role', async () => {
      builds++;
      await new Promise((resolve) => setImmediate(resolve));
      return inner;
    });
    await Promise.all([deferred.load(), deferred.load(), deferred.load()]);
    assert.equal(builds, 1);
    assert.equal(inner.loads, 3);
  });

  it('a failed build fails that load and is tried again at the next', async () => {
    let builds = 0;
    const deferred = new DeferredProvider('assume-role', async () => {
      builds++;
      if (builds === 1) throw new Error('module would not load');
      return counting('assume-role');
    });
    await assert.rejects(deferred.load(), /module would not load/);
    assert.deepEqual(await deferred.load(), KEYS);
    assert.equal(builds, 2);
  });
});

describe('PerLoadProvider', () => {
  it('builds at every load, and null means nothing to ask', async () => {
    let builds = 0;
    const perLoad = new PerLoadProvider('sso', async () => {
      builds++;
      return builds === 1 ? null : counting('sso');
    });
    assert.equal(perLoad.method, 'sso');
    assert.equal(await perLoad.load(), null);
    assert.deepEqual(await perLoad.load(), KEYS);
    assert.deepEqual(await perLoad.load(), KEYS);
    assert.equal(builds, 3);
  });
});

const noSts: StsClientFactory = () => ({});
const noSso: SsoClientFactory = () => ({});

/** A temporary ~/.aws with the given config file, removed after the suite. */
function awsDir(config: string): { env: NodeJS.ProcessEnv; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'inia-lazy-'));
  writeFileSync(join(dir, 'config'), config);
  return {
    env: { ...EMPTY_ENV, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function chainOptions(env: NodeJS.ProcessEnv, extra: Partial<ChainOptions> = {}): ChainOptions {
  return { env, shared: new SharedConfig(env, undefined), sts: noSts, sso: noSso, ...extra };
}

describe('defaultCredentialChain', () => {
  it('keeps botocore\'s order, and each deferred link names the method its provider has', () => {
    const chain = defaultCredentialChain(chainOptions({ ...EMPTY_ENV }));
    const methods = chain.providers.map((p) => p.method);
    assert.deepEqual(methods, [
      'env',
      'assume-role',
      'assume-role-with-web-identity',
      'sso',
      'shared-credentials-file',
      'custom-process',
      'config-file',
      'container-role',
      'iam-role',
    ]);
    // The names the deferred links carry are the real providers' names.
    const profiles = () => ({});
    const real: CredentialProvider[] = [
      new EnvCredentialProvider(EMPTY_ENV),
      new AssumeRoleProvider({ profileName: 'default', profiles, sts: noSts, profileProviders: () => [], sources: { Environment: counting('x'), Ec2InstanceMetadata: counting('x'), EcsContainer: counting('x') } }),
      new WebIdentityProvider({ profileName: 'default', profiles, env: EMPTY_ENV, disableEnvVars: false, sts: noSts }),
      new SSOProvider({ profileName: 'default', profile: {}, ssoSessions: {}, clients: noSso, env: EMPTY_ENV }),
      new SharedCredentialsProvider('default', () => ({})),
      new ProcessProvider({ profileName: 'default', profile: {}, env: EMPTY_ENV }),
      new ConfigFileProvider('default', () => ({})),
      new ContainerProvider({ env: EMPTY_ENV }),
      new InstanceMetadataProvider({ env: EMPTY_ENV }),
    ];
    assert.deepEqual(methods, real.map((p) => p.method));
  });

  it('an explicit profile leaves the environment out, as before', () => {
    const files = awsDir('[profile other]\nregion = eu-west-1\n');
    try {
      const chain = defaultCredentialChain({ ...chainOptions(files.env), shared: new SharedConfig(files.env, 'other') });
      assert.equal(chain.providers[0]!.method, 'assume-role');
      assert.equal(chain.providers.length, 8);
      assert.ok(!chain.searched.some((where) => where.startsWith('environment variables')));
    } finally {
      files.remove();
    }
  });

  it('refuses bad IMDS settings at creation, not at the first load', () => {
    assert.throws(() => defaultCredentialChain(chainOptions({ ...EMPTY_ENV, AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE: 'ipv5' })), InvalidIMDSEndpointModeError);
    assert.throws(() => defaultCredentialChain(chainOptions({ ...EMPTY_ENV, AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://bad host/' })), InvalidIMDSEndpointError);
    assert.throws(
      () => defaultCredentialChain(chainOptions({ ...EMPTY_ENV, AWS_METADATA_SERVICE_TIMEOUT: 'soon' })),
      (err: unknown) => err instanceof InvalidConfigError && /AWS_METADATA_SERVICE_TIMEOUT/.test(err.message),
    );
    const files = awsDir('[default]\nec2_metadata_service_endpoint_mode = ipv5\n');
    try {
      assert.throws(() => defaultCredentialChain(chainOptions(files.env)), {
        name: 'InvalidIMDSEndpointModeError',
        message: 'Invalid EC2 Instance Metadata endpoint mode: ipv5 Valid endpoint modes (case-insensitive): ipv4, ipv6.',
      });
    } finally {
      files.remove();
    }
    // One class, whichever module it is imported from.
    assert.equal(InvalidIMDSEndpointModeError, ModeErrorFromSettings);
  });

  it('reads the IMDS environment at creation, as the provider built with the chain did', async () => {
    const env: NodeJS.ProcessEnv = { ...EMPTY_ENV, AWS_EC2_METADATA_DISABLED: 'true' };
    const chain = defaultCredentialChain(chainOptions(env));
    // Turning IMDS on after creation changes nothing, as before.
    env.AWS_EC2_METADATA_DISABLED = 'false';
    env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:9/';
    assert.equal(await chain.providers.at(-1)!.load(), null);
  });
});

describe('defaultCredentialChain: one IMDS provider for the chain and credential_source', () => {
  let server: Server;
  let port = 0;
  let connections = 0;
  let credentialGets = 0;

  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.end('lazy-imds-token');
      if (req.url === '/latest/meta-data/iam/security-credentials/') return void res.end('lazy-role');
      if (req.url === '/latest/meta-data/iam/security-credentials/lazy-role') {
        credentialGets++;
        const expiration = new Date(Date.now() + 6 * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        return void res.end(JSON.stringify({ AccessKeyId: `ASIAIMDS${credentialGets}`, SecretAccessKey: 's', Token: 't', Expiration: expiration }));
      }
      res.statusCode = 404;
      res.end();
    });
    server.on('connection', () => void connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('assume role signs STS with IMDS credentials, and the chain\'s own IMDS link reuses that provider', async () => {
    const files = awsDir('[default]\nrole_arn = arn:aws:iam::123456789012:role/lazy\ncredential_source = Ec2InstanceMetadata\n');
    try {
      const env: NodeJS.ProcessEnv = { ...files.env, AWS_EC2_METADATA_DISABLED: 'false', AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}/` };
      const signedWith: string[] = [];
      const sts: StsClientFactory = (credentials) => ({
        async assumeRole() {
          signedWith.push(credentials!.accessKeyId);
          return {
            Credentials: { AccessKeyId: 'ASIAROLE', SecretAccessKey: 'role-secret', SessionToken: 'role-token', Expiration: new Date(Date.now() + 3600_000) },
            AssumedRoleUser: { Arn: 'arn:aws:sts::123456789012:assumed-role/lazy/s' },
          };
        },
      });
      const chain = defaultCredentialChain(chainOptions(env, { sts }));
      const resolved = await chain.resolve();
      assert.equal(resolved?.method, 'assume-role');
      assert.equal(resolved?.accessKeyId, 'ASIAROLE');
      assert.deepEqual(signedWith, ['ASIAIMDS1']);
      // The chain's last link, asked directly: the same provider (its one pooled connection
      // is reused), not a second one with a pool of its own.
      const imds = await chain.providers.at(-1)!.load();
      assert.equal(imds?.accessKeyId, 'ASIAIMDS2');
      assert.equal(connections, 1);
    } finally {
      files.remove();
    }
  });
});
