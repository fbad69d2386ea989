/**
 * Picks the signer for a signature version, as botocore's AUTH_TYPE_MAPS does: 'v4' is
 * plain SigV4; 's3v4' (S3, S3 Control) signs paths as given and sends x-amz-content-sha256;
 * 'bearer' puts a token in Authorization. (botocore's 's3' is the legacy HMAC-V1 signer,
 * which inia does not implement.) UNSIGNED, botocore.UNSIGNED, sends no signature at all.
 */
import { IniaError } from '../errors.js';
import type { CredentialsData } from '../credentials/types.js';
import type { HttpRequest } from '../http/types.js';
import { UNSIGNED_PAYLOAD, signRequest } from './sigv4.js';
import { announcedTrailer, signStreamingRequest, streamLength } from './sigv4-streaming.js';

/**
 * botocore.UNSIGNED: a choose-signer handler answers it to send the request with no
 * signature (botocore's disable_signing); the client then looks up no credentials either.
 */
export const UNSIGNED: unique symbol = Symbol.for('inia.UNSIGNED');

/** What a choose-signer handler may answer: a signature version name, or UNSIGNED. */
export type SignatureVersion = string | typeof UNSIGNED;

/** The request context key a choose-signer handler puts a bearer token under (botocore's client auth_token). */
export const AUTH_TOKEN_CONTEXT_KEY = 'authToken';

/** botocore's NoAuthTokenError: the bearer signer has no token to send. */
export class NoAuthTokenError extends IniaError {
  constructor() {
    super('Unable to locate authorization token');
  }
}

export interface SignContext {
  signatureVersion: string;
  region: string;
  service: string;
  date?: Date;
  /** A payload hash decided elsewhere (flexible checksums' STREAMING-UNSIGNED-PAYLOAD-TRAILER). */
  payloadHash?: string;
  /** The bearer token ('bearer' only). */
  token?: string | undefined;
}

/** Signing names botocore signs with its S3 flavour of SigV4 (see botocore's auth-scheme translation). */
const S3_SIGNING_NAMES = new Set(['s3', 's3-outposts', 's3-object-lambda', 's3express']);

/**
 * The signature version a client uses. S3's model still says 's3' (SigV2), but botocore signs
 * S3 with SigV4 ('s3v4') as the endpoint rule set's sigv4 auth scheme directs; inia does the same.
 */
export function resolveSignatureVersion(metadata: { signatureVersion?: string | undefined }, signingName: string): string {
  if (S3_SIGNING_NAMES.has(signingName) || metadata.signatureVersion === 's3' || metadata.signatureVersion === 's3v4') return 's3v4';
  return 'v4';
}

export function sign(request: HttpRequest, credentials: CredentialsData | undefined, ctx: SignContext): void {
  if (ctx.signatureVersion === 'bearer') {
    // botocore's BearerAuth (RFC 6750 section 2.1): the token alone, no date or signature.
    if (ctx.token === undefined || ctx.token === '') throw new NoAuthTokenError();
    request.headers.authorization = `Bearer ${ctx.token}`;
    return;
  }
  if (credentials === undefined) throw new IniaError(`Signature version '${ctx.signatureVersion}' needs credentials`);
  switch (ctx.signatureVersion) {
    case 'v4':
      // Plain literals (undefined meaning "not given"): conditional spreads cost every call.
      signRequest(request, credentials, { region: ctx.region, service: ctx.service, payloadHash: ctx.payloadHash, date: ctx.date });
      return;
    case 's3v4': {
      // botocore hashes S3 payloads it can read again. A stream we can read only once is sent
      // over https as UNSIGNED-PAYLOAD (or the checksum trailer's STREAMING-UNSIGNED-PAYLOAD-TRAILER);
      // over plain http, where botocore signs every payload, as signed chunks (sigv4-streaming.ts).
      const buffered = request.body === undefined || typeof request.body === 'string' || request.body instanceof Uint8Array;
      const streamed = !buffered && request.protocol === 'http:' ? streamLength(request.headers) : undefined;
      if (streamed !== undefined) {
        signStreamingRequest(request, credentials, { region: ctx.region, service: ctx.service, uriEscapePath: false, normalizePath: false, date: ctx.date, decodedLength: streamed, trailer: announcedTrailer(request.headers) });
        return;
      }
      signRequest(request, credentials, {
        region: ctx.region,
        service: ctx.service,
        uriEscapePath: false,
        normalizePath: false,
        addContentSha256Header: true,
        payloadHash: ctx.payloadHash ?? (buffered ? undefined : UNSIGNED_PAYLOAD),
        date: ctx.date,
      });
      return;
    }
    default:
      throw new IniaError(`Signature version '${ctx.signatureVersion}' is not supported`);
  }
}
