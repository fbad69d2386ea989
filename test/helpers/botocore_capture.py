"""Runs whole botocore client calls (every handler botocore registers) and captures the request.

Reads a JSON list of cases on stdin; writes a JSON list of results in the same order. A case:
  {service, operation (model name, 'CopyObject'), params, region?, endpoint_url?, config?,
   response?: {status, headers, body (base64)}, env?: {NAME: value}, presign?: {...}}
Values tagged {"$bytes": base64} become bytes; {"$datetime": iso} a datetime.
The before-send handler records the prepared request (method, url, headers, body as base64) and
answers with `response` (default: 200, no headers, empty body), so nothing leaves the machine.
A result is {request, parsed} or {request?, error: {type, message, code?}}. Only botocore runs.
"""
import base64
import datetime
import json
import os
import sys

import botocore
import botocore.session
from botocore.awsrequest import AWSResponse
from botocore.config import Config


def decode(value):
    if isinstance(value, dict):
        if set(value) == {'$bytes'}:
            return base64.b64decode(value['$bytes'])
        if set(value) == {'$datetime'}:
            return datetime.datetime.fromisoformat(value['$datetime'].replace('Z', '+00:00'))
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def encode(value):
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {'$bytes': base64.b64encode(bytes(value)).decode('ascii')}
    if isinstance(value, datetime.datetime):
        return {'$datetime': value.isoformat()}
    if hasattr(value, 'read'):
        return {'$stream': base64.b64encode(value.read()).decode('ascii')}
    return value


class FakeRaw:
    def __init__(self, data):
        self._data = data
        self._done = False

    def stream(self, *args, **kwargs):
        if not self._done:
            self._done = True
            yield self._data

    def read(self, *args, **kwargs):
        if self._done:
            return b''
        self._done = True
        return self._data


def body_bytes(body):
    if body is None:
        return b''
    if isinstance(body, str):
        return body.encode('utf-8')
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, 'read'):
        data = body.read()
        if hasattr(body, 'seek'):
            body.seek(0)
        return data if isinstance(data, bytes) else data.encode('utf-8')
    return bytes(body)


_SHARED = []


def _shared_session():
    if not _SHARED:
        _SHARED.append(botocore.session.get_session())
    return _SHARED[0]


def run(case):
    saved_env = {}
    for name, value in (case.get('env') or {}).items():
        saved_env[name] = os.environ.get(name)
        os.environ[name] = value
    try:
        # One session for the cases without env (its loader caches the models: a fresh session
        # per case costs ~150 ms of model loading); a case with env gets its own, as the session
        # reads some variables when it is made.
        session = botocore.session.get_session() if case.get('env') else _shared_session()
        config_args = {'retries': {'total_max_attempts': 1}, **(case.get('config') or {})}
        # JSON has no botocore.UNSIGNED: the string '$UNSIGNED' stands for it.
        if config_args.get('signature_version') == '$UNSIGNED':
            config_args['signature_version'] = botocore.UNSIGNED
        config = Config(**config_args)
        kwargs = {'aws_access_key_id': 'AKIDEXAMPLE', 'aws_secret_access_key': 'SECRETEXAMPLE', 'config': config}
        if case.get('session_token'):
            kwargs['aws_session_token'] = case['session_token']
        if 'region' in case:
            kwargs['region_name'] = case['region']
        if case.get('endpoint_url'):
            kwargs['endpoint_url'] = case['endpoint_url']
        try:
            client = session.create_client(case['service'], **kwargs)
        except Exception as e:  # a refused client (NoRegionError) is the case's result, as on inia's side
            return {'error': {'type': type(e).__name__, 'message': str(e)}}
        captured = {}
        answer = case.get('response') or {}

        def before_send(request, **_):
            captured['request'] = {
                'method': request.method,
                'url': request.url,
                'headers': {k.lower(): (v.decode('utf-8') if isinstance(v, bytes) else v) for k, v in request.headers.items()},
                'body': base64.b64encode(body_bytes(request.body)).decode('ascii'),
            }
            return AWSResponse(request.url, answer.get('status', 200), answer.get('headers', {}), FakeRaw(base64.b64decode(answer.get('body', ''))))

        client.meta.events.register('before-send', before_send)
        result = {}
        try:
            if 'presign' in case:
                result['url'] = client.generate_presigned_url(case['operation'], Params=decode(case['params']), **case['presign'])
            else:
                parsed = client._make_api_call(case['operation'], decode(case['params']))
                parsed.pop('ResponseMetadata', None)
                result['parsed'] = encode(parsed)
        except Exception as e:  # reported per case, the test decides
            error = {'type': type(e).__name__, 'message': str(e)}
            response = getattr(e, 'response', None)
            if isinstance(response, dict):
                error['code'] = response.get('Error', {}).get('Code')
            result['error'] = error
        if 'request' in captured:
            result['request'] = captured['request']
        return result
    finally:
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def main():
    cases = json.load(sys.stdin)
    json.dump([run(case) for case in cases], sys.stdout)


main()
