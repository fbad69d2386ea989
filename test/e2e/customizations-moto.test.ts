/**
 * The non-S3 service customizations where moto serves the operations: route53 ids round trip,
 * EC2 UserData and console output, IAM policy documents, CloudFormation templates, Glacier
 * uploads (account id, version and checksum headers).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { Session, type Client } from 'inia';
import { motoForFile } from '../helpers/moto.js';

const moto = motoForFile(Session);

/** Records the headers of each request the client sends (without answering it). */
function recordRequests(client: Client): Array<{ url: string; headers: Record<string, string> }> {
  const sent: Array<{ url: string; headers: Record<string, string> }> = [];
  client.meta.events.register('before-send', (args) => {
    const request = args.request as { url: string; headers: Record<string, string> };
    sent.push({ url: request.url, headers: { ...request.headers } });
  });
  return sent;
}

describe('route53 on moto: ids as returned are accepted as input (fix_route53_ids)', () => {
  it('create, get, change, list and delete with the /hostedzone/ and /change/ ids', async () => {
    const route53 = moto.client('route53');
    const created = (await route53.makeApiCall('CreateHostedZone', { Name: 'inia-h2.example.com', CallerReference: `ref-${Date.now()}` })) as {
      HostedZone: { Id: string };
      ChangeInfo: { Id: string };
    };
    const id = created.HostedZone.Id;
    assert.match(id, /^\/hostedzone\/.+/);
    const got = (await route53.makeApiCall('GetHostedZone', { Id: id })) as { HostedZone: { Id: string; Name: string } };
    assert.equal(got.HostedZone.Id, id);
    assert.equal(got.HostedZone.Name, 'inia-h2.example.com.');
    const changed = (await route53.makeApiCall('ChangeResourceRecordSets', {
      HostedZoneId: id,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'www.inia-h2.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } }] },
    })) as { ChangeInfo: { Id: string; Status: string } };
    assert.ok(changed.ChangeInfo.Id);
    const records = (await route53.makeApiCall('ListResourceRecordSets', { HostedZoneId: id })) as { ResourceRecordSets: Array<{ Name: string; Type: string }> };
    assert.ok(records.ResourceRecordSets.some((r) => r.Name === 'www.inia-h2.example.com.' && r.Type === 'A'));
    // The same id without its prefix reaches the same zone.
    const bare = (await route53.makeApiCall('GetHostedZone', { Id: id.split('/').pop() })) as { HostedZone: { Id: string } };
    assert.equal(bare.HostedZone.Id, id);
    await route53.makeApiCall('ChangeResourceRecordSets', {
      HostedZoneId: id,
      ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: { Name: 'www.inia-h2.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '10.0.0.1' }] } }] },
    });
    await route53.makeApiCall('DeleteHostedZone', { Id: id });
  });
});

describe('ec2 on moto: UserData and console output (base64_encode_user_data, decode_console_output)', () => {
  it('RunInstances sends UserData base64-encoded; DescribeInstanceAttribute returns it so', async () => {
    const ec2 = moto.client('ec2');
    const script = '#!/bin/bash\necho "héllo ☃" > /tmp/inia\n';
    const run = (await ec2.makeApiCall('RunInstances', { ImageId: 'ami-12c6146b', MinCount: 1, MaxCount: 1, UserData: script })) as { Instances: Array<{ InstanceId: string }> };
    const instanceId = run.Instances[0]!.InstanceId;
    const attribute = (await ec2.makeApiCall('DescribeInstanceAttribute', { InstanceId: instanceId, Attribute: 'userData' })) as { UserData: { Value: string } };
    assert.equal(attribute.UserData.Value, Buffer.from(script, 'utf8').toString('base64'));
    assert.equal(Buffer.from(attribute.UserData.Value, 'base64').toString('utf8'), script);

    const console = (await ec2.makeApiCall('GetConsoleOutput', { InstanceId: instanceId })) as { Output: string; InstanceId: string };
    assert.equal(console.InstanceId, instanceId);
    // moto's sample console text, decoded (it is base64 on the wire).
    assert.match(console.Output, /Linux version/);
    assert.doesNotMatch(console.Output, /^[A-Za-z0-9+/=\s]+$/);
    await ec2.makeApiCall('TerminateInstances', { InstanceIds: [instanceId] });
  });

  it('the Filters alias works where the model says Filter (DescribeNatGateways)', async () => {
    const ec2 = moto.client('ec2');
    const out = (await ec2.makeApiCall('DescribeNatGateways', { Filters: [{ Name: 'state', Values: ['available'] }] })) as { NatGateways: unknown[] };
    assert.ok(Array.isArray(out.NatGateways));
  });
});

describe('iam on moto: policy documents come back as objects (json_decode_policies)', () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::inia-h2/a b+c/*' }] };
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

  it('GetRole, GetRolePolicy, GetPolicyVersion and GetAccountAuthorizationDetails', async () => {
    const iam = moto.client('iam');
    const created = (await iam.makeApiCall('CreateRole', { RoleName: 'inia-h2-role', AssumeRolePolicyDocument: JSON.stringify(trust) })) as { Role: { AssumeRolePolicyDocument: unknown } };
    assert.deepEqual(created.Role.AssumeRolePolicyDocument, trust);
    const role = (await iam.makeApiCall('GetRole', { RoleName: 'inia-h2-role' })) as { Role: { AssumeRolePolicyDocument: unknown } };
    assert.deepEqual(role.Role.AssumeRolePolicyDocument, trust);

    await iam.makeApiCall('PutRolePolicy', { RoleName: 'inia-h2-role', PolicyName: 'inline', PolicyDocument: JSON.stringify(policy) });
    const inline = (await iam.makeApiCall('GetRolePolicy', { RoleName: 'inia-h2-role', PolicyName: 'inline' })) as { PolicyDocument: unknown };
    assert.deepEqual(inline.PolicyDocument, policy);

    const managed = (await iam.makeApiCall('CreatePolicy', { PolicyName: 'inia-h2-managed', PolicyDocument: JSON.stringify(policy) })) as { Policy: { Arn: string; DefaultVersionId: string } };
    const version = (await iam.makeApiCall('GetPolicyVersion', { PolicyArn: managed.Policy.Arn, VersionId: managed.Policy.DefaultVersionId })) as { PolicyVersion: { Document: unknown } };
    assert.deepEqual(version.PolicyVersion.Document, policy);

    await iam.makeApiCall('AttachRolePolicy', { RoleName: 'inia-h2-role', PolicyArn: managed.Policy.Arn });
    const details = (await iam.makeApiCall('GetAccountAuthorizationDetails', {})) as {
      RoleDetailList: Array<{ RoleName: string; AssumeRolePolicyDocument: unknown; RolePolicyList: Array<{ PolicyName: string; PolicyDocument: unknown }> }>;
      Policies: Array<{ Arn: string; PolicyVersionList: Array<{ Document: unknown }> }>;
    };
    const detail = details.RoleDetailList.find((r) => r.RoleName === 'inia-h2-role');
    assert.ok(detail);
    assert.deepEqual(detail.AssumeRolePolicyDocument, trust);
    assert.deepEqual(detail.RolePolicyList.find((p) => p.PolicyName === 'inline')?.PolicyDocument, policy);
    // moto leaves PolicyName out of these entries; the ARN names the policy.
    const listed = details.Policies.find((p) => p.Arn === managed.Policy.Arn);
    assert.ok(listed);
    assert.deepEqual(listed.PolicyVersionList[0]?.Document, policy);
  });
});

describe('cloudformation on moto: GetTemplate returns a JSON template parsed (json_decode_template_body)', () => {
  it('a JSON template as an object, a YAML one as text', async () => {
    const cfn = moto.client('cloudformation');
    const template = { AWSTemplateFormatVersion: '2010-09-09', Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'inia-h2-queue' } } } };
    await cfn.makeApiCall('CreateStack', { StackName: 'inia-h2-json', TemplateBody: JSON.stringify(template) });
    const json = (await cfn.makeApiCall('GetTemplate', { StackName: 'inia-h2-json' })) as { TemplateBody: unknown };
    assert.deepEqual(json.TemplateBody, template);

    const yaml = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: inia-h2-yaml\n';
    await cfn.makeApiCall('CreateStack', { StackName: 'inia-h2-yaml', TemplateBody: yaml });
    const text = (await cfn.makeApiCall('GetTemplate', { StackName: 'inia-h2-yaml' })) as { TemplateBody: unknown };
    assert.equal(text.TemplateBody, yaml);
  });
});

describe('glacier on moto: account id "-", version header and checksums', () => {
  it('CreateVault and UploadArchive without accountId; the checksums are the body', async () => {
    const glacier = moto.client('glacier');
    const sent = recordRequests(glacier);
    await glacier.makeApiCall('CreateVault', { vaultName: 'inia-h2-vault' });
    assert.match(sent[0]!.url, /\/-\/vaults\/inia-h2-vault$/);
    assert.equal(sent[0]!.headers['x-amz-glacier-version'], '2012-06-01');

    // Under 1 MiB the tree hash is the plain SHA-256, which moto answers with.
    const small = Buffer.from('archive data ☃'.repeat(1000));
    const uploaded = (await glacier.makeApiCall('UploadArchive', { vaultName: 'inia-h2-vault', body: small, archiveDescription: 'small' })) as { archiveId: string; checksum: string };
    const sha256 = createHash('sha256').update(small).digest('hex');
    assert.equal(uploaded.checksum, sha256);
    const upload = sent.at(-1)!;
    assert.equal(upload.headers['x-amz-content-sha256'], sha256);
    assert.equal(upload.headers['x-amz-sha256-tree-hash'], sha256);

    // Over 1 MiB they differ: the header is the tree hash, moto's answer the body's SHA-256.
    const large = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    const big = (await glacier.makeApiCall('UploadArchive', { vaultName: 'inia-h2-vault', body: large })) as { checksum: string };
    const largeSha = createHash('sha256').update(large).digest('hex');
    assert.equal(big.checksum, largeSha);
    assert.equal(sent.at(-1)!.headers['x-amz-content-sha256'], largeSha);
    assert.notEqual(sent.at(-1)!.headers['x-amz-sha256-tree-hash'], largeSha);

    const vaults = (await glacier.makeApiCall('ListVaults', {})) as { VaultList: Array<{ VaultName: string }> };
    assert.ok(vaults.VaultList.some((v) => v.VaultName === 'inia-h2-vault'));
  });
});
