/**
 * before-call answers, against botocore: a handler may answer with botocore's pair
 * [httpResponse, parsed] (or, inia's shorthand, the parsed result alone); after-call sees the
 * answer, and an httpResponse status of 300 or more raises the parsed error with the class its
 * code names. The Stubber answers that way too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientError, Session } from 'inia';
import { Stubber } from 'inia/stub';
import { TEST_CREDENTIALS } from '../helpers/capture.js';
import { EMPTY_ENV } from '../helpers/env.js';
import { pythonJson } from '../helpers/python.js';

interface Outcome {
  result?: unknown;
  error?: { type: string; message: string; code?: string | null };
  afterCall: { status: number | null; parsed: unknown };
  sent: boolean;
}

interface Answer {
  status: number;
  parsed: Record<string, unknown>;
}

const BOTOCORE = `
import json, sys
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
cases = json.load(sys.stdin)
out = []
for case in cases:
    s = botocore.session.get_session()
    c = s.create_client('dynamodb', region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')
    seen = {'afterCall': None, 'sent': False}
    def after_call(http_response, parsed, **kw):
        seen['afterCall'] = {'status': getattr(http_response, 'status_code', None), 'parsed': {k: v for k, v in parsed.items() if k != 'ResponseMetadata'}}
    def before_send(**kw):
        seen['sent'] = True
    c.meta.events.register('after-call.dynamodb.ListTables', after_call)
    c.meta.events.register('before-send', before_send)
    if case['via'] == 'stubber':
        stub = Stubber(c)
        if case['status'] < 300:
            stub.add_response('list_tables', case['parsed'])
        else:
            e = case['parsed']['Error']
            stub.add_client_error('list_tables', e['Code'], e['Message'], case['status'])
        stub.activate()
    else:
        c.meta.events.register('before-call.dynamodb.ListTables', lambda **kw: (AWSResponse(None, case['status'], {}, None), case['parsed']))
    result = {}
    try:
        r = c.list_tables()
        r.pop('ResponseMetadata', None)
        result['result'] = r
    except Exception as e:
        resp = getattr(e, 'response', None)
        result['error'] = {'type': type(e).__name__, 'message': str(e), 'code': resp.get('Error', {}).get('Code') if isinstance(resp, dict) else None}
    result['afterCall'] = seen['afterCall']
    result['sent'] = seen['sent']
    out.append(result)
print(json.dumps(out))
`;

async function inia(via: 'pair' | 'stubber' | 'parsed', answer: Answer): Promise<Outcome> {
  const ddb = new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
  const outcome: Outcome = { afterCall: { status: null, parsed: undefined }, sent: false };
  ddb.meta.events.register('after-call.dynamodb.ListTables', (args: Record<string, unknown>) => {
    const { ResponseMetadata: _, ...rest } = args.parsed as Record<string, unknown>;
    outcome.afterCall = { status: (args.httpResponse as { statusCode?: number } | undefined)?.statusCode ?? null, parsed: rest };
  });
  ddb.meta.events.register('before-send', () => {
    outcome.sent = true;
  });
  if (via === 'stubber') {
    const stub = new Stubber(ddb);
    if (answer.status < 300) stub.addResponse('listTables', answer.parsed);
    else {
      const e = answer.parsed.Error as { Code: string; Message: string };
      stub.addClientError('listTables', e.Code, e.Message, answer.status);
    }
    stub.activate();
  } else {
    ddb.meta.events.register('before-call.dynamodb.ListTables', () =>
      via === 'pair' ? [{ statusCode: answer.status, headers: {}, body: new Uint8Array(0) }, structuredClone(answer.parsed)] : structuredClone(answer.parsed),
    );
  }
  try {
    const { ResponseMetadata: _, ...rest } = (await ddb.listTables()) as Record<string, unknown>;
    outcome.result = rest;
  } catch (e) {
    if (!(e instanceof ClientError)) throw e;
    outcome.error = { type: e.name, message: e.message, code: e.code };
  } finally {
    ddb.destroy();
  }
  return outcome;
}

const OK: Answer = { status: 200, parsed: { TableNames: ['alpha', 'beta'] } };
const NOT_FOUND: Answer = { status: 400, parsed: { Error: { Code: 'ResourceNotFoundException', Message: 'no such table' }, ResponseMetadata: { HTTPStatusCode: 400 } } };
const UNMODELED: Answer = { status: 500, parsed: { Error: { Code: 'SomethingElse', Message: 'odd' }, ResponseMetadata: { HTTPStatusCode: 500 } } };

describe('before-call answers, against botocore', () => {
  it('[httpResponse, parsed] and the Stubber: result, error class and message, what after-call sees, nothing sent', async () => {
    const cases = [
      { via: 'pair' as const, ...OK },
      { via: 'pair' as const, ...NOT_FOUND },
      { via: 'pair' as const, ...UNMODELED },
      { via: 'stubber' as const, ...OK },
      { via: 'stubber' as const, ...NOT_FOUND },
    ];
    const reference = pythonJson<Outcome[]>(BOTOCORE, { what: 'botocore before-call driver', input: JSON.stringify(cases) });
    for (let i = 0; i < cases.length; i++) {
      const c = cases[i]!;
      const got = await inia(c.via, c);
      const want = reference[i]!;
      // botocore's stubber adds HTTPStatusCode to an error's ResponseMetadata only; compare the rest.
      assert.deepEqual(got, want, `${c.via} ${c.status}`);
    }
    // The modeled error is raised as its class.
    const error = (await inia('pair', NOT_FOUND)).error;
    assert.equal(error?.type, 'ResourceNotFoundException');
  });

  it('the parsed result alone (inia shorthand) is returned as a 200 would be; after-call sees no httpResponse', async () => {
    const got = await inia('parsed', OK);
    assert.deepEqual(got, { result: { TableNames: ['alpha', 'beta'] }, afterCall: { status: null, parsed: { TableNames: ['alpha', 'beta'] } }, sent: false });
  });

  it('an array that is not a pair is a clear error', async () => {
    const ddb = new Session({ env: { ...EMPTY_ENV } }).client('dynamodb', { region: 'us-east-1', credentials: TEST_CREDENTIALS });
    ddb.meta.events.register('before-call.dynamodb.ListTables', () => [{ TableNames: [] }]);
    await assert.rejects(ddb.listTables(), /not \[httpResponse, parsed\]/);
    ddb.destroy();
  });
});
