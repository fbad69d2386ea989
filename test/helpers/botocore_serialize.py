"""Serializes requests with the installed botocore, for the parity test.

Reads a JSON list of {service, operation, params} on stdin; writes a JSON list of
{method, path, query, headers, body (base64)} or {error} in the same order. Only
botocore's serializer runs (no handlers), which is what inia's protocols mirror.
"""
import base64
import json
import sys

import botocore.session
from botocore.awsrequest import prepare_request_dict
from botocore.serialize import create_serializer


def main():
    cases = json.load(sys.stdin)
    session = botocore.session.get_session()
    models = {}
    out = []
    for case in cases:
        try:
            service = case['service']
            if service not in models:
                models[service] = session.get_service_model(service)
            model = models[service]
            op = model.operation_model(case['operation'])
            serializer = create_serializer(model.resolved_protocol, include_validation=False)
            request = serializer.serialize_to_request(case['params'], op)
            prepare_request_dict(request, endpoint_url='https://example.com')
            from urllib.parse import urlsplit
            parts = urlsplit(request['url'])
            path, query = parts.path, parts.query
            body = request['body']
            if isinstance(body, str):
                body = body.encode('utf-8')
            elif isinstance(body, dict):
                from urllib.parse import urlencode
                body = urlencode(body, doseq=True).encode('utf-8')
            elif hasattr(body, 'read'):
                body = body.read()
            out.append({
                'method': request['method'],
                'path': path or '/',
                'query': query,
                'host_prefix': request.get('host_prefix'),
                'headers': {k.lower(): v if isinstance(v, str) else v.decode() for k, v in request['headers'].items()},
                'body': base64.b64encode(body or b'').decode('ascii'),
                'protocol': model.resolved_protocol,
            })
        except Exception as e:  # reported per case, the test decides
            out.append({'error': f'{type(e).__name__}: {e}'})
    json.dump(out, sys.stdout)


main()
