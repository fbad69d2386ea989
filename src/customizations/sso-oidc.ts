/** SSO OIDC's OAuth2 error bodies, as botocore's _map_oauth2_errors reads them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { RawResponse } from '../protocols/types.js';

export function registerSsoOidcCustomizations(events: HierarchicalEmitter): void {
  events.register('before-parse.sso-oidc.*', mapOAuth2Errors, 'sso-oidc-oauth2-errors');
}

/**
 * OAuth2 puts an error's text in `error_description`, not the `message` the JSON parsers read:
 * an error answer with a description and no message gets it as `Message` (the body is rewritten
 * before it is parsed, as botocore does). Anything that is not a JSON object is left alone.
 */
function mapOAuth2Errors(args: EventArgs): void {
  const response = args.response as RawResponse;
  if (response.statusCode < 400 || response.stream !== undefined || response.body.length === 0) return;
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength).toString('utf8'));
  } catch {
    return;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return;
  const record = body as Record<string, unknown>;
  const description = record.error_description;
  // Python truthiness: an empty description changes nothing, an empty Message counts as none.
  if (!truthy(description)) return;
  if (truthy('Message' in record ? record.Message : record.message)) return;
  record.Message = description;
  response.body = new Uint8Array(Buffer.from(JSON.stringify(record), 'utf8'));
}

function truthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
