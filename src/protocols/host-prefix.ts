/** `endpoint.hostPrefix` expansion ("{AccountId}." -> "123456789012."), shared by every protocol. */
import { SerializationError } from './values.js';
import type { OperationModel } from '../models/shapes.js';
import type { Params } from './types.js';

const HOST_LABEL = /^[A-Za-z0-9.-]+$/;

export function expandHostPrefix(params: Params, operation: OperationModel): string | undefined {
  const template = operation.endpoint?.hostPrefix;
  if (template === undefined) return undefined;
  const input = operation.inputShape;
  if (!input) return template;
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const member = input.members.get(name);
    if (!member?.serialization.hostLabel) return `{${name}}`;
    const value = params[name];
    // A label that is not a valid host label would change which host we talk to.
    if (typeof value !== 'string' || value === '' || !HOST_LABEL.test(value)) {
      throw new SerializationError(
        `Invalid value for parameter ${name}: ${JSON.stringify(value)}. It is used as a host label and must match ${HOST_LABEL.source}`,
      );
    }
    return value;
  });
}
