/**
 * A moto server that checks signatures: started with INITIAL_NO_AUTH_ACTION_COUNT, moto lets the
 * first N authenticated actions through unchecked and from then on recomputes the SigV4 signature
 * of every request (botocore's SigV4Auth / S3SigV4Auth, fed the request as moto received it) with
 * the secret of the access key it issued through IAM, then checks the key's policies.
 *
 * The free calls are spent here, through inia: CreateUser, CreateAccessKey, CreatePolicy (allow
 * everything) and AttachUserPolicy. Every call after them must be signed with that key.
 *
 * Each client made here tallies the answers it gets, so a test file can say how many calls the
 * server accepted and how many it refused for their signature.
 */
import { after, before } from 'node:test';
import type { Client, Session, SessionOptions } from '../../src/index.js';
import { startMoto, type MotoServer } from '../../scripts/lib/moto.js';
import { EMPTY_ENV } from './env.js';

/** The authenticated actions moto serves unchecked: the four that create the key and its rights. */
export const FREE_CALLS = 4;

/** The access key moto issued, and whose it is. */
export interface IamKey {
  readonly userName: string;
  readonly userArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface Tally {
  /** Answers under 300: moto's signature check passed. */
  accepted: number;
  /** Answers whose body carries one of moto's authentication error codes (or a bodiless 403 to a HEAD). */
  rejected: number;
  /** Any other error answer (the signature passed, the call still failed). */
  other: number;
}

/** moto's codes for a request it would not authenticate (IAM, EC2 and S3 wordings). */
export const AUTH_ERROR_CODES = ['SignatureDoesNotMatch', 'AuthFailure', 'InvalidClientTokenId', 'InvalidAccessKeyId'] as const;

export interface ClientChoice {
  /** Sign with this secret instead of the key's own (the negative control). */
  secretAccessKey?: string;
  /** Sign with other credentials altogether (e.g. an assumed role's, with its session token). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface IamMotoForFile {
  /** Valid once the file's tests run. */
  readonly url: string;
  readonly key: IamKey;
  readonly tally: Tally;
  /**
   * The last error answer a client made here received: its code, message and body, joined (the
   * body shows which auth error moto gave where the protocol's parser finds no code in it: moto
   * answers every service's auth failure in the query protocol's XML).
   */
  readonly lastErrorText: string;
  /** A client for `service` on the server, signed with the key (unless `choice` says otherwise). */
  client(service: string, choice?: ClientChoice): Client;
}

type SessionClass = new (options: SessionOptions) => Session;

function makeClient(SessionCtor: SessionClass, url: string, service: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): Client {
  return new SessionCtor({ env: { ...EMPTY_ENV } }).client(service, { region: 'us-east-1', endpointUrl: url, credentials });
}

const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** Spends moto's free calls on a user, its access key and an allow-everything policy attached to it. */
async function issueKey(SessionCtor: SessionClass, url: string): Promise<IamKey> {
  // Any credentials do while the calls are free; the server does not know these.
  const iam = makeClient(SessionCtor, url, 'iam', { accessKeyId: 'AKIAFREECALLS0000000', secretAccessKey: 'free' });
  try {
    const userName = 'inia-sigv4';
    const user = (await iam.createUser({ UserName: userName })).User as { Arn: string };
    const key = (await iam.createAccessKey({ UserName: userName })).AccessKey as { AccessKeyId: string; SecretAccessKey: string };
    const policy = (await iam.createPolicy({ PolicyName: 'inia-sigv4-admin', PolicyDocument: ADMIN_POLICY })).Policy as { Arn: string };
    await iam.attachUserPolicy({ UserName: userName, PolicyArn: policy.Arn });
    return { userName, userArn: user.Arn, accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  } finally {
    iam.destroy();
  }
}

/** Whether an error answer (its code, message and body, joined) is one of moto's authentication errors. */
export function isAuthError(text: string): boolean {
  return AUTH_ERROR_CODES.some((code) => new RegExp(`(^|[^A-Za-z])${code}([^A-Za-z]|$)`).test(text));
}

/**
 * Starts a signature-checking moto before a test file's tests (and issues the key), stops it after
 * them. Call at the top level of the file. `SessionCtor` is the Session of the build under test.
 */
export function iamMotoForFile(SessionCtor: SessionClass): IamMotoForFile {
  let moto: MotoServer | undefined;
  let key: IamKey | undefined;
  let lastErrorText = '';
  const tally: Tally = { accepted: 0, rejected: 0, other: 0 };
  const clients: Client[] = [];
  before(async () => {
    moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: String(FREE_CALLS) } });
    key = await issueKey(SessionCtor, moto.url);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await moto?.stop();
  });
  return {
    get url(): string {
      if (moto === undefined) throw new Error('moto is not running yet: use url inside a test or hook');
      return moto.url;
    },
    get key(): IamKey {
      if (key === undefined) throw new Error('no key issued yet: use key inside a test or hook');
      return key;
    },
    tally,
    get lastErrorText(): string {
      return lastErrorText;
    },
    client(service: string, choice: ClientChoice = {}): Client {
      const own = this.key;
      const credentials = choice.credentials ?? { accessKeyId: own.accessKeyId, secretAccessKey: choice.secretAccessKey ?? own.secretAccessKey };
      const c = makeClient(SessionCtor, this.url, service, credentials);
      // before-parse sees the raw answer (a buffered body; a streamed one is read later), after-call
      // the parsed one, error or not: the status and code decide, the body where the protocol's
      // parser finds no code in moto's XML.
      let body = '';
      c.meta.events.register('before-parse', (args: Record<string, unknown>) => {
        const response = args.response as { body?: Uint8Array };
        body = response.body && response.body.length > 0 ? Buffer.from(response.body).toString('utf8') : '';
      });
      c.meta.events.register('after-call', (args: Record<string, unknown>) => {
        const parsed = args.parsed as { Error?: { Code?: string; Message?: string }; ResponseMetadata?: { HTTPStatusCode?: number } };
        const status = parsed.ResponseMetadata?.HTTPStatusCode ?? 0;
        if (status > 0 && status < 300) {
          tally.accepted += 1;
          return;
        }
        lastErrorText = `${parsed.Error?.Code ?? ''} ${parsed.Error?.Message ?? ''} ${body}`;
        // A HEAD answer has no body: moto's S3 refuses one with a bare 403.
        if (isAuthError(lastErrorText) || (status === 403 && body === '' && parsed.Error?.Code === '403')) tally.rejected += 1;
        else tally.other += 1;
      });
      clients.push(c);
      return c;
    },
  };
}
