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
import { NoAuthTokenError } from './choice.js';

// The signer choice's names live in choice.ts (no signing code), so that the client and the
// customizations can name them without loading the signers.
export { AUTH_TOKEN_CONTEXT_KEY, NoAuthTokenError, UNSIGNED, resolveSignatureVersion, type SignatureVersion } from './choice.js';

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
