"""What the installed botocore does about flexible checksums, for the parity test.

Reads a JSON list of cases on stdin:
  {service, operation, params, endpoint_url, config: {request_checksum_calculation,
   response_checksum_validation}, response?: {status, headers, body (base64)}}
A `params` value {"$b64": "..."} is bytes. Writes a JSON list, one entry per case:
  {headers, body (base64), checksum_context, supported, response_body?, response_error?}
  or {error}.

A real client makes each call; nothing reaches the network: a before-send handler records
the final request (headers after signing, the aws-chunked body read out) and either raises
(request-only cases) or answers with the case's canned response, whose body is then read
whole so that botocore's response validation runs.
"""
import base64
import copy
import io
import json
import sys

import botocore.session
from botocore import httpchecksum
from botocore.awsrequest import AWSResponse
from botocore.config import Config


class _Stop(Exception):
    pass


class _RawBody:
    """The urllib3 response surface botocore reads a body through."""

    def __init__(self, data):
        self._io = io.BytesIO(data)

    def read(self, amt=None, **kwargs):
        return self._io.read() if amt is None else self._io.read(amt)

    def stream(self, amt=1024, **kwargs):
        while True:
            chunk = self._io.read(amt)
            if not chunk:
                return
            yield chunk

    def close(self):
        pass


def _decode(value):
    if isinstance(value, dict):
        if set(value) == {'$b64'}:
            return base64.b64decode(value['$b64'])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _run(session, case):
    record = {}
    config = Config(**case.get('config', {}))
    client = session.create_client(
        case['service'],
        region_name='us-east-1',
        endpoint_url=case['endpoint_url'],
        aws_access_key_id='AKIDEXAMPLE',
        aws_secret_access_key='secret',
        config=config,
    )
    response = case.get('response')

    def before_call(context, **kwargs):
        record['checksum_context'] = copy.deepcopy(context.get('checksum', {}))

    def before_send(request, **kwargs):
        record['headers'] = {k.lower(): v if isinstance(v, str) else v.decode() for k, v in request.headers.items()}
        body = request.body
        if hasattr(body, 'read'):
            body = body.read()
        if isinstance(body, str):
            body = body.encode('utf-8')
        record['body'] = base64.b64encode(body or b'').decode('ascii')
        if response is None:
            raise _Stop()
        raw = _RawBody(base64.b64decode(response['body']))
        return AWSResponse(request.url, response['status'], response['headers'], raw)

    client.meta.events.register('before-call', before_call)
    client.meta.events.register('before-send', before_send)
    method = getattr(client, botocore.xform_name(case['operation']))
    try:
        result = method(**_decode(case['params']))
        if response is not None:
            try:
                body = result['Body'].read() if 'Body' in result else b''
                record['response_body'] = base64.b64encode(body).decode('ascii')
            except Exception as e:
                record['response_error'] = f'{type(e).__name__}: {e}'
    except _Stop:
        pass
    return record


def main():
    cases = json.load(sys.stdin)
    session = botocore.session.get_session()
    out = []
    for case in cases:
        try:
            record = _run(session, case)
        except Exception as e:  # reported per case, the test decides
            record = {'error': f'{type(e).__name__}: {e}'}
        record['supported'] = list(httpchecksum._SUPPORTED_CHECKSUM_ALGORITHMS)
        out.append(record)
    json.dump(out, sys.stdout)


main()
