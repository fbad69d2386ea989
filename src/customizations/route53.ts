/** Route 53: resource ids as other operations return them ('/hostedzone/Z1') are accepted as input. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { OperationModel } from '../models/shapes.js';

export function registerRoute53Customizations(events: HierarchicalEmitter): void {
  // botocore's 'before-parameter-build.route53', under the service id's name ('route-53')
  // that botocore's event aliases map it to and inia emits.
  events.register('before-parameter-build.route-53', fixRoute53Ids, 'route53-fix-ids');
}

/** The shapes whose values Route 53 returns with a path prefix ('/hostedzone/', '/change/', '/delegationset/'). */
const ID_SHAPES: ReadonlySet<string> = new Set(['ResourceId', 'DelegationSetId', 'ChangeId']);

/** Per operation, the input members of those shapes (most operations have one, some none). */
const ID_MEMBERS = new WeakMap<OperationModel, readonly string[]>();

function idMembers(model: OperationModel): readonly string[] {
  let names = ID_MEMBERS.get(model);
  if (names === undefined) {
    const found: string[] = [];
    for (const [name, shape] of model.inputShape?.members ?? []) if (ID_SHAPES.has(shape.name)) found.push(name);
    ID_MEMBERS.set(model, (names = found));
  }
  return names;
}

/**
 * botocore's fix_route53_ids: for every top-level input member whose shape is ResourceId,
 * DelegationSetId or ChangeId, only the part after the last '/' is sent, so the output of
 * one operation (CreateHostedZone's HostedZone.Id) can be the input of the next. A value that
 * is not a string is left for the validator to report.
 */
function fixRoute53Ids(args: EventArgs): void {
  const names = idMembers(args.model as OperationModel);
  if (names.length === 0) return;
  const params = args.params as Record<string, unknown>;
  for (const name of names) {
    const value = params[name];
    if (typeof value === 'string') params[name] = value.slice(value.lastIndexOf('/') + 1);
  }
}
