/** Secrets Manager round trip on moto, plus the credential behaviour a user meets first. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NoCredentialsError, Session, type Client } from 'inia';
import { startMoto, type MotoServer } from '../helpers/moto.js';
import { EMPTY_ENV } from '../helpers/env.js';

let moto: MotoServer;
let sm: Client;

before(async () => {
  moto = await startMoto();
  const session = new Session({ region: 'eu-west-1', env: { ...EMPTY_ENV } });
  sm = session.client('secretsmanager', {
    endpointUrl: moto.url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});

after(async () => {
  sm?.destroy();
  await moto?.stop();
});

describe('secretsmanager on moto', () => {
  it('creates, reads, updates and deletes a secret', async () => {
    const created = await sm.createSecret({ Name: 'db/password', SecretString: 'hunter2' });
    assert.match(String(created.ARN), /^arn:aws:secretsmanager:eu-west-1:\d{12}:secret:db\/password-/);
    assert.equal(typeof created.VersionId, 'string', 'ClientRequestToken was generated as an idempotency token');

    const value = await sm.getSecretValue({ SecretId: 'db/password' });
    assert.equal(value.SecretString, 'hunter2');
    assert.ok(value.CreatedDate instanceof Date);

    await sm.putSecretValue({ SecretId: 'db/password', SecretBinary: new Uint8Array([0, 1, 2, 255]) });
    const binary = await sm.getSecretValue({ SecretId: 'db/password' });
    assert.deepEqual([...(binary.SecretBinary as Uint8Array)], [0, 1, 2, 255], 'blobs round-trip as bytes');

    const listed = await sm.listSecrets({});
    assert.equal((listed.SecretList as unknown[]).length, 1);

    await sm.deleteSecret({ SecretId: 'db/password', ForceDeleteWithoutRecovery: true });
    await assert.rejects(sm.getSecretValue({ SecretId: 'db/password' }), (err: unknown) => {
      assert.ok(err instanceof sm.exceptions.ResourceNotFoundException!);
      return true;
    });
  });

  it('raises NoCredentialsError at the first call, not at client creation, with an empty environment', async () => {
    // No keys anywhere: no variables, files that do not exist, IMDS off (tests stay on loopback).
    const env = { HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials', AWS_EC2_METADATA_DISABLED: 'true' };
    const bare = new Session({ env }).client('secretsmanager', { region: 'us-east-1', endpointUrl: moto.url });
    try {
      await assert.rejects(bare.listSecrets({}), (err: unknown) => {
        assert.ok(err instanceof NoCredentialsError);
        // The message says where inia looked.
        assert.match((err as Error).message, /^Unable to locate credentials\. Looked in: environment variables .*profile "default".*\/nonexistent\/config.*not the instance metadata service/);
        return true;
      });
    } finally {
      bare.destroy();
    }
  });
});
