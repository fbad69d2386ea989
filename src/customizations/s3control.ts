/**
 * botocore's remove_accid_host_prefix_from_model for S3 Control: the endpoint rule set puts
 * `{AccountId}.` in the host of every operation whose staticContextParams say
 * RequiresAccountId, and the model's `endpoint.hostPrefix` says the same, so the host would
 * carry the account twice (123456789012.123456789012.s3-control...). The host prefix goes, the
 * static context parameter stays.
 *
 * botocore deletes the prefix from the operation model the first time an operation is called
 * (before-parameter-build.s3-control) and it stays deleted for the model's lifetime; inia does
 * the same change once, when the session loads the model (service-data-loaded.s3control), on
 * the session's copy of the data, so that no call pays for it and the loader's shared copy is
 * never changed. Every call sees the same model either way.
 */
import type { EventArgs, HierarchicalEmitter } from '../events.js';

export function registerS3ControlModelCustomizations(events: HierarchicalEmitter): void {
  events.register('service-data-loaded.s3control', removeAccountIdHostPrefix, 's3control-remove-accid-host-prefix');
}

interface OperationData {
  endpoint?: { hostPrefix?: string };
  staticContextParams?: Record<string, { value?: unknown }>;
}

export function removeAccountIdHostPrefix(args: EventArgs): void {
  const data = args.serviceData as { operations: Record<string, OperationData> };
  const operations: Record<string, OperationData> = {};
  for (const [name, operation] of Object.entries(data.operations)) {
    const requiresAccountId = operation.staticContextParams?.RequiresAccountId?.value === true;
    if (requiresAccountId && operation.endpoint?.hostPrefix === '{AccountId}.') {
      const { hostPrefix: _, ...endpoint } = operation.endpoint;
      operations[name] = { ...operation, endpoint };
    } else {
      operations[name] = operation;
    }
  }
  data.operations = operations;
}
