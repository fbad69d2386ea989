/**
 * The names of the signer choice, without the signers: botocore.UNSIGNED, the signature
 * version a service signs with, and the bearer token's context key. The client, Config and the
 * customizations need these when a client is made; the signing code (index.ts, sigv4*.ts) is
 * loaded with the first call.
 */
import { IniaError } from '../errors.js';

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

