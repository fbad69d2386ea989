/** API Gateway: answers are asked for as JSON. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';

export function registerApiGatewayCustomizations(events: HierarchicalEmitter): void {
  // botocore's 'before-call.apigateway', under the service id's name ('api-gateway') that
  // botocore's event aliases map it to and inia emits.
  events.register('before-call.api-gateway', addAcceptHeader, 'apigateway-accept-header');
}

/**
 * botocore's add_accept_header: without an Accept header API Gateway may answer in another
 * format (GetExport's YAML, HAL+JSON); an Accept the caller set (GetExport's `accepts`) stays.
 */
function addAcceptHeader(args: EventArgs): void {
  const headers = (args.request as HttpRequest).headers;
  if (headers.accept === undefined) headers.accept = 'application/json';
}
