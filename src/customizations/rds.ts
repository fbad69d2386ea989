/**
 * RDS's IAM database authentication token (botocore's add_generate_db_auth_token):
 * `await client('rds').generateDbAuthToken({ DBHostname, Port, DBUsername, Region? })` is the
 * password a database client sends. It is a presigned `connect` request to the database's own
 * host, without the scheme: `host:port/?Action=connect&DBUser=...&X-Amz-...`, signed for the
 * service `rds-db`, valid 15 minutes. Nothing is sent. Added to RDS clients only, through
 * creating-client-class.rds, as botocore does; DSQL's tokens (dsql.ts) are made the same way.
 */
import type { QueryValue } from '../auth/sigv4-query.js';
import { clientContext, type BaseClient } from '../client.js';
import { NoRegionError, ParamValidationError } from '../errors.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';
import { MAX_PRESIGN_EXPIRES } from '../presign-options.js';

export interface GenerateDbAuthTokenParams {
  /** The database's host name (the instance or cluster endpoint). */
  DBHostname: string;
  /** The port the database listens on. */
  Port: number;
  /** The database user to log in as. */
  DBUsername: string;
  /** The database's region; default the client's. */
  Region?: string;
}

export function registerRdsClientClass(events: HierarchicalEmitter): void {
  events.register('creating-client-class.rds', addGenerateDbAuthToken, 'rds-generate-db-auth-token');
}

function addGenerateDbAuthToken(args: EventArgs): void {
  const attributes = args.classAttributes as Record<string, unknown>;
  attributes.generateDbAuthToken = function (this: BaseClient, params: GenerateDbAuthTokenParams): Promise<string> {
    return generateDbAuthToken(this, params);
  };
}

const RDS_PARAMS = ['DBHostname', 'Port', 'DBUsername', 'Region'];

/** botocore's generate_db_auth_token. */
export async function generateDbAuthToken(client: BaseClient, params: GenerateDbAuthTokenParams): Promise<string> {
  const problems = checkParams(params, RDS_PARAMS, ['DBHostname', 'Port', 'DBUsername']);
  const input = params as unknown as Record<string, unknown>;
  if (isRecord(params)) {
    checkString(input, 'DBHostname', problems);
    checkString(input, 'DBUsername', problems, true);
    checkString(input, 'Region', problems);
    const port = input.Port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      problems.push(`Invalid value for parameter Port, value: ${JSON.stringify(port)}, valid values: a whole number from 1 to 65535`);
    }
  }
  throwIfAny(problems);
  return presignAuthToken(client, {
    where: 'DBHostname',
    host: `${params.DBHostname}:${params.Port}`,
    members: new Map([['Action', 'connect'], ['DBUser', params.DBUsername]]),
    region: params.Region,
    signingName: 'rds-db',
    expiresIn: 900,
  });
}

export interface AuthTokenRequest {
  /** The parameter the host came from, for errors. */
  where: string;
  /** host or host:port, as the token starts. */
  host: string;
  members: ReadonlyMap<string, QueryValue>;
  region: string | undefined;
  signingName: string;
  expiresIn: number;
}

/**
 * A presigned GET of https://<host>/ with `members` in the query, returned without its scheme
 * (the database protocols carry it as a password). As botocore signs it: the host header is
 * the lowercase host without a default port, while the token keeps the host as given. The
 * signing time is the client's signing clock (the clock its calls are signed with).
 */
export async function presignAuthToken(client: BaseClient, token: AuthTokenRequest): Promise<string> {
  const ctx = clientContext(client);
  const region = token.region ?? ctx.region;
  if (region === undefined || region === '') throw new NoRegionError();
  let url: URL | undefined;
  try {
    url = new URL(`https://${token.host}/`);
  } catch {
    url = undefined;
  }
  // Only a host (and port): a path, query or user part would change what is signed.
  if (url === undefined || url.hostname === '' || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '' || /[/?#@\s]/.test(token.host)) {
    throw new ParamValidationError(`Invalid value for parameter ${token.where}, value: ${JSON.stringify(token.host)}, valid values: a host name`);
  }
  const request: HttpRequest = {
    method: 'GET',
    protocol: 'https:',
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: '/',
    query: '',
    headers: {},
    body: undefined,
  };
  const credentials = await ctx.credentials.get();
  // The query signer is loaded with the first token (it is the request path's code, not the client's).
  const { presignRequest } = await import('../auth/sigv4-query.js');
  presignRequest(request, credentials, {
    region,
    service: token.signingName,
    expiresIn: token.expiresIn,
    date: ctx.signingClock.now(),
    s3: false,
    bodyParams: token.members,
  });
  return `${token.host}/?${request.query}`;
}

// ---------------------------------------------------------------- input checks, shared with dsql.ts

/** Unknown and missing parameters, worded as botocore's validator words them. */
export function checkParams(params: unknown, known: readonly string[], required: readonly string[]): string[] {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return [`Invalid type for parameter input, value: ${JSON.stringify(params) ?? String(params)}, type: ${params === null ? 'null' : Array.isArray(params) ? 'array' : typeof params}, valid types: object`];
  }
  const problems: string[] = [];
  const record = params as Record<string, unknown>;
  for (const name of required) if (record[name] === undefined || record[name] === null) problems.push(`Missing required parameter in input: "${name}"`);
  for (const key of Object.keys(record)) if (!known.includes(key)) problems.push(`Unknown parameter in input: "${key}", must be one of: ${known.join(', ')}`);
  return problems;
}

/** A string parameter when present; `allowEmpty` for a value a service may accept empty. */
export function checkString(params: Record<string, unknown>, name: string, problems: string[], allowEmpty = false): void {
  const value = params[name];
  if (value === undefined) return;
  if (typeof value !== 'string') problems.push(`Invalid type for parameter ${name}, value: ${JSON.stringify(value) ?? String(value)}, type: ${typeof value}, valid types: string`);
  else if (!allowEmpty && value === '') problems.push(`Invalid length for parameter ${name}, value: 0, valid min length: 1`);
}

export function checkExpiresIn(params: Record<string, unknown>, problems: string[]): void {
  const value = params.ExpiresIn;
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PRESIGN_EXPIRES) {
    problems.push(`Invalid value for parameter ExpiresIn, value: ${JSON.stringify(value) ?? String(value)}, valid values: a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES}`);
  }
}

export function throwIfAny(problems: readonly string[]): void {
  if (problems.length > 0) throw new ParamValidationError(problems.join('\n'));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
