/**
 * Methods customizations add to client classes (creating-client-class.<service>), compared
 * with botocore's:
 * - RDS's generateDbAuthToken (add_generate_db_auth_token) and DSQL's
 *   generateDbConnectAuthToken / generateDbConnectAdminAuthToken
 *   (add_dsql_generate_db_auth_token_methods): the same token, byte for byte, for the same
 *   keys and signing time. botocore's clock is patched (get_current_datetime in botocore.auth
 *   and botocore.signers); inia's client signs tokens with its signing clock, whose now() the
 *   test replaces.
 * - botocore's ClientMethodAlias entries (getattr.<service>.<mangled name>): inia's method
 *   names come from the operation names, never through snake_case, so there is nothing to alias.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Config, ParamValidationError, NoRegionError, Session, type Client } from '../../src/index.js';
import { clientContext } from '../../src/client.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

const FIXED = new Date('2024-05-17T12:34:56Z');
const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjE/+=token';

interface TokenCase {
  name: string;
  service: 'rds' | 'dsql';
  /** inia's method name; botocore's is its snake_case. */
  method: 'generateDbAuthToken' | 'generateDbConnectAuthToken' | 'generateDbConnectAdminAuthToken';
  params: Record<string, unknown>;
  region: string;
  token?: string;
}

const TOKEN_REFERENCE = String.raw`
import datetime, json, sys
from unittest import mock
import botocore.session

spec = json.load(sys.stdin)
fixed = datetime.datetime.strptime(spec['date'], '%Y-%m-%dT%H:%M:%S')
names = {'generateDbAuthToken': 'generate_db_auth_token', 'generateDbConnectAuthToken': 'generate_db_connect_auth_token',
         'generateDbConnectAdminAuthToken': 'generate_db_connect_admin_auth_token'}
out = []
with mock.patch('botocore.auth.get_current_datetime', return_value=fixed), \
     mock.patch('botocore.signers.get_current_datetime', return_value=fixed):
    for case in spec['cases']:
        client = botocore.session.get_session().create_client(
            case['service'], region_name=case['region'], aws_access_key_id=spec['key'],
            aws_secret_access_key=spec['secret'], aws_session_token=case.get('token'))
        out.append(getattr(client, names[case['method']])(**case['params']))
json.dump(out, sys.stdout)
`;

const CASES: TokenCase[] = [
  { name: 'RDS, PostgreSQL port', service: 'rds', method: 'generateDbAuthToken', region: 'us-west-2', params: { DBHostname: 'mydb.123456789012.us-west-2.rds.amazonaws.com', Port: 5432, DBUsername: 'app_user' } },
  { name: 'RDS, another region than the client\'s, a session token', service: 'rds', method: 'generateDbAuthToken', region: 'us-east-1', token: TOKEN, params: { DBHostname: 'db.eu-west-1.rds.amazonaws.com', Port: 3306, DBUsername: 'ada', Region: 'eu-west-1' } },
  { name: 'RDS, port 443 (kept in the token, not in the signed host)', service: 'rds', method: 'generateDbAuthToken', region: 'us-west-2', params: { DBHostname: 'db.example.com', Port: 443, DBUsername: 'u' } },
  { name: 'RDS, an upper-case host (signed lower-case, kept as given)', service: 'rds', method: 'generateDbAuthToken', region: 'us-west-2', params: { DBHostname: 'MyDB.Example.COM', Port: 5432, DBUsername: 'user name+/=&é' } },
  { name: 'DSQL DbConnect', service: 'dsql', method: 'generateDbConnectAuthToken', region: 'us-east-1', params: { Hostname: 'abcdefghijklmnopqrst.dsql.us-east-1.on.aws' } },
  { name: 'DSQL DbConnectAdmin', service: 'dsql', method: 'generateDbConnectAdminAuthToken', region: 'us-east-1', params: { Hostname: 'abcdefghijklmnopqrst.dsql.us-east-1.on.aws' } },
  { name: 'DSQL DbConnectAdmin, ExpiresIn and Region, a session token', service: 'dsql', method: 'generateDbConnectAdminAuthToken', region: 'us-east-1', token: TOKEN, params: { Hostname: 'cluster.dsql.us-east-2.on.aws', Region: 'us-east-2', ExpiresIn: 3600 } },
  { name: 'DSQL DbConnect, ExpiresIn', service: 'dsql', method: 'generateDbConnectAuthToken', region: 'eu-west-1', params: { Hostname: 'c.dsql.eu-west-1.on.aws', ExpiresIn: 60 } },
];

const clients: Client[] = [];
after(() => {
  for (const c of clients) c.destroy();
});

function makeClient(service: string, region: string | undefined, token?: string): Client {
  const client = new Session({ env: { ...EMPTY_ENV } }).client(service, {
    ...(region !== undefined ? { region } : {}),
    credentials: { accessKeyId: KEY, secretAccessKey: SECRET, ...(token !== undefined ? { sessionToken: token } : {}) },
    config: new Config({}),
  });
  clientContext(client).signingClock.now = () => new Date(FIXED);
  clients.push(client);
  return client;
}

type TokenMethod = (params: Record<string, unknown>) => Promise<string>;

function method(client: Client, name: string): TokenMethod {
  const fn = (client as unknown as Record<string, unknown>)[name];
  assert.equal(typeof fn, 'function', `${client.meta.serviceName} client has ${name}`);
  return (fn as TokenMethod).bind(client);
}

describe('RDS and DSQL auth tokens (creating-client-class.rds, creating-client-class.dsql)', () => {
  it('equal botocore\'s, byte for byte, at a fixed signing time', async () => {
    const reference = pythonJson<string[]>(TOKEN_REFERENCE, {
      what: 'botocore auth token driver',
      input: JSON.stringify({ date: FIXED.toISOString().slice(0, 19), key: KEY, secret: SECRET, cases: CASES }),
    });
    for (let i = 0; i < CASES.length; i++) {
      const c = CASES[i]!;
      const token = await method(makeClient(c.service, c.region, c.token), c.method)(c.params);
      assert.equal(token, reference[i], c.name);
    }
  });

  it('tokens look as the services expect: no scheme, the action, the signing service and lifetime', async () => {
    const rds = await method(makeClient('rds', 'us-west-2'), 'generateDbAuthToken')({ DBHostname: 'h', Port: 5432, DBUsername: 'u' });
    assert.match(rds, /^h:5432\/\?Action=connect&DBUser=u&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240517%2Fus-west-2%2Frds-db%2Faws4_request&X-Amz-Date=20240517T123456Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
    const dsql = await method(makeClient('dsql', 'us-east-1'), 'generateDbConnectAuthToken')({ Hostname: 'c.dsql.us-east-1.on.aws' });
    assert.match(dsql, /^c\.dsql\.us-east-1\.on\.aws\/\?Action=DbConnect&.*%2Fdsql%2Faws4_request&.*X-Amz-Expires=900&/);
  });

  it('only RDS clients have generateDbAuthToken, only DSQL clients the DSQL methods', () => {
    const rds = makeClient('rds', 'us-west-2') as unknown as Record<string, unknown>;
    const dsql = makeClient('dsql', 'us-east-1') as unknown as Record<string, unknown>;
    const other = makeClient('neptune', 'us-east-1') as unknown as Record<string, unknown>;
    assert.equal(typeof rds.generateDbAuthToken, 'function');
    assert.equal(rds.generateDbConnectAuthToken, undefined);
    assert.equal(typeof dsql.generateDbConnectAuthToken, 'function');
    assert.equal(typeof dsql.generateDbConnectAdminAuthToken, 'function');
    assert.equal(dsql.generateDbAuthToken, undefined);
    assert.equal(other.generateDbAuthToken, undefined);
  });

  it('bad input is a ParamValidationError naming each problem, before any signing', async () => {
    const rds = method(makeClient('rds', 'us-west-2'), 'generateDbAuthToken');
    const dsql = method(makeClient('dsql', 'us-east-1'), 'generateDbConnectAuthToken');
    const refuses = async (call: Promise<string>, pattern: RegExp): Promise<void> => {
      await assert.rejects(call, (e: unknown) => {
        assert.ok(e instanceof ParamValidationError, String(e));
        assert.match((e as Error).message, pattern);
        assert.doesNotMatch((e as Error).message, new RegExp(SECRET.replace(/[/+]/g, '.')));
        return true;
      });
    };
    await refuses(rds({ DBHostname: 'h', DBUsername: 'u' }), /Missing required parameter in input: "Port"/);
    await refuses(rds({ DBHostname: 'h', Port: '5432x', DBUsername: 'u', Regoin: 'x' }), /Port[\s\S]*Unknown parameter in input: "Regoin"|Unknown parameter in input: "Regoin"[\s\S]*Port/);
    await refuses(rds({ DBHostname: 'h', Port: 70000, DBUsername: 'u' }), /Invalid value for parameter Port, value: 70000/);
    await refuses(rds({ DBHostname: 'h/path', Port: 1, DBUsername: 'u' }), /Invalid value for parameter DBHostname/);
    await refuses(rds({ DBHostname: 5, Port: 1, DBUsername: 'u' }), /Invalid type for parameter DBHostname/);
    await refuses(rds(undefined as unknown as Record<string, unknown>), /Invalid type for parameter input/);
    await refuses(dsql({ Hostname: '' }), /Invalid length for parameter Hostname/);
    await refuses(dsql({ Hostname: 'h', ExpiresIn: 0 }), /Invalid value for parameter ExpiresIn/);
    await refuses(dsql({ Hostname: 'h', ExpiresIn: 604801 }), /Invalid value for parameter ExpiresIn/);
    await refuses(dsql({ Hostname: 'h', Region: 3 }), /Invalid type for parameter Region/);
  });

  it('without a region anywhere it is NoRegionError (an RDS client cannot even be made without one)', async () => {
    await assert.rejects(async () => method(makeClient('rds', undefined), 'generateDbAuthToken')({ DBHostname: 'h', Port: 1, DBUsername: 'u' }), NoRegionError);
  });
});

// ---------------------------------------------------------------- ClientMethodAlias

const ALIASES_REFERENCE = String.raw`
import json
import botocore.session
from botocore.handlers import BUILTIN_HANDLERS, ClientMethodAlias
session = botocore.session.get_session()
out = []
for event, handler, *_ in BUILTIN_HANDLERS:
    if isinstance(handler, ClientMethodAlias):
        _, service, alias = event.split('.')
        client = session.create_client(service, region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
        actual = handler._actual
        out.append({'service': service, 'alias': alias, 'actual': actual,
                    'operation': client.meta.method_to_api_mapping[actual]})
json.dump(out, __import__('sys').stdout)
`;

describe("botocore's ClientMethodAlias entries (getattr.<service>.<name>)", () => {
  it('name operations botocore\'s snake_case mangled; inia\'s lowerCamelCase names of them have nothing to alias', () => {
    const aliases = pythonJson<Array<{ service: string; alias: string; actual: string; operation: string }>>(ALIASES_REFERENCE, { what: 'botocore ClientMethodAlias list' });
    // The five this port was written against (a new one fails here, to be looked at).
    assert.deepEqual(aliases.map((a) => `${a.service}.${a.alias}`).sort(), [
      'cloudwatch.get_o_tel_enrichment',
      'cloudwatch.start_o_tel_enrichment',
      'cloudwatch.stop_o_tel_enrichment',
      'mturk.list_hi_ts_for_qualification_type',
      'socialmessaging.delete_whatsapp_media_message',
    ]);
    for (const a of aliases) {
      const client = makeClient(a.service, 'us-east-1') as unknown as Record<string, unknown> & Client;
      // inia's one name for the operation: its model name, first letter lowered.
      const name = a.operation.charAt(0).toLowerCase() + a.operation.slice(1);
      assert.equal(client.meta.methodToApiMapping[name], a.operation, `${a.service}: ${name}`);
      assert.equal(typeof client[name], 'function');
      // The camelCase of either botocore name is not another spelling inia answers to.
      const camel = (snake: string): string => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      for (const other of [camel(a.alias), camel(a.actual)]) if (other !== name) assert.equal(client[other], undefined, `${a.service}: no ${other}`);
    }
  });
});

const REMOVED_REFERENCE = `
import json, sys, botocore.session
from botocore.handlers import BUILTIN_HANDLERS
session = botocore.session.get_session()
out = []
for event, handler, *_ in BUILTIN_HANDLERS:
    name = getattr(handler, '__name__', '')
    if event.startswith('creating-client-class.') and name.startswith('remove_'):
        service_id = event.split('.', 1)[1]
        # The event names the hyphenized service id; the client wants the service name.
        service = {'lex-runtime-v2': 'lexv2-runtime'}.get(service_id, service_id)
        client = session.create_client(service, region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
        model = client.meta.service_model
        # The operations of the model that the class no longer has a method for.
        gone = [op for op in model.operation_names if not hasattr(client, botocore.xform_name(op))]
        out.append({'service': service, 'handler': name, 'removed': gone})
json.dump(out, sys.stdout)
`;

describe("botocore's remove_* handlers (creating-client-class.<service>): bidirectional streams", () => {
  it('keeps the bidirectional streaming operations botocore removes from its clients', () => {
    const removed = pythonJson<Array<{ service: string; handler: string; removed: string[] }>>(REMOVED_REFERENCE, { what: 'botocore removed operations' });
    assert.equal(removed.length, 5, 'botocore removes operations with five handlers');
    for (const r of removed) {
      assert.ok(r.removed.length > 0, `${r.handler} removes something from ${r.service}`);
      const client = makeClient(r.service, 'us-east-1') as unknown as Record<string, unknown> & Client;
      for (const operation of r.removed) {
        const name = operation.charAt(0).toLowerCase() + operation.slice(1);
        assert.equal(typeof client[name], 'function', `${r.service}.${name} stays (${r.handler})`);
        // Bidirectional: an event stream in the input, which is why botocore has no use for it.
        const model = client.meta.serviceModel.operationModel(operation);
        assert.ok(model.inputShape?.eventStreamName !== undefined, `${operation} streams events in`);
      }
    }
  });
});
