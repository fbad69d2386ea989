/** The query protocol (STS, IAM, SNS, SES) and the ec2 protocol end to end on moto. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientError, Session, type Client } from 'inia';
import { motoForFile } from '../helpers/moto.js';

const moto = motoForFile(Session);
const make = (service: string): Client => moto.client(service);

interface Meta {
  RequestId?: string;
  HTTPStatusCode: number;
  HTTPHeaders: Record<string, string>;
  RetryAttempts: number;
}

describe('query protocol on moto', () => {
  it('sts: GetCallerIdentity', async () => {
    const sts = make('sts');
    const identity = await sts.getCallerIdentity({});
    assert.match(String(identity.Account), /^\d{12}$/);
    assert.match(String(identity.Arn), /^arn:aws:/);
    const meta = identity.ResponseMetadata as Meta;
    assert.equal(meta.HTTPStatusCode, 200);
    assert.equal(meta.RetryAttempts, 0);
    assert.equal(typeof meta.RequestId, 'string');
  });

  it('iam: creates and lists users; a missing user is NoSuchEntity', async () => {
    const iam = make('iam');
    const created = await iam.createUser({ UserName: 'ada lovelace', Path: '/engineers/', Tags: [{ Key: 'team', Value: 'a&b' }] });
    const user = created.User as { UserName: string; Path: string; Arn: string; CreateDate: Date };
    assert.equal(user.UserName, 'ada lovelace');
    assert.equal(user.Path, '/engineers/');
    assert.ok(user.CreateDate instanceof Date, 'timestamps are Dates');

    await iam.createUser({ UserName: 'grace' });
    const listed = await iam.listUsers({});
    const names = (listed.Users as Array<{ UserName: string }>).map((u) => u.UserName).sort();
    assert.deepEqual(names, ['ada lovelace', 'grace']);
    assert.equal(listed.IsTruncated, false);
    const filtered = await iam.listUsers({ PathPrefix: '/engineers/' });
    assert.deepEqual((filtered.Users as Array<{ UserName: string }>).map((u) => u.UserName), ['ada lovelace']);

    const tags = await iam.listUserTags({ UserName: 'ada lovelace' });
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a&b' }]);

    await assert.rejects(iam.getUser({ UserName: 'nobody' }), (error: unknown) => {
      assert.ok(error instanceof ClientError);
      assert.ok(error instanceof iam.exceptions.NoSuchEntityException!, 'the modeled exception class');
      assert.equal(error.code, 'NoSuchEntity');
      assert.equal(error.response.Error.Code, 'NoSuchEntity');
      assert.equal(error.response.Error.Type, 'Sender');
      assert.match(error.response.Error.Message, /nobody/);
      assert.equal(error.response.ResponseMetadata.HTTPStatusCode, 404);
      assert.equal(error.operationName, 'GetUser');
      assert.match(error.message, /^An error occurred \(NoSuchEntity\) when calling the GetUser operation: /);
      return true;
    });
  });

  it('sns: creates and lists topics, with attributes (a map)', async () => {
    const sns = make('sns');
    const { TopicArn } = await sns.createTopic({ Name: 'orders', Attributes: { DisplayName: 'Orders & more' } });
    assert.match(String(TopicArn), /:orders$/);
    const listed = await sns.listTopics({});
    assert.deepEqual((listed.Topics as Array<{ TopicArn: string }>).map((t) => t.TopicArn), [TopicArn]);
    const attributes = await sns.getTopicAttributes({ TopicArn });
    assert.equal((attributes.Attributes as Record<string, string>).DisplayName, 'Orders & more');
    const published = await sns.publish({ TopicArn, Message: 'hello wörld + spaces', Subject: 'hi' });
    assert.equal(typeof published.MessageId, 'string');
  });

  it('ses: creates and lists templates', async () => {
    const ses = make('ses');
    await ses.createTemplate({ Template: { TemplateName: 'welcome', SubjectPart: 'Hi {{name}}', TextPart: 'Welcome, {{name}}!', HtmlPart: '<p>Welcome</p>' } });
    const listed = await ses.listTemplates({});
    const metadata = listed.TemplatesMetadata as Array<{ Name: string; CreatedTimestamp: Date }>;
    assert.deepEqual(metadata.map((t) => t.Name), ['welcome']);
    assert.ok(metadata[0]!.CreatedTimestamp instanceof Date);
    const got = await ses.getTemplate({ TemplateName: 'welcome' });
    assert.equal((got.Template as { HtmlPart: string }).HtmlPart, '<p>Welcome</p>');
  });
});

describe('ec2 protocol on moto', () => {
  it('describes regions', async () => {
    const ec2 = make('ec2');
    const { Regions } = await ec2.describeRegions({});
    const names = (Regions as Array<{ RegionName: string; Endpoint: string }>).map((r) => r.RegionName);
    assert.ok(names.includes('us-east-1'));
    assert.ok(names.includes('eu-west-1'));
    const filtered = await ec2.describeRegions({ RegionNames: ['eu-west-1'] });
    assert.deepEqual((filtered.Regions as Array<{ RegionName: string }>).map((r) => r.RegionName), ['eu-west-1']);
  });

  it('runs, describes and terminates an instance', async () => {
    const ec2 = make('ec2');
    const images = await ec2.describeImages({ Owners: ['amazon'] });
    const imageId = (images.Images as Array<{ ImageId: string }>)[0]!.ImageId;
    assert.match(imageId, /^ami-/);

    const run = await ec2.runInstances({
      ImageId: imageId,
      MinCount: 1,
      MaxCount: 1,
      InstanceType: 't3.micro',
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web 1' }] }],
    });
    const instance = (run.Instances as Array<{ InstanceId: string; LaunchTime: Date; State: { Name: string } }>)[0]!;
    assert.match(instance.InstanceId, /^i-/);
    assert.ok(instance.LaunchTime instanceof Date);
    assert.equal(typeof (run.ResponseMetadata as Meta).RequestId, 'string');

    const described = await ec2.describeInstances({ Filters: [{ Name: 'tag:Name', Values: ['web 1'] }] });
    const reservations = described.Reservations as Array<{ Instances: Array<{ InstanceId: string; InstanceType: string; Tags: Array<{ Key: string; Value: string }> }> }>;
    assert.equal(reservations.length, 1);
    const found = reservations[0]!.Instances[0]!;
    assert.equal(found.InstanceId, instance.InstanceId);
    assert.equal(found.InstanceType, 't3.micro');
    assert.deepEqual(found.Tags, [{ Key: 'Name', Value: 'web 1' }]);

    const terminated = await ec2.terminateInstances({ InstanceIds: [instance.InstanceId] });
    const change = (terminated.TerminatingInstances as Array<{ InstanceId: string; CurrentState: { Name: string } }>)[0]!;
    assert.equal(change.InstanceId, instance.InstanceId);
    assert.ok(['shutting-down', 'terminated'].includes(change.CurrentState.Name));
  });

  it('reports an ec2 error with its code and request id', async () => {
    const ec2 = make('ec2');
    await assert.rejects(ec2.describeInstances({ InstanceIds: ['i-0123456789abcdef0'] }), (error: unknown) => {
      assert.ok(error instanceof ClientError);
      assert.equal(error.code, 'InvalidInstanceID.NotFound');
      assert.match(error.response.Error.Message, /i-0123456789abcdef0/);
      assert.equal(typeof error.response.ResponseMetadata.RequestId, 'string');
      return true;
    });
  });
});
