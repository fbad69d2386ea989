/**
 * RefreshableCredentials and the client-side cache: botocore's advisory (15 min) and mandatory
 * (10 min) windows, one refresh however many callers, failures kept quiet only while the
 * current credentials are still good; and secrets never shown.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { describe, it } from 'node:test';
import { CredentialCache, CredentialChain } from '../../src/credentials/chain.js';
import { Credentials } from '../../src/credentials/credentials.js';
import { RefreshableCredentials, type RefreshFunction } from '../../src/credentials/refreshable.js';
import type { CredentialProvider } from '../../src/credentials/types.js';
import { NoCredentialsError } from '../../src/errors.js';

const MINUTE = 60_000;

function clock(start = 1_800_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A refresh function that counts its calls, answers after a tick, and can be told to fail. */
function source(now: () => number, lifetimeMs = 60 * MINUTE): { refresh: RefreshFunction; calls: () => number; failNext: (n: number) => void } {
  let calls = 0;
  let failures = 0;
  const refresh: RefreshFunction = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    if (failures > 0) {
      failures--;
      throw new Error('STS is down');
    }
    return { accessKeyId: `ASIA${calls}`, secretAccessKey: `secret-${calls}`, sessionToken: `token-${calls}`, expiration: new Date(now() + lifetimeMs) };
  };
  return { refresh, calls: () => calls, failNext: (n) => void (failures = n) };
}

describe('RefreshableCredentials', () => {
  it('no refresh while more than 15 minutes remain', async () => {
    const c = clock();
    const s = source(c.now);
    const creds = await RefreshableCredentials.create(s.refresh, 'test', { now: c.now });
    c.advance(44 * MINUTE); // 16 minutes left
    assert.equal((await creds.getFrozenCredentials()).accessKeyId, 'ASIA1');
    assert.equal(s.calls(), 1);
  });

  it('100 concurrent callers in the mandatory window: one refresh, all get the new credentials', async () => {
    const c = clock();
    const s = source(c.now);
    const creds = await RefreshableCredentials.create(s.refresh, 'test', { now: c.now });
    c.advance(55 * MINUTE); // 5 minutes left
    const frozen = await Promise.all(Array.from({ length: 100 }, () => creds.getFrozenCredentials()));
    assert.equal(s.calls(), 2, 'one initial fetch and one refresh');
    assert.ok(frozen.every((f) => f.accessKeyId === 'ASIA2'));
  });

  it('advisory window: callers keep the current credentials while one refresh runs aside', async () => {
    const c = clock();
    const s = source(c.now);
    const creds = await RefreshableCredentials.create(s.refresh, 'test', { now: c.now });
    c.advance(48 * MINUTE); // 12 minutes left: advisory, not mandatory
    const frozen = await Promise.all(Array.from({ length: 100 }, () => creds.getFrozenCredentials()));
    assert.ok(frozen.every((f) => f.accessKeyId === 'ASIA1'), 'nobody waited');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(s.calls(), 2, 'one refresh ran');
    assert.equal((await creds.getFrozenCredentials()).accessKeyId, 'ASIA2');
  });

  it('a failed refresh in the advisory window keeps the still-valid credentials; in the mandatory window it is raised', async () => {
    const c = clock();
    const s = source(c.now);
    const failures: unknown[] = [];
    const creds = await RefreshableCredentials.create(s.refresh, 'test', { now: c.now, onAdvisoryFailure: (e) => failures.push(e) });
    c.advance(48 * MINUTE);
    s.failNext(2);
    assert.equal((await creds.getFrozenCredentials()).accessKeyId, 'ASIA1');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(failures.length, 1);
    // The next caller tries again (and fails again) but still signs with the current set.
    assert.equal((await creds.getFrozenCredentials()).accessKeyId, 'ASIA1', 'still the old ones until a refresh works');
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(failures.length, 2);
    c.advance(5 * MINUTE); // 7 minutes left: mandatory
    s.failNext(5);
    await assert.rejects(creds.getFrozenCredentials(), /STS is down/);
  });

  it('refreshed credentials that are still expired are an error, not a silent use', async () => {
    const c = clock();
    const s = source(c.now, 5 * MINUTE); // every set lives 5 minutes: inside the mandatory window
    const creds = new RefreshableCredentials({ accessKeyId: 'A', secretAccessKey: 'B', expiration: new Date(c.now() + MINUTE) }, s.refresh, 'test', { now: c.now });
    await assert.rejects(creds.getFrozenCredentials(), /refreshed credentials are still expired/);
  });

  it('the secret and token never show in inspect, toString or JSON', async () => {
    const c = clock();
    const creds = await RefreshableCredentials.create(source(c.now).refresh, 'assume-role', { now: c.now });
    for (const shown of [inspect(creds), String(creds), JSON.stringify(creds), inspect(await creds.getFrozenCredentials())]) {
      assert.ok(!shown.includes('secret-1') && !shown.includes('token-1'), shown);
      assert.ok(shown.includes('ASIA1'));
    }
  });
});

describe('the client credential cache', () => {
  it('resolves the chain once for concurrent first calls, and again after finding nothing', async () => {
    let loads = 0;
    let answer: Credentials | null = null;
    const provider: CredentialProvider = {
      method: 'counting',
      load: async () => {
        loads++;
        await new Promise((r) => setTimeout(r, 5));
        return answer;
      },
    };
    const cache = new CredentialCache(new CredentialChain([provider], ['the counting provider']));
    await Promise.all(Array.from({ length: 20 }, () => assert.rejects(cache.get(), (e: unknown) => e instanceof NoCredentialsError && /Looked in: the counting provider/.test((e as Error).message))));
    assert.equal(loads, 1);
    answer = new Credentials({ accessKeyId: 'AKID', secretAccessKey: 'S' }, 'counting');
    const got = await Promise.all(Array.from({ length: 20 }, () => cache.get()));
    assert.equal(loads, 2);
    assert.ok(got.every((g) => g.accessKeyId === 'AKID'));
  });
});
