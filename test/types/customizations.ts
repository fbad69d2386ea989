// What botocore's per-service customizations (src/customizations/*.ts) change in the typed
// clients (scripts/lib/typegen/customizations.ts): boto3 code that the handlers make correct
// compiles; misuses they refuse, or the runtime would, are type errors.
import { client } from 'inia';
import type { SageMakerRuntimeClient } from 'inia/types/sagemaker-runtime';

const s3 = client('s3', { region: 'us-east-1' });
const ec2 = client('ec2', { region: 'us-east-1' });
const autoscaling = client('autoscaling');
const logs = client('logs');
const csd = client('cloudsearchdomain', { endpointUrl: 'http://127.0.0.1:1' });
const glacier = client('glacier');
const iam = client('iam');
const cfn = client('cloudformation');
const rds = client('rds');
const lambda = client('lambda');

export async function s3Customizations(): Promise<void> {
  // s3-params.ts handle_copy_source_param: a string, or its parts.
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'src/key?versionId=v1' });
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: { Bucket: 'src', Key: 'a key' } });
  await s3.uploadPartCopy({ Bucket: 'b', Key: 'k', UploadId: 'u', PartNumber: 1, CopySource: { Bucket: 'src', Key: 'k', VersionId: 'v1' } });
  // @ts-expect-error TS2322 the source bucket is a string
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: { Bucket: 1, Key: 'k' } });
  // @ts-expect-error TS2322 the dict form needs Key
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: { Bucket: 'src' } });
  // @ts-expect-error TS2561 the dict form has Bucket, Key and VersionId only
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: { Bucket: 'src', Key: 'k', Version: 'v1' } });
  // @ts-expect-error TS2353 CopySource is CopyObject's and UploadPartCopy's
  await s3.getObject({ Bucket: 'b', Key: 'k', CopySource: 'src/k' });

  // sse_md5: the key as text or bytes, its MD5 computed by the client.
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: 'x', SSECustomerAlgorithm: 'AES256', SSECustomerKey: Buffer.alloc(32) });
  await s3.getObject({ Bucket: 'b', Key: 'k', SSECustomerAlgorithm: 'AES256', SSECustomerKey: new Uint8Array(32) });
  await s3.headObject({ Bucket: 'b', Key: 'k', SSECustomerAlgorithm: 'AES256', SSECustomerKey: '0123456789abcdef0123456789abcdef' });
  await s3.copyObject({ Bucket: 'b', Key: 'k', CopySource: 'src/k', CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: Buffer.alloc(32) });
  // @ts-expect-error TS2322 a key is text or bytes
  await s3.putObject({ Bucket: 'b', Key: 'k', SSECustomerKey: 12345 });
  // @ts-expect-error TS2322 bytes only where sse_md5 encodes them: ListParts is not one of its operations
  await s3.listParts({ Bucket: 'b', Key: 'k', UploadId: 'u', SSECustomerKey: Buffer.alloc(32) });

  // s3-xml.ts: GetBucketLocation's empty constraint is null; Expires' text is ExpiresString.
  const location = await s3.getBucketLocation({ Bucket: 'b' });
  const region: string = location.LocationConstraint ?? 'us-east-1';
  const got = await s3.getObject({ Bucket: 'b', Key: 'k' });
  const head = await s3.headObject({ Bucket: 'b', Key: 'k' });
  const expires: string | undefined = got.ExpiresString ?? head.ExpiresString;
  console.log(region, expires);
  // @ts-expect-error TS2322 LocationConstraint may be null (us-east-1)
  const notNull: string | undefined = location.LocationConstraint;
  // @ts-expect-error TS2339 ExpiresString is GetObject's and HeadObject's only
  console.log(notNull, (await s3.putObject({ Bucket: 'b', Key: 'k' })).ExpiresString);
}

export async function aliases(): Promise<void> {
  // ec2.ts: Filters wherever the model has Filter.
  await ec2.describeFlowLogs({ Filter: [{ Name: 'resource-id', Values: ['vpc-1'] }] });
  await ec2.describeFlowLogs({ Filters: [{ Name: 'resource-id', Values: ['vpc-1'] }] });
  await ec2.describeFlowLogs();
  await ec2.getPaginator('describeFlowLogs').paginate({ Filters: [{ Name: 'resource-id', Values: ['vpc-1'] }] }).buildFullResult();
  await ec2.describeInstances({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] });
  // @ts-expect-error TS2322 a member and its alias, never both
  await ec2.describeFlowLogs({ Filter: [], Filters: [] });
  // @ts-expect-error TS2561 DescribeInstances has Filters only: Filter is no alias of it
  await ec2.describeInstances({ Filter: [{ Name: 'instance-state-name', Values: ['running'] }] });

  // logs.ts: fromTime for from; from is required, so exactly one of them.
  await logs.createExportTask({ logGroupName: 'g', from: 0, to: 1, destination: 'bucket' });
  await logs.createExportTask({ logGroupName: 'g', fromTime: 0, to: 1, destination: 'bucket' });
  // @ts-expect-error TS2345 one of from and fromTime is required
  await logs.createExportTask({ logGroupName: 'g', to: 1, destination: 'bucket' });
  // @ts-expect-error TS2345 not both
  await logs.createExportTask({ logGroupName: 'g', from: 0, fromTime: 0, to: 1, destination: 'bucket' });
  // @ts-expect-error TS2322 fromTime is from's type (milliseconds)
  await logs.createExportTask({ logGroupName: 'g', fromTime: new Date(), to: 1, destination: 'bucket' });

  // cloudsearchdomain.ts: returnFields for return.
  await csd.search({ query: 'q', returnFields: '_all_fields' });
  await csd.search({ query: 'q', return: '_all_fields' });
  // @ts-expect-error TS2345 not both
  await csd.search({ query: 'q', return: '_score', returnFields: '_score' });
}

export async function filledAndEncoded(): Promise<void> {
  // glacier.ts inject_account_id: accountId defaults to '-'; the checksums are the client's.
  await glacier.listVaults();
  await glacier.describeVault({ vaultName: 'v' });
  await glacier.uploadArchive({ vaultName: 'v', body: Buffer.from('data') });
  await glacier.uploadMultipartPart({ vaultName: 'v', uploadId: 'u', range: 'bytes 0-3/*', body: 'data' });
  await glacier.describeVault({ accountId: '123456789012', vaultName: 'v' });
  // @ts-expect-error TS2741 vaultName is still required
  await glacier.describeVault({ accountId: '-' });

  // EC2 CopySnapshot / RDS: the presigned URL (and EC2's DestinationRegion) are filled.
  await ec2.copySnapshot({ SourceRegion: 'us-west-2', SourceSnapshotId: 'snap-1' });
  await rds.copyDBSnapshot({ SourceDBSnapshotIdentifier: 'arn:aws:rds:us-west-2:1:snapshot:s', TargetDBSnapshotIdentifier: 't', SourceRegion: 'us-west-2' });

  // ec2.ts / autoscaling.ts base64_encode_user_data: the script itself, as text or bytes.
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, ImageId: 'ami-1', UserData: '#!/bin/sh\necho hi' });
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, ImageId: 'ami-1', UserData: Buffer.from('#!/bin/sh') });
  await autoscaling.createLaunchConfiguration({ LaunchConfigurationName: 'lc', UserData: new Uint8Array([35, 33]) });
  // @ts-expect-error TS2322 UserData is text or bytes
  await ec2.runInstances({ MinCount: 1, MaxCount: 1, UserData: 1 });
}

export async function decodedOutputs(): Promise<void> {
  // iam.ts json_decode_policies: policy documents come back parsed (or as text, not being JSON).
  const policy = await iam.getRolePolicy({ RoleName: 'r', PolicyName: 'p' });
  const doc = policy.PolicyDocument;
  if (typeof doc !== 'string') console.log(doc.Version, doc['Statement']);
  const role = await iam.getRole({ RoleName: 'r' });
  const trust: Record<string, unknown> | string | undefined = role.Role.AssumeRolePolicyDocument;
  const version = await iam.getPolicyVersion({ PolicyArn: 'arn', VersionId: 'v1' });
  console.log(trust, version.PolicyVersion?.Document);
  // Inputs are still the JSON text.
  await iam.putRolePolicy({ RoleName: 'r', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) });
  // @ts-expect-error TS2322 a policy sent is text
  await iam.putRolePolicy({ RoleName: 'r', PolicyName: 'p', PolicyDocument: { Version: '2012-10-17' } });
  // @ts-expect-error TS2322 a policy received may be an object
  const text: string = policy.PolicyDocument;

  // cloudformation.ts json_decode_template_body.
  const template = await cfn.getTemplate({ StackName: 's' });
  const body = template.TemplateBody;
  const resources: unknown = typeof body === 'object' ? body.Resources : undefined;
  // @ts-expect-error TS2322 a JSON template comes back parsed
  const yaml: string | undefined = template.TemplateBody;
  console.log(text, resources, yaml);

  // Lambda Invoke's blob payload is a StreamingBody (botocore's has_streaming_output).
  const invoked = await lambda.invoke({ FunctionName: 'f', Payload: JSON.stringify({ a: 1 }) });
  const payload: string | undefined = await invoked.Payload?.text();
  console.log(payload);
  // @ts-expect-error TS2322 the payload is a stream to read, not bytes
  const bytes: Uint8Array | undefined = invoked.Payload;
  console.log(bytes);
}

export async function serviceAliases(): Promise<void> {
  // common.ts SERVICE_NAME_ALIASES: botocore's old name is the SageMaker Runtime client.
  const runtime: SageMakerRuntimeClient = client('runtime.sagemaker', { region: 'us-east-1' });
  await runtime.invokeEndpoint({ EndpointName: 'e', Body: '{}' });
  // @ts-expect-error TS2339 the alias's client is SageMaker Runtime's, not SageMaker's
  await client('runtime.sagemaker').createEndpoint({ EndpointName: 'e', EndpointConfigName: 'c' });
  // @ts-expect-error TS2345 only botocore's aliases: not any dotted name
  client('runtime.lex');
}
