/**
 * Cross-region copies (EC2's CopySnapshot; RDS's, Neptune's and DocumentDB's snapshot copies,
 * clusters and read replicas): the destination region's service fetches the source from the
 * source region with a URL the caller presigned there. botocore's inject_presigned_url_ec2 and
 * inject_presigned_url_rds build that URL in before-call, from the request about to be sent:
 * the same Action and members plus DestinationRegion, a GET to the source region's host,
 * signed in the query string (SigV4, one hour) with the client's credentials for the source
 * region. inia's before-call sees the serialized request, so the form body is read, changed
 * and written back here.
 */
import type { QueryValue } from '../auth/sigv4-query.js';
import { clientContext, type BaseClient } from '../client.js';
import { NoRegionError } from '../errors.js';
import type { EventArgs } from '../events.js';
import { requestUrl, type HttpRequest } from '../http/types.js';
import type { OperationModel } from '../models/shapes.js';
import { formEncode } from '../protocols/values.js';
import type { Params } from '../protocols/types.js';

/** botocore's default for generate_presigned_url, which these handlers use. */
const EXPIRES_IN = 3600;

// Registered by presigned-url-events.ts, which imports this module on the first such call.

type Form = Map<string, QueryValue>;

/**
 * EC2 wants PresignedUrl and DestinationRegion; a PresignedUrl the caller gave is sent as it is.
 * SourceRegion is a required, modeled member, so it is in the body and in the URL.
 */
export async function injectPresignedUrlEc2(args: EventArgs): Promise<void> {
  const request = args.request as HttpRequest;
  const form = await readForm(request);
  if (form === undefined || form.has('PresignedUrl')) return;
  const source = form.get('SourceRegion');
  if (typeof source !== 'string') return;
  const client = args.client as BaseClient;
  const destination = destinationRegion(client);
  const url = await crossRegionPresignedUrl(client, request, form, args.model as OperationModel, args.params as Params, source, destination);
  // As a Python dict: a new key goes last, an existing one keeps its place.
  form.set('PresignedUrl', url);
  form.set('DestinationRegion', destination);
  writeForm(request, form);
}

/**
 * RDS wants PreSignedUrl. SourceRegion is only the client's instruction (which region to presign
 * for): it is taken out of the request, whether or not a PreSignedUrl is made. Without one the
 * copy is within the region and nothing is added.
 */
export async function injectPresignedUrlRds(args: EventArgs): Promise<void> {
  const request = args.request as HttpRequest;
  const form = await readForm(request);
  if (form === undefined || !form.has('SourceRegion')) return;
  const source = form.get('SourceRegion');
  form.delete('SourceRegion');
  if (!form.has('PreSignedUrl') && typeof source === 'string') {
    const client = args.client as BaseClient;
    const url = await crossRegionPresignedUrl(client, request, form, args.model as OperationModel, args.params as Params, source, destinationRegion(client));
    form.set('PreSignedUrl', url);
  }
  writeForm(request, form);
}

/** The client's region (botocore's request_signer region): where the copy is made. */
function destinationRegion(client: BaseClient): string {
  const region = clientContext(client).region;
  if (region === undefined || region === '') throw new NoRegionError();
  return region;
}

/**
 * botocore's _get_cross_region_presigned_url: a copy of the request with DestinationRegion set,
 * its URL with every occurrence of the destination region replaced by the source region (the
 * service's hosts differ only by region; a custom endpoint URL without the region stays as it
 * is), method GET, no headers; the body's members travel in the query.
 */
async function crossRegionPresignedUrl(
  client: BaseClient,
  request: HttpRequest,
  form: Form,
  model: OperationModel,
  params: Params,
  source: string,
  destination: string,
): Promise<string> {
  const ctx = clientContext(client);
  const members: Form = new Map(form);
  members.set('DestinationRegion', destination);
  const url = new URL(requestUrl(request).split(destination).join(source));
  const target: HttpRequest = {
    method: 'GET',
    protocol: url.protocol === 'http:' ? 'http:' : 'https:',
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? undefined : Number(url.port),
    path: url.pathname || '/',
    query: url.search.startsWith('?') ? url.search.slice(1) : url.search,
    headers: {},
    body: undefined,
  };
  // The client's signing name (rds for Neptune and DocumentDB too), as the client's signer has it.
  const signingName = ctx.endpointResolver.resolve(model, params, {}).signingName;
  const credentials = await ctx.credentials.get();
  const { presignRequest } = await import('../auth/sigv4-query.js');
  return presignRequest(target, credentials, {
    region: source,
    service: signingName,
    expiresIn: EXPIRES_IN,
    date: ctx.signingClock.now(),
    s3: false,
    bodyParams: members,
  }).url;
}

/**
 * The form body of a query/ec2-protocol request, decoded; undefined for any other body. The
 * query signer's module (its decoder) is imported here, on the request path, not with the client.
 */
async function readForm(request: HttpRequest): Promise<Form | undefined> {
  const body = request.body;
  let text: string;
  if (typeof body === 'string') text = body;
  else if (body instanceof Uint8Array && request.headers['content-encoding'] === undefined) text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  else return undefined;
  const { parseQueryToDict } = await import('../auth/sigv4-query.js');
  return parseQueryToDict(text);
}

/** Writes the form back as the query serializer writes it (urlencode's quote_plus), with its new length. */
function writeForm(request: HttpRequest, form: Form): void {
  const parts: string[] = [];
  for (const [key, value] of form) {
    if (typeof value === 'string') parts.push(`${formEncode(key)}=${formEncode(value)}`);
    else for (const element of value) parts.push(`${formEncode(key)}=${formEncode(element)}`);
  }
  const body = parts.join('&');
  request.body = body;
  request.headers['content-length'] = String(Buffer.byteLength(body));
}
