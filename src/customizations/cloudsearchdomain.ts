/** CloudSearch Domain: Search is sent as a form POST, and `returnFields` is accepted for `return`. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';
import { registerParameterAlias } from './parameter-aliases.js';

export function registerCloudSearchDomainCustomizations(events: HierarchicalEmitter): void {
  // botocore's 'cloudsearchdomain' events, under the service id's name ('cloudsearch-domain')
  // that botocore's event aliases map them to and inia emits.
  registerParameterAlias(events, 'cloudsearch-domain.Search', 'return', 'returnFields');
  events.register('request-created.cloudsearch-domain.Search', changeGetToPost, 'cloudsearchdomain-get-to-post');
}

/** Where the form body of a call is kept for its later attempts. */
const FORM_BODY = 'cloudsearchdomainFormBody';

/**
 * botocore's change_get_to_post: a search can have a long query string, more than a URL
 * may carry, so the GET's query becomes an application/x-www-form-urlencoded POST body.
 * inia keeps one request across attempts and gives each attempt the serialized body again,
 * so a retry (already a POST) gets the form body back from the call's context.
 */
function changeGetToPost(args: EventArgs): void {
  const request = args.request as HttpRequest;
  const context = args.context as Record<string, unknown>;
  if (request.method === 'GET' && request.query !== '') {
    const form = request.query;
    request.headers['content-type'] = 'application/x-www-form-urlencoded';
    request.method = 'POST';
    request.query = '';
    context[FORM_BODY] = form;
  }
  const form = context[FORM_BODY];
  if (typeof form === 'string') {
    request.body = form;
    request.headers['content-length'] = String(Buffer.byteLength(form));
  }
}
