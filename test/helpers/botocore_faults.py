"""Runs botocore calls against the fault server (test/helpers/fault-server.ts) and reports
how botocore retried, for the retry-parity tests.

stdin: one JSON object
  {
    "endpoint": "http://127.0.0.1:PORT",          # the fault server's service listener
    "control":  "http://127.0.0.1:CPORT",         # its control listener (required)
    "cases": [
      {
        "service": "dynamodb", "operation": "GetItem", "params": {...},
        "retries": {"mode": "legacy"|"standard"|"adaptive", "max_attempts"?: n, "total_max_attempts"?: n},
        "read_timeout"?: seconds, "connect_timeout"?: seconds,
        "script": [...actions...] | {"actions": [...], "then"?: "repeat-last"|action},
        "reuse_client"?: true,     # reuse the previous case's client (same service and config)
        "id"?: anything            # echoed back
      }, ...
    ]
  }
  Params whose value is {"__bytes__": "<utf-8 text>"} are passed as bytes (S3 Body).

stdout: one JSON line per case, in order:
  {"index", "id", "attempts", "outcome": "ok"|"error",
   "error_class": "ClientError"|"ReadTimeoutError"|...|null,   # ClientError for every
   "error_subclass": the exception's own class name (modeled ClientError subclasses) | null,
   "error_module": module of the exception class | null,
   "error_code", "error_message", "http_status",
   "retry_attempts", "max_attempts_reached", "retry_quota_reached",
   "body_bytes": bytes read from a streaming body | null, "elapsed_s"}

attempts = requests the fault server received for this case (its counter since the case's
script was set), so requests that were reset or stalled count too.

Backoff: botocore's backoff sleeps are made zero so cases run fast; nothing else is
patched. In particular time.sleep is untouched, so adaptive mode's token-bucket waits are
real (a throttled retry in adaptive mode can take seconds). How the sleeps are zeroed:
  - legacy: botocore.retryhandler.delay_exponential -> 0. Patching random.random alone is
    not enough: DynamoDB's _retry.json uses a fixed base of 0.05 s (not "rand"), which
    would sleep 0.05 * (2**9 - 1) = 25.5 s over its 10 attempts.
  - standard/adaptive: ExponentialBackoff's jitter source (self._random) -> 0. Patching
    random.random is not enough there either: ExponentialBackoff.__init__ binds
    random=random.random as a default argument at import time.
"""
import json
import os
import sys
import time
import urllib.request

# Isolate botocore from the machine: no shared files, no IMDS, no retry/checksum env
# overrides, no proxies for loopback.
for _k in list(os.environ):
    if _k.upper() in ('HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY') or (
        _k.startswith('AWS_') and _k not in ('AWS_DATA_PATH',)
    ):
        del os.environ[_k]
os.environ['NO_PROXY'] = '127.0.0.1,localhost'
os.environ['AWS_CONFIG_FILE'] = '/nonexistent-inia-home/.aws/config'
os.environ['AWS_SHARED_CREDENTIALS_FILE'] = '/nonexistent-inia-home/.aws/credentials'
os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'

import botocore  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
import botocore.retryhandler  # noqa: E402
import botocore.retries.standard  # noqa: E402
import botocore.session  # noqa: E402


def _zero_delay_exponential(base, growth_factor, attempts):
    if base != 'rand' and base <= 0:
        raise ValueError(f"The 'base' param must be greater than 0, got: {base}")
    return 0


botocore.retryhandler.delay_exponential = _zero_delay_exponential

_orig_backoff_init = botocore.retries.standard.ExponentialBackoff.__init__


def _zero_backoff_init(self, *args, **kwargs):
    _orig_backoff_init(self, *args, **kwargs)
    self._random = lambda: 0.0


botocore.retries.standard.ExponentialBackoff.__init__ = _zero_backoff_init

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def control(base, method, path, payload=None):
    data = None if payload is None else json.dumps(payload).encode('utf-8')
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={'content-type': 'application/json'})
    with _opener.open(req, timeout=10) as resp:
        return json.loads(resp.read().decode('utf-8'))


def decode_params(value):
    if isinstance(value, dict):
        if set(value) == {'__bytes__'}:
            return value['__bytes__'].encode('utf-8')
        return {k: decode_params(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode_params(v) for v in value]
    return value


def snake(name):
    return botocore.xform_name(name)


def make_client(session, endpoint, case):
    kwargs = {
        'retries': dict(case.get('retries') or {'mode': 'legacy'}),
        's3': {'addressing_style': 'path'},
    }
    if case.get('read_timeout') is not None:
        kwargs['read_timeout'] = case['read_timeout']
    if case.get('connect_timeout') is not None:
        kwargs['connect_timeout'] = case['connect_timeout']
    config = botocore.config.Config(**kwargs)
    return session.create_client(
        case['service'], region_name='us-east-1', endpoint_url=endpoint,
        aws_access_key_id='AKID', aws_secret_access_key='SECRET', config=config,
    )


def metadata_fields(meta):
    meta = meta or {}
    return {
        'retry_attempts': meta.get('RetryAttempts'),
        'max_attempts_reached': meta.get('MaxAttemptsReached'),
        'retry_quota_reached': meta.get('RetryQuotaReached'),
    }


def run_case(session, endpoint, ctl, case, state):
    control(ctl, 'POST', '/script', case.get('script', []))
    out = {
        'index': state['index'], 'id': case.get('id'), 'attempts': None, 'outcome': None,
        'error_class': None, 'error_subclass': None, 'error_module': None,
        'error_code': None, 'error_message': None, 'http_status': None,
        'retry_attempts': None, 'max_attempts_reached': None, 'retry_quota_reached': None,
        'body_bytes': None, 'elapsed_s': None,
    }
    key = json.dumps([case['service'], case.get('retries'), case.get('read_timeout'),
                      case.get('connect_timeout')], sort_keys=True)
    if case.get('reuse_client'):
        if state.get('client') is None or state.get('client_key') != key:
            raise SystemExit(f"case {state['index']}: reuse_client without a previous client "
                             f"of the same service and config")
        client = state['client']
    else:
        client = make_client(session, endpoint, case)
        state['client'], state['client_key'] = client, key
    started = time.monotonic()
    try:
        method = getattr(client, snake(case['operation']))
        result = method(**decode_params(case.get('params') or {}))
        body = result.get('Body')
        if body is not None and hasattr(body, 'read'):
            # Streaming output: read it fully inside the call, so checksum and truncation
            # errors surface here.
            out['body_bytes'] = len(body.read())
        out['outcome'] = 'ok'
        out.update(metadata_fields(result.get('ResponseMetadata')))
        out['http_status'] = (result.get('ResponseMetadata') or {}).get('HTTPStatusCode')
    except Exception as e:  # noqa: BLE001 - every failure is data here
        out['outcome'] = 'error'
        cls = type(e)
        out['error_subclass'] = cls.__name__
        out['error_module'] = cls.__module__
        out['error_message'] = str(e)[:500]
        if isinstance(e, botocore.exceptions.ClientError):
            out['error_class'] = 'ClientError'
            out['error_code'] = e.response.get('Error', {}).get('Code')
            meta = e.response.get('ResponseMetadata')
            out.update(metadata_fields(meta))
            out['http_status'] = (meta or {}).get('HTTPStatusCode')
        else:
            out['error_class'] = cls.__name__
    out['elapsed_s'] = round(time.monotonic() - started, 3)
    out['attempts'] = control(ctl, 'GET', '/count')['sinceScript']
    return out


def main():
    spec = json.load(sys.stdin)
    endpoint = spec['endpoint']
    ctl = spec.get('control')
    if not ctl:
        raise SystemExit('botocore_faults.py: "control" (the fault server control URL) is required')
    for url in (endpoint, ctl):
        if not url.startswith('http://127.0.0.1:'):
            raise SystemExit(f'botocore_faults.py: loopback only, got {url}')
    session = botocore.session.get_session()
    state = {'index': 0}
    for i, case in enumerate(spec['cases']):
        state['index'] = i
        out = run_case(session, endpoint, ctl, case, state)
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
