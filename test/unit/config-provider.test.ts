/**
 * Configuration resolution (src/config-provider.ts, src/client-config.ts and the session):
 * the configured-endpoint-URL vectors of test/vectors/config, the precedence of
 * Session option > environment > profile > default, and the client Config merge.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SharedConfig } from '../../src/config-provider.js';
import { Config } from '../../src/config.js';
import { InvalidConfigError, InvalidOptionError, ProfileNotFound } from '../../src/errors.js';
import { Session } from '../../src/session.js';
import { vectorsDir } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'inia-config-provider-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

/** Writes a config file (and an empty credentials file) and returns an env pointing at them. */
function files(config: string, credentials = '', extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const n = fileCount++;
  const configPath = join(dir, `config-${n}`);
  const credentialsPath = join(dir, `credentials-${n}`);
  writeFileSync(configPath, config);
  writeFileSync(credentialsPath, credentials);
  return { HOME: dir, AWS_CONFIG_FILE: configPath, AWS_SHARED_CREDENTIALS_FILE: credentialsPath, AWS_EC2_METADATA_DISABLED: 'true', ...extraEnv };
}

type Section = Record<string, string | Record<string, string>>;

function ini(sections: Record<string, Section>): string {
  const out: string[] = [];
  for (const [header, values] of Object.entries(sections)) {
    out.push(`[${header}]`);
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'string') out.push(`${key} = ${value}`);
      else {
        out.push(`${key} =`);
        for (const [k, v] of Object.entries(value)) out.push(`  ${k} = ${v}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

describe('configured endpoint URLs (conformance: configured-endpoint-urls-tests.json)', () => {
  interface Suite {
    profiles: Record<string, Record<string, string>>;
    services: Record<string, Record<string, Record<string, string>>>;
    client_configs: Record<string, { endpoint_url?: string; ignore_configured_endpoint_urls?: boolean }>;
    environments: Record<string, Record<string, string>>;
    endpointUrlTests: Array<{ name: string; profile: string; client_config: string; environment: string; service: string; output: { endpointUrl?: string } }>;
  }
  const data = JSON.parse(readFileSync(join(vectorsDir, 'config', 'configured-endpoint-urls-tests.json'), 'utf8')) as { testSuites: Suite[] };
  for (const suite of data.testSuites) {
    const sections: Record<string, Section> = {};
    for (const [name, profile] of Object.entries(suite.profiles)) sections[name === 'default' ? 'default' : `profile ${name}`] = profile;
    for (const [name, services] of Object.entries(suite.services)) sections[`services ${name}`] = services;
    const configText = ini(sections);
    for (const t of suite.endpointUrlTests) {
      it(t.name, () => {
        const env = files(configText, '', { ...suite.environments[t.environment] });
        const clientConfig = suite.client_configs[t.client_config] ?? {};
        const session = new Session({ profile: t.profile, env });
        const client = session.client(t.service, {
          ...(clientConfig.endpoint_url !== undefined ? { endpointUrl: clientConfig.endpoint_url } : {}),
          ...(clientConfig.ignore_configured_endpoint_urls !== undefined ? { config: new Config({ ignoreConfiguredEndpointUrls: clientConfig.ignore_configured_endpoint_urls }) } : {}),
        });
        try {
          if (t.output.endpointUrl !== undefined) assert.equal(client.meta.endpointUrl, t.output.endpointUrl.replace(/\/$/, ''));
          else assert.match(client.meta.endpointUrl, /amazonaws\.com/);
        } finally {
          client.destroy();
        }
      });
    }
  }

  it('a profile naming a [services] section that does not exist is an InvalidConfigError', () => {
    const env = files(ini({ default: { region: 'us-east-1', services: 'missing' } }));
    assert.throws(() => new Session({ env }).client('s3'), (e: unknown) => e instanceof InvalidConfigError && /"missing" services configuration does not exist/.test((e as Error).message));
  });
});

describe('setting resolution: Session option > environment > profile > default', () => {
  const configText = ini({
    default: { region: 'eu-west-1', retry_mode: 'standard', max_attempts: '7', s3: { addressing_style: 'path', use_accelerate_endpoint: 'true' } },
    'profile dev': { region: 'ap-south-1', use_fips_endpoint: 'TRUE', metadata_service_timeout: 'x' },
  });

  it('region: option, AWS_DEFAULT_REGION, AWS_REGION, profile', () => {
    const env = files(configText);
    assert.equal(new Session({ env }).regionName, 'eu-west-1');
    assert.equal(new Session({ env: { ...env, AWS_REGION: 'us-west-1' } }).regionName, 'us-west-1');
    assert.equal(new Session({ env: { ...env, AWS_REGION: 'us-west-1', AWS_DEFAULT_REGION: 'us-west-2' } }).regionName, 'us-west-2');
    assert.equal(new Session({ env: { ...env, AWS_DEFAULT_REGION: 'us-west-2' }, region: 'ca-central-1' }).regionName, 'ca-central-1');
    assert.equal(new Session({ env, profile: 'dev' }).regionName, 'ap-south-1');
    assert.equal(new Session({ env: { ...env, AWS_PROFILE: 'dev' } }).regionName, 'ap-south-1');
    // botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE.
    assert.equal(new Session({ env: { ...env, AWS_PROFILE: 'nope', AWS_DEFAULT_PROFILE: 'dev' } }).profileName, 'dev');
  });

  it('typed settings convert as botocore converts them', () => {
    const env = files(configText);
    const session = new Session({ env });
    assert.equal(session.getConfigVariable('retry_mode'), 'standard');
    assert.equal(session.getConfigVariable('max_attempts'), 7);
    assert.equal(session.getConfigVariable('s3_addressing_style'), 'path');
    assert.equal(session.getConfigVariable('s3_use_accelerate_endpoint'), true);
    assert.equal(session.getConfigVariable('sts_regional_endpoints'), 'regional');
    assert.equal(session.getConfigVariable('metadata_service_num_attempts'), 1);
    assert.equal(new Session({ env: { ...env, AWS_MAX_ATTEMPTS: '3', AWS_RETRY_MODE: 'adaptive' } }).getConfigVariable('max_attempts'), 3);
    const dev = new Session({ env, profile: 'dev' });
    assert.equal(dev.getConfigVariable('use_fips_endpoint'), true);
    assert.throws(() => dev.getConfigVariable('metadata_service_timeout'), (e: unknown) => e instanceof InvalidConfigError && /metadata_service_timeout must be an integer, got "x" from profile "dev"/.test((e as Error).message));
    // An empty environment variable counts as unset.
    assert.equal(new Session({ env: { ...env, AWS_RETRY_MODE: '' } }).getConfigVariable('retry_mode'), 'standard');
  });

  it('a named profile must exist, as boto3 checks at Session creation', () => {
    const env = files(configText);
    assert.throws(() => new Session({ env, profile: 'nope' }), (e: unknown) => e instanceof ProfileNotFound && /^The config profile \(nope\) could not be found \(looked in .*config-\d+ and .*credentials-\d+\)$/.test((e as Error).message));
    assert.throws(() => new Session({ env: { ...env, AWS_PROFILE: 'nope' } }), ProfileNotFound);
    // The implied default profile may be missing.
    assert.equal(new Session({ env: files('') }).regionName, undefined);
  });

  it('availableProfiles lists both files', () => {
    const env = files(configText, ini({ creds: { aws_access_key_id: 'A', aws_secret_access_key: 'B' } }));
    assert.deepEqual(new Session({ env }).availableProfiles.sort(), ['creds', 'default', 'dev']);
  });

  it('the credentials file overrides the config file in the merged profile', () => {
    const env = files(ini({ 'profile x': { region: 'eu-west-1' } }), ini({ x: { region: 'eu-north-1' } }));
    assert.equal(new SharedConfig(env, 'x').scoped().region, 'eu-north-1');
  });
});

describe('the client Config: user Config > environment > profile > defaults mode > default', () => {
  const configText = ini({ default: { region: 'eu-west-1', retry_mode: 'standard', max_attempts: '4', s3: { addressing_style: 'virtual' }, use_dualstack_endpoint: 'true' } });

  it('fills what the Config leaves unset', () => {
    const env = files(configText);
    const client = new Session({ env }).client('s3');
    const options = client.meta.config.options;
    assert.deepEqual(options.retries, { mode: 'standard', totalMaxAttempts: 4 });
    assert.equal(options.s3?.addressingStyle, 'virtual');
    assert.equal(options.useDualstackEndpoint, true);
    client.destroy();
  });

  it('keeps what the Config sets', () => {
    const env = files(configText);
    const client = new Session({ env }).client('s3', { config: new Config({ retries: { maxAttempts: 2 }, s3: { addressingStyle: 'path' }, useDualstackEndpoint: false }) });
    const options = client.meta.config.options;
    assert.deepEqual(options.retries, { maxAttempts: 2, mode: 'standard' });
    assert.equal(options.s3?.addressingStyle, 'path');
    assert.equal(options.useDualstackEndpoint, false);
    client.destroy();
  });

  it('defaults_mode standard changes the defaults only (sdk-default-configuration.json)', () => {
    const env = files(ini({ default: { region: 'eu-west-1', defaults_mode: 'standard' } }));
    const client = new Session({ env }).client('dynamodb');
    assert.equal(client.meta.config.options.retries?.mode, 'standard');
    assert.equal(client.meta.config.options.connectTimeout, 3.1);
    client.destroy();
    const legacy = files(ini({ default: { region: 'eu-west-1', defaults_mode: 'standard', retry_mode: 'legacy' } }));
    const explicit = new Session({ env: legacy }).client('dynamodb');
    assert.equal(explicit.meta.config.options.retries?.mode, 'legacy', 'a retry_mode someone set beats the mode');
    explicit.destroy();
    assert.throws(() => new Session({ env: files(ini({ default: { defaults_mode: 'fast' } })) }).client('dynamodb', { region: 'us-east-1' }), InvalidConfigError);
    assert.throws(() => new Session({ env: files(ini({ default: { sts_regional_endpoints: 'global' } })) }).client('sts', { region: 'us-east-1' }), /Invalid sts_regional_endpoints "global": expected legacy or regional/);
    assert.throws(() => new Session({ env: files(ini({ default: { s3: { us_east_1_regional_endpoint: 'x' } } })) }).client('s3', { region: 'us-east-1' }), /Invalid s3 us_east_1_regional_endpoint "x"/);
  });

  it('the User-Agent carries the retry mode, the app id (Config > AWS_SDK_UA_APP_ID > sdk_ua_app_id) and the extra, as botocore', async () => {
    const agentOf = async (env: NodeJS.ProcessEnv, config?: Config): Promise<string> => {
      const client = new Session({ env }).client('dynamodb', { credentials: { accessKeyId: 'A', secretAccessKey: 'B' }, ...(config ? { config } : {}) });
      let agent = '';
      client.meta.events.register('before-send', (args) => {
        agent = (args.request as { headers: Record<string, string> }).headers['user-agent']!;
        return { statusCode: 200, headers: {}, body: new TextEncoder().encode('{}') };
      });
      await client.listTables!({});
      client.destroy();
      return agent;
    };
    const env = files(ini({ default: { region: 'eu-west-1', sdk_ua_app_id: 'from profile' } }));
    assert.match(await agentOf(env), /^inia\/\d+\.\d+\.\d+ ua\/2\.1 os\/\S+ md\/arch#\S+ lang\/js md\/nodejs#\S+ api\/dynamodb#2012-08-10 cfg\/retry-mode#legacy app\/from-profile$/);
    assert.match(await agentOf({ ...env, AWS_SDK_UA_APP_ID: 'env-app' }), / app\/env-app$/);
    assert.match(await agentOf(env, new Config({ userAgentAppid: 'cfg-app', userAgentExtra: 'extra/1', retries: { mode: 'standard' } })), / cfg\/retry-mode#standard app\/cfg-app extra\/1$/);
  });

  it('proxies reach the transport; an unreadable client certificate fails at client creation', () => {
    const env = files(ini({ default: { region: 'eu-west-1' } }));
    new Session({ env }).client('s3', { config: new Config({ proxies: { https: 'http://127.0.0.1:3128' } }) }).destroy();
    assert.throws(
      () => new Session({ env }).client('s3', { config: new Config({ clientCert: '/nonexistent/inia-cert.pem' }) }),
      (err: unknown) => err instanceof InvalidOptionError && err.option === 'clientCert',
    );
  });

  it('ca_bundle from the profile reaches the transport (an unreadable bundle fails at client creation)', () => {
    const env = files(ini({ default: { region: 'eu-west-1', ca_bundle: join(dir, 'no-such-bundle.pem') } }));
    assert.throws(() => new Session({ env }).client('s3'), /no-such-bundle\.pem/);
  });
});
