/**
 * botocore's add_expect_header for S3: a PUT or POST whose body is a stream or a file is sent
 * with `Expect: 100-continue`, so that S3 can refuse it (a redirect, a denied key, a bad
 * signature) before the bytes go out. botocore makes every PutObject and UploadPart body a
 * file (convert_body_to_file_like_object), so those always carry the header; a
 * WriteGetObjectResponse body given as bytes does not.
 * The transport does the waiting (http/transport.ts).
 */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import { isFileHandle } from '../http/body.js';
import { isReadable } from '../builtins.js';
import type { HttpRequest } from '../http/types.js';
import { BODY_IS_FILE_LIKE } from './s3-params-events.js';

/**
 * botocore registers the handler on every S3 call and lets the method and the body decide;
 * only these operations take a streaming body, so registering on them alone gives the same
 * headers without an extra event on every other S3 call.
 */
const STREAMING_INPUT_OPERATIONS = ['PutObject', 'UploadPart', 'WriteGetObjectResponse'] as const;

/**
 * `env` is the session's environment (botocore's os.environ): where
 * BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE is read, at each call as botocore does. Without one
 * (a registry that hands none), process.env.
 */
export function registerS3ExpectHeader(events: HierarchicalEmitter, env?: NodeJS.ProcessEnv): void {
  const handler = (args: EventArgs): Promise<void> => addExpectHeader(args, env ?? process.env);
  for (const operation of STREAMING_INPUT_OPERATIONS) {
    events.register(`before-call.s3.${operation}`, handler, `s3-add-expect-header-${operation}`);
  }
}

interface ExpectArgs {
  model?: { http?: { method?: string } };
  request?: HttpRequest;
  context?: Record<string, unknown>;
}

/** botocore's utils.ensure_boolean on an environment string. */
function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.toLowerCase() === 'true';
}

export async function addExpectHeader(args: EventArgs, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { model, request, context } = args as EventArgs & ExpectArgs;
  const method = model?.http?.method ?? '';
  if (method !== 'PUT' && method !== 'POST') return;
  if (request === undefined) return;
  const body: unknown = request.body;
  // botocore: any file-like object (hasattr(body, 'read')), whatever its size; a PutObject or
  // UploadPart body given as bytes or a string is one there too (convert_body_to_file_like_object,
  // s3-params.ts).
  const fileLike = isReadable(body) || isFileHandle(body) || context?.[BODY_IS_FILE_LIKE] === true;
  if (!fileLike) return;
  // botocore's opt-in BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE: no 100-continue for a body known to be empty.
  if (isTrue(env.BOTO_EXPERIMENTAL__NO_EMPTY_CONTINUE)) {
    const length = request.headers['content-length'];
    if (length === '0') return;
    if (length === undefined && (body === undefined || body === '' || (body instanceof Uint8Array && body.byteLength === 0))) return;
    if (length === undefined && isFileHandle(body) && (await body.stat()).size === 0) return;
  }
  request.headers.expect = '100-continue';
}
