/**
 * botocore's _add_parameter_aliases and ParameterAlias.alias_parameter_in_call: a few members
 * have names that read badly in code (EC2's singular `Filter`, Logs' `from`, CloudSearch
 * Domain's `return`), so callers may use a friendlier alias, which is renamed back to the
 * model's name before anything else sees the parameters. Registered first on
 * before-parameter-build, as botocore registers it (REGISTER_FIRST), so every later handler
 * and the validator see only the model's name.
 */
import { IniaError } from '../errors.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { OperationModel } from '../models/shapes.js';

/** botocore's AliasConflictParameterError: a member and its alias were both given. */
export class AliasConflictParameterError extends IniaError {
  constructor(readonly original: string, readonly alias: string, readonly operation: string) {
    super(`Parameter '${original}' and its alias '${alias}' were provided for operation ${operation}.  Only one of them may be used.`);
  }
}

function given(value: unknown): boolean {
  // inia's rule for every parameter: undefined and null mean "not given".
  return value !== undefined && value !== null;
}

/**
 * Registers the alias `alias` for the member `original` on `before-parameter-build.<eventPortion>`
 * ('ec2.*', 'cloudwatch-logs.CreateExportTask'). Only operations whose input models `original`
 * accept the alias; anywhere else the alias is an unknown parameter, as in botocore.
 */
export function registerParameterAlias(events: HierarchicalEmitter, eventPortion: string, original: string, alias: string): void {
  const handler = (args: EventArgs): void => {
    const model = args.model as OperationModel;
    if (model.inputShape?.members.has(original) !== true) return;
    const params = args.params as Record<string, unknown>;
    if (!(alias in params)) return;
    const value = params[alias];
    if (given(value)) {
      if (given(params[original])) throw new AliasConflictParameterError(original, alias, model.name);
      params[original] = value;
    }
    delete params[alias];
  };
  events.registerFirst(`before-parameter-build.${eventPortion}`, handler, `parameter-alias-${eventPortion}-${original}`);
}
