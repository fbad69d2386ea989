/**
 * `npm run demo`: a boto3-style quickstart against a local moto server on loopback.
 * No AWS account, no network: moto plays DynamoDB and Secrets Manager.
 */
import { inspect } from 'node:util';
import { ClientError, Session } from 'inia';
import { startMoto } from './lib/moto.js';

function show(title: string, value: unknown): void {
  console.log(`\n== ${title}`);
  console.log(inspect(value, { depth: 8, compact: 4, breakLength: 100, colors: process.stdout.isTTY === true }));
}

async function main(): Promise<void> {
  console.log('starting moto on 127.0.0.1 ...');
  const moto = await startMoto();
  console.log(`moto is listening at ${moto.url}`);
  const session = new Session({
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const ddb = session.client('dynamodb', { endpointUrl: moto.url });
  const secrets = session.client('secretsmanager', { endpointUrl: moto.url });
  try {
    await ddb.createTable({
      TableName: 'Users',
      KeySchema: [
        { AttributeName: 'Team', KeyType: 'HASH' },
        { AttributeName: 'Name', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'Team', AttributeType: 'S' },
        { AttributeName: 'Name', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const table = await ddb.describeTable({ TableName: 'Users' });
    const t = table.Table as { TableName: string; TableStatus: string; CreationDateTime: Date };
    show('dynamodb.describeTable', { TableName: t.TableName, TableStatus: t.TableStatus, CreationDateTime: t.CreationDateTime });

    for (const [name, role] of [['ada', 'admin'], ['grace', 'dev'], ['linus', 'dev']]) {
      await ddb.putItem({ TableName: 'Users', Item: { Team: { S: 'core' }, Name: { S: name! }, Role: { S: role! } } });
    }
    const got = await ddb.getItem({ TableName: 'Users', Key: { Team: { S: 'core' }, Name: { S: 'ada' } } });
    show('dynamodb.getItem', got.Item);

    const devs = await ddb.query({
      TableName: 'Users',
      KeyConditionExpression: 'Team = :t',
      FilterExpression: '#r = :r',
      ExpressionAttributeNames: { '#r': 'Role' },
      ExpressionAttributeValues: { ':t': { S: 'core' }, ':r': { S: 'dev' } },
    });
    show('dynamodb.query (Role = dev)', { Count: devs.Count, Items: devs.Items });

    try {
      await ddb.putItem({ TableName: 'Users', Item: { Team: { S: 'core' }, Name: { S: 'ada' } }, ConditionExpression: 'attribute_not_exists(Team)' });
    } catch (err) {
      if (err instanceof ddb.exceptions.ConditionalCheckFailedException!) show('a conditional put that fails', { name: err.name, code: (err as ClientError).code, message: (err as Error).message });
      else throw err;
    }

    const created = await secrets.createSecret({ Name: 'demo/db-password', SecretString: 's3cr3t!' });
    show('secretsmanager.createSecret', { ARN: created.ARN, VersionId: created.VersionId });
    const secret = await secrets.getSecretValue({ SecretId: 'demo/db-password' });
    show('secretsmanager.getSecretValue', { Name: secret.Name, SecretString: secret.SecretString, CreatedDate: secret.CreatedDate });
    console.log('\ndone.');
  } finally {
    ddb.destroy();
    secrets.destroy();
    await moto.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
