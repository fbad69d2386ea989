// Shapes beyond plain structures: tagged unions, recursion, documents, longs, event streams,
// modeled error fields, and the helper types a user names. Misuses are marked as in clients.ts.
import { client, Stubber, type ServiceClient } from 'inia';
import type { ContentBlock, Message, ToolSpecification } from 'inia/types/bedrock-runtime';
import type { Expression } from 'inia/types/ce';

const bedrock = client('bedrock-runtime');
const ce = client('ce');
const logs = client('logs');
const s3: ServiceClient<'s3'> = client('s3');

export async function unions(): Promise<void> {
  // A tagged union takes exactly one of its members.
  const text: ContentBlock = { text: 'hello' };
  const message: Message = { role: 'user', content: [text, { image: { format: 'png', source: { bytes: new Uint8Array(4) } } }] };
  const tool: ToolSpecification = { name: 't', inputSchema: { json: { type: 'object', properties: { a: { type: 'string' } } } } };
  const reply = await bedrock.converse({ modelId: 'm', messages: [message], toolConfig: { tools: [{ toolSpec: tool }] }, additionalModelRequestFields: { top_k: 5 } });
  // In outputs a union is an object whose members are all optional.
  for (const block of reply.output?.message?.content ?? []) console.log(block.text ?? block.toolUse?.name);
  console.log(reply.usage?.inputTokens, reply.stopReason);

  // @ts-expect-error TS2322 two members of a union at once
  const both: ContentBlock = { text: 'a', image: { format: 'png', source: { bytes: new Uint8Array(1) } } };
  // @ts-expect-error TS2322 none of a union's members
  const none: ContentBlock = {};
  // @ts-expect-error TS2561 a member the union does not have
  const other: ContentBlock = { txt: 'a' };
  // @ts-expect-error TS2322 the role is an enum of strings
  const badRole: Message = { role: 7, content: [] };
  console.log(both, none, other, badRole);
}

export async function recursion(): Promise<void> {
  // A shape that contains itself.
  const filter: Expression = { And: [{ Dimensions: { Key: 'SERVICE', Values: ['Amazon S3'] } }, { Not: { Or: [{ Tags: { Key: 'team' } }] } }] };
  const cost = await ce.getCostAndUsage({ TimePeriod: { Start: '2026-01-01', End: '2026-02-01' }, Granularity: 'MONTHLY', Metrics: ['BlendedCost'], Filter: filter });
  console.log(cost.ResultsByTime?.[0]?.Total?.['BlendedCost']?.Amount);
  // @ts-expect-error TS2322 deep inside the recursion, still checked
  await ce.getCostAndUsage({ TimePeriod: { Start: 'a', End: 'b' }, Granularity: 'DAILY', Metrics: [], Filter: { Not: { Not: { And: 'x' } } } });
}

export async function numbersAndStreams(): Promise<void> {
  // A 64-bit integer may be a bigint where the protocol writes it exactly (rest-xml here)...
  await s3.putObject({ Bucket: 'b', Key: 'k', Body: 'x', ContentLength: 1n });
  await logs.getLogEvents({ logStreamName: 's', startTime: 1700000000000 });
  // @ts-expect-error TS2322 ...but not in JSON, which has no exact form for it
  await logs.getLogEvents({ logStreamName: 's', startTime: 1700000000000n });

  // Event streams are not supported yet: the member's type says so.
  const streamed = await bedrock.converseStream({ modelId: 'm' });
  const never: never = streamed.stream!;
  console.log(never);
}

export async function errors(): Promise<void> {
  try {
    await bedrock.converse({ modelId: 'm' });
  } catch (e) {
    if (e instanceof bedrock.exceptions.ModelErrorException) {
      // The modeled error's members are on the response, as botocore puts them.
      const status: number | undefined = e.response.originalStatusCode;
      console.log(status, e.response.resourceName, e.response.Error.Code);
    }
    if (e instanceof bedrock.exceptions.ThrottlingException) {
      // @ts-expect-error TS2322 a member ThrottlingException does not have is only `unknown`
      const status: number | undefined = e.response.originalStatusCode;
      console.log(status);
    }
  }
}

export function stubbing(): void {
  // The Stubber takes typed clients as it takes untyped ones.
  const stubber = new Stubber(s3).activate();
  stubber.addResponse('listBuckets', { Buckets: [] });
  stubber.deactivate();
}
