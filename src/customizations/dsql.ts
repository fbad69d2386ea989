/**
 * Aurora DSQL's authentication tokens (botocore's add_dsql_generate_db_auth_token_methods):
 * `generateDbConnectAuthToken` (action DbConnect, a custom database role) and
 * `generateDbConnectAdminAuthToken` (DbConnectAdmin, the admin role), each
 * `({ Hostname, Region?, ExpiresIn? })`: a presigned GET of the cluster's endpoint without the
 * scheme, `host/?Action=DbConnect&X-Amz-...`, signed for the service `dsql`, valid 900 seconds
 * unless ExpiresIn says otherwise. Added to DSQL clients only (creating-client-class.dsql).
 */
import type { BaseClient } from '../client.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import { checkExpiresIn, checkParams, checkString, isRecord, presignAuthToken, throwIfAny } from './rds.js';

export interface GenerateDsqlAuthTokenParams {
  /** The cluster's endpoint host name. */
  Hostname: string;
  /** The cluster's region; default the client's. */
  Region?: string;
  /** Seconds the token stays valid: a whole number from 1 to 604800. Default 900. */
  ExpiresIn?: number;
}

export function registerDsqlClientClass(events: HierarchicalEmitter): void {
  events.register('creating-client-class.dsql', addDsqlAuthTokenMethods, 'dsql-generate-db-auth-token');
}

function addDsqlAuthTokenMethods(args: EventArgs): void {
  const attributes = args.classAttributes as Record<string, unknown>;
  attributes.generateDbConnectAuthToken = function (this: BaseClient, params: GenerateDsqlAuthTokenParams): Promise<string> {
    return generateDsqlAuthToken(this, 'DbConnect', params);
  };
  attributes.generateDbConnectAdminAuthToken = function (this: BaseClient, params: GenerateDsqlAuthTokenParams): Promise<string> {
    return generateDsqlAuthToken(this, 'DbConnectAdmin', params);
  };
}

const DSQL_PARAMS = ['Hostname', 'Region', 'ExpiresIn'];

/** botocore's _dsql_generate_db_auth_token for one of its two actions. */
export async function generateDsqlAuthToken(client: BaseClient, action: 'DbConnect' | 'DbConnectAdmin', params: GenerateDsqlAuthTokenParams): Promise<string> {
  const problems = checkParams(params, DSQL_PARAMS, ['Hostname']);
  const input = params as unknown as Record<string, unknown>;
  if (isRecord(params)) {
    checkString(input, 'Hostname', problems);
    checkString(input, 'Region', problems);
    checkExpiresIn(input, problems);
  }
  throwIfAny(problems);
  return presignAuthToken(client, {
    where: 'Hostname',
    host: params.Hostname,
    members: new Map([['Action', action]]),
    region: params.Region,
    signingName: 'dsql',
    expiresIn: params.ExpiresIn ?? 900,
  });
}
