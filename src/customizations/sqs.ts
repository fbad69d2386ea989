/** SQS's error codes, as botocore's _handle_sqs_compatible_error treats them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';

export function registerSqsCustomizations(events: HierarchicalEmitter): void {
  events.register('after-call.sqs.*', handleSqsCompatibleError, 'sqs-compatible-error');
}

/**
 * SQS moved from the query protocol to JSON before models could carry both, so its modeled
 * errors lack the `error.code` that other query-compatible services use to map the
 * x-amzn-query-error code ("AWS.SimpleQueueService.NonExistentQueue") to a class. The error's
 * shape name, which the JSON parser keeps in QueryErrorCode when that header is present, is the
 * code the client looks the class up by instead (client.ts makeError reads errorCodeOverride).
 */
function handleSqsCompatibleError(args: EventArgs): void {
  const error = (args.parsed as { Error?: Record<string, unknown> } | undefined)?.Error;
  if (error === undefined || Object.keys(error).length === 0) return;
  const queryCode = error.QueryErrorCode;
  if (typeof queryCode === 'string' && queryCode !== '') (args.context as Record<string, unknown>).errorCodeOverride = queryCode;
}
