/** IAM: policy documents come back as objects, as botocore returns them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { OperationModel, Shape } from '../models/shapes.js';
import { unquote } from './python-quoting.js';

export function registerIamCustomizations(events: HierarchicalEmitter): void {
  events.register('after-call.iam', jsonDecodePolicies, 'iam-json-decode-policies');
}

/** IAM marks every policy document with this shape; botocore's rule keys on the name alone. */
const POLICY_SHAPE = 'policyDocumentType';

/**
 * What to decode in an output, precomputed per shape: a structure's members that are
 * documents, and those that lead to documents (structures and lists of them). null: nothing
 * under this shape is a document, so most outputs cost one lookup.
 */
interface Walk {
  documents: string[];
  nested: Array<[string, Walk]>;
  /** Set on a list shape: the walk of each item. */
  items?: Walk;
}

const WALKS = new WeakMap<OperationModel, Walk | null>();

function walkFor(model: OperationModel): Walk | null {
  let walk = WALKS.get(model);
  if (walk === undefined) {
    const output = model.outputShape;
    walk = output === null ? null : buildWalk(output, new Map());
    WALKS.set(model, walk);
  }
  return walk;
}

/** `seen` breaks recursive shapes (none in IAM today, but a model may gain one). */
function buildWalk(shape: Shape, seen: Map<Shape, Walk | null>): Walk | null {
  if (seen.has(shape)) return seen.get(shape) ?? null;
  seen.set(shape, null);
  let walk: Walk | null = null;
  if (shape.typeName === 'structure') {
    const documents: string[] = [];
    const nested: Array<[string, Walk]> = [];
    for (const [name, member] of shape.members) {
      if (member.typeName === 'string' && member.name === POLICY_SHAPE) documents.push(name);
      else {
        const inner = buildWalk(member, seen);
        if (inner !== null) nested.push([name, inner]);
      }
    }
    if (documents.length > 0 || nested.length > 0) walk = { documents, nested };
  } else if (shape.typeName === 'list') {
    const items = buildWalk(shape.member, seen);
    if (items !== null) walk = { documents: [], nested: [], items };
  }
  seen.set(shape, walk);
  return walk;
}

/**
 * botocore's json_decode_policies: IAM returns policy documents URL-encoded JSON
 * (urlencode(json.dumps(policy))); each member of the policyDocumentType shape, anywhere in
 * the output's structures and lists (not maps, as in botocore), is returned decoded and
 * parsed. A document that is not JSON stays the text it came as.
 */
function jsonDecodePolicies(args: EventArgs): void {
  const walk = walkFor(args.model as OperationModel);
  if (walk !== null) apply(args.parsed, walk);
}

function apply(value: unknown, walk: Walk): void {
  if (walk.items !== undefined) {
    if (Array.isArray(value)) for (const item of value) apply(item, walk.items);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const name of walk.documents) {
    const text = record[name];
    if (typeof text === 'string') record[name] = decodeQuotedJsonDoc(text);
  }
  for (const [name, inner] of walk.nested) if (record[name] !== undefined) apply(record[name], inner);
}

/** botocore's decode_quoted_jsondoc: json.loads(unquote(value)), the value itself when that fails. */
export function decodeQuotedJsonDoc(text: string): unknown {
  try {
    return JSON.parse(unquote(text)) as unknown;
  } catch {
    return text;
  }
}

