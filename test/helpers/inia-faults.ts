/**
 * Runs fault cases (test/helpers/botocore-faults.ts FaultCase) through inia against the fault
 * server, and reports them in the botocore driver's terms, so the two can be compared field
 * by field. Backoff: the caller pins Math.random to 0, as the driver zeroes botocore's.
 */
import { Config, Session, type Client } from '../../src/index.js';
import { methodName } from '../../src/client.js';
import { ClientError } from '../../src/errors.js';
import type { FaultCase } from './botocore-faults.js';
import { EMPTY_ENV } from './env.js';
import type { FaultServer } from './fault-server.js';

export interface IniaFaultResult {
  attempts: number;
  outcome: 'ok' | 'error';
  /** 'ClientError' for any service error (as the driver reports it), else the error's class name. */
  error_class: string | null;
  error_code: string | null;
  retry_attempts: number | null;
  max_attempts_reached: boolean | null;
  body_bytes: number | null;
  /** The data inia returned (to check nothing corrupt came back). */
  result: Record<string, unknown> | null;
  error: unknown;
}

/** {"__bytes__": text} (the driver's bytes marker) becomes a Buffer. */
function toParams(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toParams);
  if (typeof value !== 'object' || value === null) return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === '__bytes__') return Buffer.from(String(obj.__bytes__), 'utf8');
  return Object.fromEntries(keys.map((k) => [k, toParams(obj[k])]));
}

export function faultClient(server: FaultServer, c: FaultCase): Client {
  const retries: Record<string, unknown> = { mode: c.retries.mode };
  if (c.retries.max_attempts !== undefined) retries.maxAttempts = c.retries.max_attempts;
  if (c.retries.total_max_attempts !== undefined) retries.totalMaxAttempts = c.retries.total_max_attempts;
  return new Session({ env: { ...EMPTY_ENV } }).client(c.service, {
    region: 'us-east-1',
    endpointUrl: server.url,
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'SECRET' },
    config: new Config({
      retries,
      s3: { addressingStyle: 'path' },
      ...(c.read_timeout !== undefined ? { readTimeout: c.read_timeout } : {}),
      ...(c.connect_timeout !== undefined ? { connectTimeout: c.connect_timeout } : {}),
    }),
  });
}

export async function runIniaFault(server: FaultServer, c: FaultCase, client = faultClient(server, c)): Promise<IniaFaultResult> {
  server.setScript(c.script);
  const method = (client as unknown as Record<string, (p: unknown) => Promise<Record<string, unknown>>>)[methodName(c.operation)]!;
  const out: IniaFaultResult = {
    attempts: 0,
    outcome: 'ok',
    error_class: null,
    error_code: null,
    retry_attempts: null,
    max_attempts_reached: null,
    body_bytes: null,
    result: null,
    error: undefined,
  };
  try {
    const result = await method.call(client, toParams(c.params));
    out.result = result;
    const body = result.Body as { read(): Promise<Uint8Array> } | undefined;
    if (body !== undefined) out.body_bytes = (await body.read()).byteLength;
    const meta = result.ResponseMetadata as { RetryAttempts?: number; MaxAttemptsReached?: boolean } | undefined;
    out.retry_attempts = meta?.RetryAttempts ?? null;
    out.max_attempts_reached = meta?.MaxAttemptsReached ?? null;
  } catch (err) {
    out.outcome = 'error';
    out.error = err;
    if (err instanceof ClientError) {
      out.error_class = 'ClientError';
      out.error_code = err.code;
      out.retry_attempts = err.response.ResponseMetadata?.RetryAttempts ?? null;
      out.max_attempts_reached = (err.response.ResponseMetadata as { MaxAttemptsReached?: boolean } | undefined)?.MaxAttemptsReached ?? null;
    } else {
      out.error_class = (err as Error)?.constructor?.name ?? String(err);
    }
  } finally {
    client.destroy();
  }
  out.attempts = server.requests.sinceScript;
  return out;
}
