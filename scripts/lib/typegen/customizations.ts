/**
 * What botocore's per-service customizations (src/customizations/*.ts) change about an
 * operation's inputs and outputs, for the declarations: the model says what goes on the wire,
 * these say what a caller may pass and what a call returns once the handlers have run.
 *
 * Where the runtime's rule is data (a list of operations it exports), the table is built from
 * that list, so the two cannot drift; where the rule is code, the entry is written out here,
 * with the file that causes it. service.ts applies the table; it refuses (throws) an entry
 * whose operation, member or shape the model does not have, so a model update that moves a
 * member is an error at build time, not a silently wrong type.
 */
import { SERVICE_NAME_ALIASES } from '../../../src/customizations/common.js';
import { SSE_MD5_OPERATIONS } from '../../../src/customizations/s3-params-events.js';
import { EXPIRES_OPERATIONS } from '../../../src/customizations/s3-xml-events.js';

/** How one member of an operation's input or output is declared instead of the model's way. */
export interface MemberOverride {
  /** The member's type: a type expression, or a function of the model's type expression. */
  type?: string | ((modelType: string) => string);
  /** In an input: optional whatever the model says (a handler fills it). */
  optional?: true;
  /** In an output: a member the model does not have, added by a handler (always optional). */
  added?: true;
  /** Set when the model may lack the member (then the entry does nothing): a rule over many operations. */
  ifPresent?: true;
}

/** A parameter alias: `alias` is accepted instead of `original` (never both). */
export interface ParameterAlias {
  original: string;
  alias: string;
}

export interface OperationCustomization {
  input?: Readonly<Record<string, MemberOverride>>;
  output?: Readonly<Record<string, MemberOverride>>;
  aliases?: readonly ParameterAlias[];
}

/** Per service (the models/ folder name), per operation name; '*' is every operation of the service. */
export type CustomizationTable = Readonly<Record<string, Readonly<Record<string, OperationCustomization>>>>;

/** Text or bytes: what the handlers that encode a member themselves take (Uint8Array and Buffer; other views are refused by validation). */
const TEXT_OR_BYTES = 'string | Uint8Array';

/** s3-params.ts handle_copy_source_param: the 'bucket/key?versionId=v' string, or its parts. */
const COPY_SOURCE = 'string | { Bucket: string; Key: string; VersionId?: string }';

/** s3-params.ts sse_md5 / copy_source_sse_md5: the key as text or bytes; the client computes the MD5 (already optional in the model). */
const SSE_KEY: OperationCustomization['input'] = { SSECustomerKey: { type: TEXT_OR_BYTES }, SSECustomerKeyMD5: { optional: true } };
const COPY_SSE_KEY: OperationCustomization['input'] = { CopySourceSSECustomerKey: { type: TEXT_OR_BYTES }, CopySourceSSECustomerKeyMD5: { optional: true } };

/** presigned-url.ts injectPresignedUrlRds: the operations whose PreSignedUrl the client fills (its RDS_FAMILY). */
const PRESIGNED_URL_RDS: Readonly<Record<string, readonly string[]>> = {
  rds: ['CopyDBClusterSnapshot', 'CreateDBCluster', 'CopyDBSnapshot', 'CreateDBInstanceReadReplica', 'StartDBInstanceAutomatedBackupsReplication'],
  neptune: ['CopyDBClusterSnapshot', 'CreateDBCluster'],
  docdb: ['CopyDBClusterSnapshot', 'CreateDBCluster'],
};

function s3Table(): Record<string, OperationCustomization> {
  const ops: Record<string, { input: Record<string, MemberOverride>; output?: Record<string, MemberOverride> }> = {};
  const input = (op: string): Record<string, MemberOverride> => (ops[op] ??= { input: {} }).input;
  // s3-params.ts: SSE_MD5_OPERATIONS, and the copies' source key too.
  for (const op of SSE_MD5_OPERATIONS) Object.assign(input(op), SSE_KEY);
  for (const op of ['CopyObject', 'UploadPartCopy']) Object.assign(input(op), COPY_SSE_KEY, { CopySource: { type: COPY_SOURCE } });
  // s3-xml.ts handle_expires_header: the Expires header's text, whether or not it read as a date.
  for (const op of EXPIRES_OPERATIONS) (ops[op] ??= { input: {} }).output = { ExpiresString: { type: 'string', added: true } };
  // s3-xml.ts parse_get_bucket_location: an empty LocationConstraint (us-east-1) is null.
  (ops.GetBucketLocation ??= { input: {} }).output = { LocationConstraint: { type: (t) => `${t} | null` } };
  return ops;
}

/** The table the generator applies. */
export const CUSTOMIZATIONS: CustomizationTable = {
  s3: s3Table(),
  ec2: {
    // ec2.ts: registerParameterAlias('ec2.*', 'Filter', 'Filters'), on the operations whose input has Filter.
    '*': { aliases: [{ original: 'Filter', alias: 'Filters' }] },
    // ec2.ts base64_encode_user_data.
    RunInstances: { input: { UserData: { type: TEXT_OR_BYTES } } },
    // presigned-url.ts injectPresignedUrlEc2 fills both (optional in the model already).
    CopySnapshot: { input: { PresignedUrl: { optional: true }, DestinationRegion: { optional: true } } },
  },
  // autoscaling.ts: the same base64_encode_user_data.
  autoscaling: { CreateLaunchConfiguration: { input: { UserData: { type: TEXT_OR_BYTES } } } },
  glacier: {
    // glacier.ts inject_account_id: '-' (the caller's account) when not given.
    '*': { input: { accountId: { optional: true, ifPresent: true } } },
    // glacier.ts add_glacier_checksums fills the tree hash (optional in the model already).
    UploadArchive: { input: { checksum: { optional: true } } },
    UploadMultipartPart: { input: { checksum: { optional: true } } },
  },
  // logs.ts: registerParameterAlias('cloudwatch-logs.CreateExportTask', 'from', 'fromTime').
  logs: { CreateExportTask: { aliases: [{ original: 'from', alias: 'fromTime' }] } },
  // cloudsearchdomain.ts: registerParameterAlias('cloudsearch-domain.Search', 'return', 'returnFields').
  cloudsearchdomain: { Search: { aliases: [{ original: 'return', alias: 'returnFields' }] } },
  // cloudformation.ts json_decode_template_body: a JSON template comes back parsed.
  cloudformation: { GetTemplate: { output: { TemplateBody: { type: 'string | Record<string, unknown>' } } } },
  ...Object.fromEntries(
    Object.entries(PRESIGNED_URL_RDS).map(([service, ops]) => [service, Object.fromEntries(ops.map((op) => [op, { input: { PreSignedUrl: { optional: true } } }]))]),
  ),
};

/**
 * Output members decoded by shape, wherever an output's structures (and lists of them) hold
 * one: service -> shape name -> type. iam.ts json_decode_policies keys on the shape name
 * policyDocumentType alone (a string member of that shape, not a list item, not inside a map);
 * the policy comes back parsed, or as its text when that is not JSON.
 */
export const OUTPUT_SHAPE_TYPES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  iam: { policyDocumentType: 'Record<string, unknown> | string' },
};

/** common.ts SERVICE_NAME_ALIASES: names client() also takes, typed as the service's client (alias -> service). */
export const SERVICE_ALIASES: Readonly<Record<string, string>> = SERVICE_NAME_ALIASES;
