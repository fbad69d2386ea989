/**
 * Clients made with no region anywhere, against botocore: which services are refused
 * (NoRegionError), client.meta.region, and for the global ones the URL a call goes to and the
 * region it is signed for (the Authorization header's credential scope).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NoRegionError, Session, type Client } from 'inia';
import { captureBoth, TEST_CREDENTIALS, type CaptureCase } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

interface Made {
  region?: string | null;
  partition?: string;
  url?: string;
  error?: string;
}

/** botocore: every service, with no region, without and with an endpoint URL. */
const BOTOCORE_CLIENTS = `
import json
import botocore.session
s = botocore.session.get_session()
out = {}
for svc in s.get_available_services():
    r = {}
    for label, kw in (('plain', {}), ('url', {'endpoint_url': 'http://127.0.0.1:9'})):
        try:
            c = s.create_client(svc, aws_access_key_id='a', aws_secret_access_key='b', **kw)
            r[label] = {'region': c.meta.region_name, 'partition': c.meta.partition, 'url': c.meta.endpoint_url}
        except Exception as e:
            r[label] = {'error': type(e).__name__}
    out[svc] = r
print(json.dumps(out))
`;

function make(session: Session, service: string, endpointUrl?: string): Made {
  let client: Client;
  try {
    client = session.client(service, { credentials: TEST_CREDENTIALS, ...(endpointUrl !== undefined ? { endpointUrl } : {}) });
  } catch (e) {
    if (e instanceof NoRegionError) return { error: 'NoRegionError' };
    throw e;
  }
  const made = { region: client.meta.region ?? null, partition: client.meta.partition, url: client.meta.endpointUrl };
  client.destroy();
  return made;
}

/** An operation of a service the test can call with made-up values: every required member a string. */
function simpleCall(client: Client): { operation: string; params: Record<string, string> } {
  const model = client.meta.serviceModel;
  for (const name of model.operationNames) {
    const input = model.operationModel(name).inputShape;
    if (input === null) return { operation: name, params: {} };
    const required = input.requiredMembers;
    if (required.every((m) => input.members.get(m)?.typeName === 'string')) return { operation: name, params: Object.fromEntries(required.map((m) => [m, 'x'])) };
  }
  throw new Error(`${client.meta.serviceName}: no operation with string members only`);
}

/** The region of `Credential=AKID/20260101/<region>/<service>/aws4_request`. */
function scopeOf(authorization: string | undefined): string | undefined {
  return authorization?.match(/Credential=[^/]+\/\d{8}\/([^/]*)\/([^/]*)\//)?.slice(1, 3).join('/');
}

describe('clients without a region, against botocore', () => {
  it('every service: refused or not, meta.region and meta.partition (with and without an endpoint URL)', () => {
    const reference = pythonJson<Record<string, { plain: Made; url: Made }>>(BOTOCORE_CLIENTS, { what: 'botocore no-region clients' });
    const session = new Session({ env: { ...EMPTY_ENV } });
    const services = session.getAvailableServices();
    assert.ok(services.length > 400);
    let global = 0;
    for (const service of services) {
      const want = reference[service];
      if (want === undefined) continue; // a model inia has and this botocore does not
      for (const [label, endpointUrl] of [['plain', undefined], ['url', 'http://127.0.0.1:9']] as const) {
        const got = make(session, service, endpointUrl);
        const expected: Made = want[label].error !== undefined ? { error: want[label].error } : { region: want[label].region ?? null, partition: want[label].partition!, url: want[label].url! };
        // meta.endpoint_url of botocore's global services is its legacy host; inia's is the same host.
        assert.deepEqual(got, expected, `${service} (${label})`);
        if (label === 'plain' && got.error === undefined) global++;
      }
    }
    // s3, iam, sts, route53, cloudfront, organizations, ... (21 in botocore 1.43's data)
    assert.ok(global >= 15, `only ${global} global services`);
  });

  it('global services: the URL and the signing scope of a call match botocore', async () => {
    const session = new Session({ env: { ...EMPTY_ENV } });
    const cases: CaptureCase[] = [];
    for (const service of session.getAvailableServices()) {
      const made = make(session, service);
      if (made.error !== undefined) continue;
      const client = session.client(service, { credentials: TEST_CREDENTIALS });
      // CodeCatalyst signs with a bearer token, not SigV4: nothing to compare in a scope.
      if (client.meta.serviceModel.signatureVersion === 'bearer') continue;
      cases.push({ service, ...simpleCall(client) });
      client.destroy();
    }
    // With an endpoint URL and no region; and a regional service, refused on both sides.
    cases.push({ service: 's3', operation: 'ListBuckets', params: {}, endpointUrl: 'http://127.0.0.1:9' });
    cases.push({ service: 'iam', operation: 'ListUsers', params: {}, endpointUrl: 'http://127.0.0.1:9' });
    cases.push({ service: 'sts', operation: 'GetCallerIdentity', params: {}, endpointUrl: 'http://127.0.0.1:9' });
    cases.push({ service: 's3', operation: 'ListBuckets', params: {}, iniaConfig: { s3: { usEast1RegionalEndpoint: 'regional' } }, botocoreConfig: { s3: { us_east_1_regional_endpoint: 'regional' } } });
    cases.push({ service: 'dynamodb', operation: 'ListTables', params: {} });
    cases.push({ service: 'dynamodb', operation: 'ListTables', params: {}, endpointUrl: 'http://127.0.0.1:9' });
    assert.ok(cases.length >= 20);
    for (const { case: c, botocore, inia } of await captureBoth(cases)) {
      const label = `${c.service} ${c.operation}${c.endpointUrl ? ' (endpoint URL)' : ''}`;
      if (botocore.error !== undefined && botocore.request === undefined) {
        assert.equal(inia.error?.type, botocore.error.type, `${label}: ${JSON.stringify(inia)}`);
        continue;
      }
      assert.ok(inia.request !== undefined, `${label}: ${JSON.stringify(inia.error)}`);
      assert.equal(inia.request.url, botocore.request!.url, label);
      assert.equal(scopeOf(inia.request.headers.authorization), scopeOf(botocore.request!.headers.authorization), label);
      assert.ok(scopeOf(inia.request.headers.authorization) !== undefined, label);
    }
  });

  it('a global service keeps the region that is given (iam in us-west-2 is signed for us-east-1 by its rules, s3 stays regional)', async () => {
    const cases: CaptureCase[] = [
      { service: 'iam', operation: 'ListUsers', params: {}, region: 'us-west-2' },
      { service: 's3', operation: 'ListBuckets', params: {}, region: 'eu-west-1' },
      { service: 'sts', operation: 'GetCallerIdentity', params: {}, region: 'eu-west-1' },
    ];
    for (const { case: c, botocore, inia } of await captureBoth(cases)) {
      assert.equal(inia.request?.url, botocore.request?.url, c.service);
      assert.equal(scopeOf(inia.request?.headers.authorization), scopeOf(botocore.request?.headers.authorization), c.service);
    }
  });
});
