/**
 * Differential tests of whole calls: the same case through botocore (every handler it registers,
 * test/helpers/botocore_capture.py) and through inia (every customization inia registers), each
 * answered by a before-send handler with the same canned response, so nothing leaves the machine.
 * What a test compares (the URL, the headers a handler touches, the body, the parsed result, the
 * error) is its own choice: signatures and dates differ between two runs by design.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Config, Session, StreamingBody, type ConfigOptions } from 'inia';
import { EMPTY_ENV } from './env.js';
import { repoRoot } from './paths.js';
import { pythonJson } from './python.js';

export interface CapturedRequest {
  method: string;
  url: string;
  /** Lowercase names. */
  headers: Record<string, string>;
  /** Base64 of the body as sent (a stream is read). */
  body: string;
}

export interface CaptureCase {
  service: string;
  /** The model's operation name ('CopyObject'). */
  operation: string;
  /** Values tagged { $bytes: base64 } and { $datetime: iso } are bytes and dates on both sides. */
  params: Record<string, unknown>;
  /** Omit for "no region anywhere" (both sides run with an empty environment). */
  region?: string;
  endpointUrl?: string;
  /** botocore Config keyword arguments (snake_case). Retries default to one attempt on both sides. */
  botocoreConfig?: Record<string, unknown>;
  /** inia Config options for the same. */
  iniaConfig?: ConfigOptions;
  /** The canned answer (default 200, no headers, empty body). */
  response?: { status?: number; headers?: Record<string, string>; body?: string | Uint8Array };
  /** Extra environment on both sides (AWS_LAMBDA_FUNCTION_NAME, ...). */
  env?: Record<string, string>;
  sessionToken?: string;
}

export interface CaptureResult {
  request?: CapturedRequest;
  /** ResponseMetadata dropped; bytes as { $bytes }, dates as { $datetime } (ISO), streams as { $stream }. */
  parsed?: unknown;
  error?: { type: string; message: string; code?: string };
}

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'SECRETEXAMPLE' };

function b64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64');
}

function responseFor(c: CaptureCase): { status: number; headers: Record<string, string>; body: string } {
  const r = c.response ?? {};
  return { status: r.status ?? 200, headers: r.headers ?? {}, body: b64(r.body ?? '') };
}

/** Runs the cases through botocore in one python3 process. */
export function captureBotocore(cases: readonly CaptureCase[]): CaptureResult[] {
  const script = readFileSync(join(repoRoot, 'test', 'helpers', 'botocore_capture.py'), 'utf8');
  const input = cases.map((c) => ({
    service: c.service,
    operation: c.operation,
    params: c.params,
    ...(c.region !== undefined ? { region: c.region } : {}),
    ...(c.endpointUrl !== undefined ? { endpoint_url: c.endpointUrl } : {}),
    ...(c.botocoreConfig !== undefined ? { config: c.botocoreConfig } : {}),
    ...(c.env !== undefined ? { env: c.env } : {}),
    ...(c.sessionToken !== undefined ? { session_token: c.sessionToken } : {}),
    response: responseFor(c),
  }));
  return pythonJson<CaptureResult[]>(script, { what: 'botocore capture driver', input: JSON.stringify(input) });
}

/** The tagged JSON values of a case as inia takes them (Uint8Array, Date). */
export function decodeTagged(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeTagged);
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array) && !(value instanceof Date)) {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === '$bytes') return new Uint8Array(Buffer.from(record.$bytes as string, 'base64'));
    if (keys.length === 1 && keys[0] === '$datetime') return new Date(record.$datetime as string);
    return Object.fromEntries(keys.map((k) => [k, decodeTagged(record[k])]));
  }
  return value;
}

/** inia's parsed values in the driver's tagged JSON (so the two sides compare with deepEqual). */
export async function encodeTagged(value: unknown): Promise<unknown> {
  if (value instanceof StreamingBody) return { $stream: b64(await value.read()) };
  if (value instanceof Uint8Array) return { $bytes: b64(value) };
  if (value instanceof Date) return { $datetime: value.toISOString() };
  if (Array.isArray(value)) return Promise.all(value.map(encodeTagged));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await encodeTagged(v);
    return out;
  }
  return value;
}

async function bodyBase64(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string' || body instanceof Uint8Array) return b64(body);
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks).toString('base64');
  }
  throw new Error(`capture: cannot read a request body of type ${Object.prototype.toString.call(body)}`);
}

/** Runs one case through inia: a fresh Session with an empty environment, a before-send capture. */
export async function captureInia(c: CaptureCase): Promise<CaptureResult> {
  const session = new Session({ env: { ...EMPTY_ENV, ...(c.env ?? {}) } });
  const credentials = c.sessionToken !== undefined ? { ...TEST_CREDENTIALS, sessionToken: c.sessionToken } : TEST_CREDENTIALS;
  const config = new Config({ retries: { totalMaxAttempts: 1 }, ...(c.iniaConfig ?? {}) });
  const result: CaptureResult = {};
  let client;
  try {
    client = session.client(c.service, {
      ...(c.region !== undefined ? { region: c.region } : {}),
      ...(c.endpointUrl !== undefined ? { endpointUrl: c.endpointUrl } : {}),
      credentials,
      config,
    });
  } catch (e) {
    return { error: { type: (e as Error).constructor.name, message: (e as Error).message } };
  }
  const answer = responseFor(c);
  client.meta.events.register('before-send', async (args) => {
    const request = args.request as { method: string; url: string; headers: Record<string, string>; body: unknown };
    // The body is read for the record; the request is not sent, so nothing else needs it.
    result.request = { method: request.method, url: request.url, headers: { ...request.headers }, body: await bodyBase64(request.body) };
    return { statusCode: answer.status, headers: Object.fromEntries(Object.entries(answer.headers).map(([k, v]) => [k.toLowerCase(), v])), body: new Uint8Array(Buffer.from(answer.body, 'base64')) };
  });
  try {
    const parsed = (await client.makeApiCall(c.operation, decodeTagged(c.params) as Record<string, unknown>)) as Record<string, unknown>;
    const { ResponseMetadata: _, ...rest } = parsed;
    result.parsed = await encodeTagged(rest);
  } catch (e) {
    const err = e as Error & { code?: string };
    result.error = { type: err.name, message: err.message, ...(err.code !== undefined ? { code: err.code } : {}) };
  } finally {
    client.destroy();
  }
  return result;
}

/** Both sides of every case: [botocore, inia] pairs, in the cases' order. */
export async function captureBoth(cases: readonly CaptureCase[]): Promise<Array<{ case: CaptureCase; botocore: CaptureResult; inia: CaptureResult }>> {
  const reference = captureBotocore(cases);
  const out = [];
  for (let i = 0; i < cases.length; i++) out.push({ case: cases[i]!, botocore: reference[i]!, inia: await captureInia(cases[i]!) });
  return out;
}

/** The named headers of a captured request (missing ones as undefined), for deepEqual. */
export function pickHeaders(request: CapturedRequest | undefined, names: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(names.map((n) => [n, request?.headers[n.toLowerCase()]]));
}
