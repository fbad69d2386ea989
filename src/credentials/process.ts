/**
 * Credentials printed by a program, as botocore's ProcessProvider: the profile's
 * `credential_process` is split into arguments as a POSIX shell would (botocore's shlex.split),
 * run without a shell, and its standard output read as JSON (`Version` 1, `AccessKeyId`,
 * `SecretAccessKey`, optional `SessionToken`, `Expiration`, `AccountId`). With an Expiration the
 * credentials are refreshable: the program runs again before they expire. Unlike botocore, the
 * run is bounded in time and in output size, so a hung or runaway program cannot hang a client.
 */
import { CredentialRetrievalError, IniaError, InvalidConfigError } from '../errors.js';
import { Credentials } from './credentials.js';
import { RefreshableCredentials } from './refreshable.js';
import { parseTimestamp } from './timestamps.js';
import type { ProfileData } from './types.js';
import type { CredentialProvider, CredentialsData } from './types.js';
import { shlexSplitWithError } from '../config-files.js';
import { childProcess } from '../builtins.js';

export interface ProcessOptions {
  profileName: string;
  profile: ProfileData;
  /** The program's environment. Default process.env (botocore's child inherits it). */
  env?: NodeJS.ProcessEnv;
  /** How long one run may take before it is killed. Default 60 s. */
  timeoutMs?: number;
  /** How much the program may write to stdout. Default 1 MiB. */
  maxOutputBytes?: number;
}

const METHOD = 'custom-process';
export const DEFAULT_PROCESS_TIMEOUT_MS = 60_000;
export const DEFAULT_PROCESS_MAX_OUTPUT = 1024 * 1024;
/** How much of stderr is kept for the error message. */
const STDERR_KEEP_BYTES = 64 * 1024;

// ---------------------------------------------------------------- shlex.split

/** A command line that cannot be split (shlex's ValueError). */
export class ShellSplitError extends IniaError {}

/**
 * Python's shlex.split, as botocore splits the command on POSIX (one implementation, shared
 * with the config file parser's section names).
 */
export function shellSplit(line: string): string[] {
  const words = shlexSplitWithError(line);
  if (!Array.isArray(words)) throw new ShellSplitError(words.error);
  return words;
}

// ---------------------------------------------------------------- running the program

interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
}

interface RunLimits {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes: number;
}

/** Runs argv without a shell; stdin is inherited (a program may prompt, as under botocore). */
function runProgram(argv: string[], limits: RunLimits): Promise<RunResult> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(file, args, { env: limits.env, shell: false, stdio: ['inherit', 'pipe', 'pipe'], windowsHide: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrBytes = 0;
    let failure: CredentialRetrievalError | undefined;
    const stop = (problem: string): void => {
      failure ??= new CredentialRetrievalError(METHOD, problem);
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`the credential process did not finish within ${limits.timeoutMs} ms`), limits.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > limits.maxOutputBytes) stop(`the credential process wrote more than ${limits.maxOutputBytes} bytes to stdout`);
      else stdout.push(chunk);
    });
    // stderr only feeds the error message: the first part is kept, the rest drained.
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderrBytes < STDERR_KEEP_BYTES) stderr.push(chunk.subarray(0, STDERR_KEEP_BYTES - stderrBytes));
      stderrBytes += chunk.length;
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(failure ?? new CredentialRetrievalError(METHOD, `the credential process could not be started: ${err.code ?? err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure !== undefined) return reject(failure);
      resolve({ code, signal, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

// ---------------------------------------------------------------- reading its answer

type ProcessCredentials = CredentialsData & { expiration?: Date | undefined };

/** Python's str() of a JSON value, for the Version message ('2', 'None', 'True'). */
function pythonStr(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** ProcessProvider._retrieve_credentials_using's checks; messages never quote the output (it holds secrets). */
function credentialsOf(stdout: string, profileAccountId: string | undefined): ProcessCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new CredentialRetrievalError(METHOD, 'the credential process did not print a JSON document');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CredentialRetrievalError(METHOD, 'the credential process did not print a JSON object');
  }
  const doc = parsed as Record<string, unknown>;
  const version = 'Version' in doc ? doc.Version : '<Version key not provided>';
  // Python compares with `!= 1`, so 1.0 and true also pass.
  if (version !== 1 && version !== true) {
    throw new CredentialRetrievalError(METHOD, `Unsupported version '${pythonStr(version)}' for credential process provider, supported versions: 1`);
  }
  for (const key of ['AccessKeyId', 'SecretAccessKey'] as const) {
    if (!(key in doc)) throw new CredentialRetrievalError(METHOD, `Missing required key in response: '${key}'`);
    if (typeof doc[key] !== 'string') throw new CredentialRetrievalError(METHOD, `${key} in the credential process output is not a string`);
  }
  return {
    accessKeyId: doc.AccessKeyId as string,
    secretAccessKey: doc.SecretAccessKey as string,
    sessionToken: optionalText(doc, 'SessionToken'),
    expiration: expirationOf(doc.Expiration),
    accountId: optionalText(doc, 'AccountId') || profileAccountId,
  };
}

function optionalText(doc: Record<string, unknown>, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new CredentialRetrievalError(METHOD, `${key} in the credential process output is not a string`);
  return v;
}

function expirationOf(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const at = parseTimestamp(value);
  if (at === undefined) throw new CredentialRetrievalError(METHOD, `Expiration ${JSON.stringify(value)} in the credential process output is not an ISO 8601 timestamp`);
  return new Date(at);
}

// ---------------------------------------------------------------- the provider

export class ProcessProvider implements CredentialProvider {
  readonly method = METHOD;
  readonly #options: ProcessOptions;

  constructor(options: ProcessOptions) {
    this.#options = options;
  }

  /** Null when the profile has no credential_process. */
  async load(): Promise<Credentials | RefreshableCredentials | null> {
    const command = this.#options.profile.credential_process;
    if (command === undefined) return null;
    const argv = this.#argv(command);
    const first = await this.#retrieve(argv);
    if (first.expiration === undefined) return new Credentials(first, METHOD);
    const refresh = async (): Promise<CredentialsData & { expiration: Date }> => {
      const next = await this.#retrieve(argv);
      if (next.expiration === undefined) throw new CredentialRetrievalError(METHOD, 'the refreshed credentials have no Expiration');
      return { ...next, expiration: next.expiration };
    };
    return new RefreshableCredentials({ ...first, expiration: first.expiration }, refresh, METHOD);
  }

  /** The command's arguments; the command itself is never quoted back (it may hold a secret). */
  #argv(command: string | Record<string, string>): string[] {
    const where = `The credential_process of profile "${this.#options.profileName}"`;
    if (typeof command !== 'string') throw new InvalidConfigError(`${where} is a section, not a command line`);
    let argv: string[];
    try {
      argv = shellSplit(command);
    } catch (err) {
      throw new InvalidConfigError(`${where} cannot be split into arguments: ${(err as Error).message}`);
    }
    if (argv.length === 0) throw new InvalidConfigError(`${where} is empty`);
    return argv;
  }

  async #retrieve(argv: string[]): Promise<ProcessCredentials> {
    const result = await runProgram(argv, {
      env: this.#options.env ?? process.env,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS,
      maxOutputBytes: this.#options.maxOutputBytes ?? DEFAULT_PROCESS_MAX_OUTPUT,
    });
    // botocore's error is the program's stderr, as is.
    if (result.code !== 0) throw new CredentialRetrievalError(METHOD, result.stderr);
    const accountId = this.#options.profile.aws_account_id;
    return credentialsOf(result.stdout.toString('utf8'), typeof accountId === 'string' ? accountId : undefined);
  }
}
