// Under the `inia-lean` condition: typed clients for the services this file imports, the
// untyped Client for the others, and an error for a name inia does not know.
import { client, type Client } from 'inia';
import type {} from 'inia/types/s3';
import type { GetItemInput } from 'inia/types/dynamodb';

const s3 = client('s3');
const ddb = client('dynamodb');
// Not imported: untyped, any operation and parameters.
const sqs: Client = client('sqs');

export async function calls(): Promise<void> {
  const listed = await s3.listObjectsV2({ Bucket: 'b' });
  console.log(listed.Contents?.[0]?.Key);
  const input: GetItemInput = { TableName: 't', Key: { id: { S: '1' } } };
  const item = await ddb.getItem(input);
  console.log(item.Item);
  await sqs.anyOperationAtAll({ Whatever: 1 });

  // @ts-expect-error TS2551 still typed: an operation S3 does not have
  await s3.listObjectV2({ Bucket: 'b' });
  // @ts-expect-error TS2345 still checked: a service inia has no model for
  client('sqs2');
}
