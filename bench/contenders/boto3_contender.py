"""boto3, the reference: the same workloads and the same one-line JSON report as the node contenders.

Run by run.ts as `python3 boto3_contender.py <workload>` with the BENCH_* environment."""
import json
import os
import resource
import sys
import time

T0 = time.perf_counter()  # as close to process start as Python code gets; run.ts measures the real wall time

def env_int(name, default):
    return int(os.environ.get(name, default))

ENDPOINT = os.environ.get('BENCH_ENDPOINT', '')
CALLS = env_int('BENCH_CALLS', 10)
WARMUP = env_int('BENCH_WARMUP', 0)
MAX_SECONDS = float(os.environ.get('BENCH_MAX_SECONDS', '4'))
GET_OBJECT_BYTES = env_int('BENCH_GET_OBJECT_BYTES', 0)
MODELS = [m for m in os.environ.get('BENCH_MODELS', '').split(',') if m]

# Kept in step with bench/lib/workloads.ts.
TABLE = 'bench-table'
BUCKET = 'bench-bucket'
BIG_OBJECT_KEY = 'big-object'
PUT_OBJECT_KEY = 'put-object'
PUT_OBJECT_BYTES = 1024 * 1024
LIST_KEY_COUNT = 1000
STS_ACCOUNT = '123456789012'
QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/bench-queue'
GET_ITEM_KEY = {'pk': {'S': 'user#42'}, 'sk': {'S': 'profile'}}
EXPECTED_ITEM_NAME = 'Ada Lovelace'
SQS_ENTRIES = [{'Id': 'm%d' % i, 'MessageBody': '{"order":%d,"sku":"SKU-%d","qty":%d}' % (i, 1000 + i, i + 1)} for i in range(10)]
TWENTY_SERVICES = ['dynamodb', 's3', 'sqs', 'sns', 'sts', 'iam', 'ec2', 'lambda', 'kinesis', 'secretsmanager',
                   'route53', 'ses', 'cloudwatch', 'logs', 'ssm', 'kms', 'ecs', 'rds', 'cloudformation', 'events']


def expect(condition, what):
    if not condition:
        raise AssertionError('bad answer: ' + what)


def make_client(service):
    import boto3
    from botocore.config import Config
    config = Config(s3={'addressing_style': 'path'}, retries={'mode': 'standard', 'max_attempts': 1})
    return boto3.client(service, endpoint_url=ENDPOINT, config=config)


def get_item(ddb):
    out = ddb.get_item(TableName=TABLE, Key=GET_ITEM_KEY)
    expect(out['Item']['name']['S'] == EXPECTED_ITEM_NAME, 'GetItem Item.name')


def op_getitem():
    ddb = make_client('dynamodb')
    return lambda: get_item(ddb)


def op_list1000():
    s3 = make_client('s3')
    def op():
        out = s3.list_objects_v2(Bucket=BUCKET)
        expect(len(out['Contents']) == LIST_KEY_COUNT, 'ListObjectsV2 Contents')
    return op


def op_put1m():
    s3 = make_client('s3')
    body = bytes([7]) * PUT_OBJECT_BYTES
    def op():
        out = s3.put_object(Bucket=BUCKET, Key=PUT_OBJECT_KEY, Body=body)
        expect(isinstance(out.get('ETag'), str), 'PutObject ETag')
    return op


def op_get64m():
    s3 = make_client('s3')
    def op():
        out = s3.get_object(Bucket=BUCKET, Key=BIG_OBJECT_KEY)
        size = 0
        for chunk in out['Body'].iter_chunks(chunk_size=1 << 20):
            size += len(chunk)
        expect(size == GET_OBJECT_BYTES, 'GetObject %d bytes' % size)
        return size
    return op


def op_sqsbatch():
    sqs = make_client('sqs')
    def op():
        out = sqs.send_message_batch(QueueUrl=QUEUE_URL, Entries=SQS_ENTRIES)
        expect(len(out['Successful']) == len(SQS_ENTRIES), 'SendMessageBatch Successful')
    return op


def op_sts():
    sts = make_client('sts')
    def op():
        out = sts.get_caller_identity()
        expect(out['Account'] == STS_ACCOUNT, 'GetCallerIdentity Account')
    return op


WARM = {'getitem': op_getitem, 'list1000': op_list1000, 'put1m': op_put1m, 'get64m': op_get64m,
        'sqsbatch': op_sqsbatch, 'sts': op_sts}


def run_warm(workload):
    op = WARM[workload]()
    for _ in range(WARMUP):
        op()
    calls = 0
    moved = 0
    start = time.perf_counter()
    deadline = start + MAX_SECONDS
    while calls < CALLS and (calls == 0 or time.perf_counter() < deadline):
        got = op()
        if isinstance(got, int):
            moved += got
        calls += 1
    elapsed = time.perf_counter() - start
    if workload == 'get64m':
        return {'value': moved / (1024 * 1024) / elapsed, 'calls': calls}
    return {'value': elapsed * 1000 / calls, 'calls': calls}


def run(workload):
    if workload == 'cold':
        get_item(make_client('dynamodb'))
        return {'value': (time.perf_counter() - T0) * 1000, 'calls': 1}
    if workload in ('create1', 'create20'):
        import boto3
        from botocore.config import Config
        names = ['dynamodb'] if workload == 'create1' else TWENTY_SERVICES
        start = time.perf_counter()
        session = boto3.session.Session()
        for name in names:
            session.client(name, endpoint_url=ENDPOINT, config=Config())
        return {'value': (time.perf_counter() - start) * 1000, 'calls': 1}
    if workload == 'modelload':
        import botocore.loaders
        start = time.perf_counter()
        loader = botocore.loaders.Loader()
        for name in MODELS:
            loader.load_service_model(name, 'service-2')
        return {'value': (time.perf_counter() - start) * 1000, 'calls': 1}
    if workload in WARM:
        return run_warm(workload)
    return {'unsupported': 'unknown workload ' + workload}


def main():
    workload = sys.argv[1] if len(sys.argv) > 1 else ''
    try:
        result = run(workload)
    except Exception as err:  # reported to run.ts, which fails the run
        result = {'error': '%s: %s' % (type(err).__name__, err)}
    result['rssKiB'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.write(json.dumps(result) + '\n')
    sys.stdout.flush()
    os._exit(1 if 'error' in result else 0)


main()
