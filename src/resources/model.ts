/**
 * The resource model: a typed view of one resource of boto3's resources-1 document, as
 * boto3/resources/model.py reads it, and the final names of everything on it.
 *
 * Names go in two steps. First boto3's: every model name is snake-cased (subresources keep
 * their CamelCase) and entered, in boto3's order, into one namespace per resource; a name already
 * taken gets `_<category>` appended (`load_rename_map` / `_load_name_with_category`). Then
 * inia's: each boto3 snake_case name becomes its lowerCamelCase (naming.ts), subresource names
 * stay as they are. Both names are kept on every item, so the interpreter can use inia's and
 * errors and tests can speak boto3's.
 */
import { IniaError } from '../errors.js';
import { iniaName, xformName } from './naming.js';

// ---------------------------------------------------------------------------------------------
// The resources-1 document as written.

/** Where a parameter or identifier value comes from (boto3's params.py and response.py). */
export type ParamSource = 'identifier' | 'data' | 'string' | 'integer' | 'boolean' | 'input' | 'response' | 'requestParameter';

/** One auto-filled request parameter, or one identifier of a response resource. */
export interface ParameterDefinition {
  target: string;
  source: ParamSource;
  name?: string;
  path?: string;
  value?: string | number | boolean;
}

export interface RequestDefinition {
  operation: string;
  params?: ParameterDefinition[];
}

export interface ResponseResourceDefinition {
  type: string;
  identifiers?: ParameterDefinition[];
  path?: string;
}

/** An action, a batch action, the load action, or a `has` relation (resource only). */
export interface ActionDefinition {
  request?: RequestDefinition;
  resource?: ResponseResourceDefinition;
  path?: string;
}

export interface ResourceWaiterDefinition {
  waiterName: string;
  params?: ParameterDefinition[];
  /** In the models (ec2), but boto3's Waiter model does not read it. */
  path?: string;
}

export interface IdentifierDefinition {
  name: string;
  memberName?: string;
  type?: string;
}

export interface ResourceDefinition {
  identifiers?: IdentifierDefinition[];
  shape?: string;
  load?: ActionDefinition;
  actions?: Record<string, ActionDefinition>;
  batchActions?: Record<string, ActionDefinition>;
  waiters?: Record<string, ResourceWaiterDefinition>;
  has?: Record<string, ActionDefinition>;
  hasMany?: Record<string, ActionDefinition>;
}

/** A resources-1 document: the service resource and the named resources. */
export interface ResourcesDocument {
  service: ResourceDefinition;
  resources: Record<string, ResourceDefinition>;
}

/**
 * What the model needs of a shape: its member names in model order. inia's `Shape`
 * (src/models/shapes.ts) is one; tests may pass a plain `{ members: new Map(...) }`.
 */
export interface MembersShape<M = unknown> {
  readonly members: ReadonlyMap<string, M>;
}

/** The categories a resource's names belong to, named as boto3 suffixes them on a collision. */
export type NameCategory =
  | 'identifier'
  | 'action'
  | 'batch_action'
  | 'subresource'
  | 'reference'
  | 'collection'
  | 'waiter'
  | 'attribute';

/** A resource definition whose names cannot be made distinct (boto3 raises ValueError here). */
export class ResourceModelError extends IniaError {
  constructor(
    readonly resourceName: string,
    readonly category: NameCategory,
    readonly attemptedName: string,
  ) {
    super(`Problem renaming ${resourceName} ${category} to ${attemptedName}!`);
  }
}

// ---------------------------------------------------------------------------------------------
// The typed model.

export class Identifier {
  /** inia's name of the identifier (`bucketName`). */
  readonly iniaName: string;
  /** inia's name of the attribute this identifier is also found as in the data, if any. */
  readonly iniaMemberName: string | undefined;

  constructor(
    /** boto3's final name (`bucket_name`). */
    readonly name: string,
    /** boto3's final name of the attribute the identifier is read from (`memberName`). */
    readonly memberName: string | undefined,
  ) {
    this.iniaName = iniaName(name);
    this.iniaMemberName = memberName === undefined ? undefined : iniaName(memberName);
  }
}

export class Parameter {
  readonly target: string;
  readonly source: ParamSource;
  readonly name: string | undefined;
  readonly path: string | undefined;
  readonly value: string | number | boolean | undefined;

  constructor(definition: ParameterDefinition) {
    this.target = definition.target;
    this.source = definition.source;
    this.name = definition.name;
    this.path = definition.path;
    this.value = definition.value;
  }
}

function parameters(definitions: readonly ParameterDefinition[] | undefined): Parameter[] {
  return (definitions ?? []).map((item) => new Parameter(item));
}

export class Request {
  readonly operation: string;
  readonly params: readonly Parameter[];

  constructor(definition: RequestDefinition) {
    this.operation = definition.operation;
    this.params = parameters(definition.params);
  }
}

export class ResponseResource {
  readonly type: string;
  readonly path: string | undefined;
  readonly identifiers: readonly Parameter[];
  private modelCache: ResourceModel | undefined;

  constructor(
    definition: ResponseResourceDefinition,
    private readonly resourceDefs: Readonly<Record<string, ResourceDefinition>>,
  ) {
    this.type = definition.type;
    this.path = definition.path;
    this.identifiers = parameters(definition.identifiers);
  }

  /**
   * The model of the resource this response makes. As in boto3 it has no rename map loaded,
   * which only batch action names are read from (and those are never renamed).
   */
  get model(): ResourceModel {
    if (this.modelCache === undefined) {
      const definition = this.resourceDefs[this.type];
      if (definition === undefined) throw new TypeError(`The resource model has no resource named '${this.type}'`);
      this.modelCache = new ResourceModel(this.type, definition, this.resourceDefs);
    }
    return this.modelCache;
  }

  /** Whether some identifier is read from the parent's data: what makes a `has` a reference. */
  get needsData(): boolean {
    return this.identifiers.some((identifier) => identifier.source === 'data');
  }
}

/** An action, the load action, a batch action, a subresource or a reference (boto3's Action). */
export class Action {
  readonly request: Request | undefined;
  readonly resource: ResponseResource | undefined;
  /** JMESPath of the part of the response the action returns (or loads, for `load`). */
  readonly path: string | undefined;

  constructor(
    /** boto3's final name. */
    readonly name: string,
    /** inia's name: lowerCamelCase, or the CamelCase name itself for a subresource. */
    readonly iniaName: string,
    definition: ActionDefinition,
    resourceDefs: Readonly<Record<string, ResourceDefinition>>,
  ) {
    this.request = definition.request === undefined ? undefined : new Request(definition.request);
    this.resource = definition.resource === undefined ? undefined : new ResponseResource(definition.resource, resourceDefs);
    this.path = definition.path;
  }
}

/** A `hasMany` collection. */
export class Collection extends Action {
  /** The batch actions of the resource type it holds (boto3's shortcut through that model). */
  get batchActions(): readonly Action[] {
    return this.resource === undefined ? [] : this.resource.model.batchActions;
  }
}

export class Waiter {
  /** boto3 prefixes the model's name before snake-casing it: 'Exists' -> 'wait_until_exists'. */
  static readonly PREFIX = 'WaitUntil';

  readonly waiterName: string;
  readonly params: readonly Parameter[];

  constructor(
    /** boto3's final name (`wait_until_exists`). */
    readonly name: string,
    /** inia's name (`waitUntilExists`). */
    readonly iniaName: string,
    definition: ResourceWaiterDefinition,
  ) {
    this.waiterName = definition.waiterName;
    this.params = parameters(definition.params);
  }
}

/** One attribute read from the resource's data: a member of its shape. */
export interface Attribute<M = unknown> {
  /** boto3's final name. */
  readonly name: string;
  readonly iniaName: string;
  /** The shape member's name, the key in the data. */
  readonly memberName: string;
  readonly member: M;
  /**
   * The attribute is an identifier's `memberName`: boto3 makes it an alias returning the
   * identifier (factory.py `_create_identifier_alias`) rather than a read of the data.
   */
  readonly identifierAlias: boolean;
}

/** inia's final names of everything on a resource, by category, in boto3's order. */
export interface ResourceNames {
  readonly identifiers: readonly string[];
  readonly attributes: readonly string[];
  readonly actions: readonly string[];
  readonly batchActions: readonly string[];
  readonly waiters: readonly string[];
  readonly references: readonly string[];
  readonly subresources: readonly string[];
  readonly collections: readonly string[];
}

/** Names every resource has, whatever its model says (boto3 reserves `meta`; `load` if it loads). */
const META = 'meta';
const LOAD = 'load';

/**
 * One resource of a resources-1 document (boto3's ResourceModel). Build it with
 * `resourceModel()`, which also loads the rename map; constructed directly, names are
 * boto3's unrenamed ones until `loadRenameMap` is called, exactly as in boto3.
 */
export class ResourceModel {
  readonly shape: string | undefined;
  private renamed = new Map<string, string>();

  constructor(
    /** The resource's name ('Bucket'), or the service's name for the service resource. */
    readonly name: string,
    private readonly definition: ResourceDefinition,
    private readonly resourceDefs: Readonly<Record<string, ResourceDefinition>>,
  ) {
    this.shape = definition.shape;
  }

  /** The service resource is the one whose name is not among the document's resources. */
  get isServiceResource(): boolean {
    return !Object.prototype.hasOwnProperty.call(this.resourceDefs, this.name);
  }

  /**
   * boto3's `load_rename_map`: enter every name into one namespace, renaming on collision.
   * The order is the code's, not the one boto3's docstring lists: `meta` and `load`, then
   * identifiers, actions, `has` entries in their order (each a subresource, kept CamelCase,
   * or a reference), collections, waiters (`WaitUntil` + name), and the shape's members.
   * Batch actions are not entered: they live on collections, not on the resource.
   */
  loadRenameMap(shape?: MembersShape): void {
    const names = new Set<string>([META]);
    this.renamed = new Map();
    if (this.definition.load) names.add(LOAD);
    for (const item of this.definition.identifiers ?? []) this.enter(names, xformName(item.name), 'identifier');
    for (const name of Object.keys(this.definition.actions ?? {})) this.enter(names, xformName(name), 'action');
    for (const [name, relation] of this.hasDefinition()) {
      if (relationNeedsData(relation)) this.enter(names, xformName(name), 'reference');
      else this.enter(names, name, 'subresource');
    }
    for (const name of Object.keys(this.definition.hasMany ?? {})) this.enter(names, xformName(name), 'collection');
    for (const name of Object.keys(this.definition.waiters ?? {})) this.enter(names, xformName(Waiter.PREFIX + name), 'waiter');
    if (shape !== undefined) for (const name of shape.members.keys()) this.enter(names, xformName(name), 'attribute');
  }

  /** boto3's `_load_name_with_category`: one rename at most, a second collision is an error. */
  private enter(names: Set<string>, name: string, category: NameCategory): void {
    let final = name;
    if (names.has(final)) {
      final = `${name}_${category}`;
      this.renamed.set(renameKey(category, name), final);
      if (names.has(final)) throw new ResourceModelError(this.name, category, final);
    }
    names.add(final);
  }

  /** boto3's `_get_name`: the final name of an already snake-cased (or subresource) name. */
  private finalName(category: NameCategory, name: string): string {
    return this.renamed.get(renameKey(category, name)) ?? name;
  }

  get identifiers(): readonly Identifier[] {
    return (this.definition.identifiers ?? []).map((item) => {
      const memberName = item.memberName ? this.finalName('attribute', xformName(item.memberName)) : undefined;
      return new Identifier(this.finalName('identifier', xformName(item.name)), memberName);
    });
  }

  get load(): Action | undefined {
    const load = this.definition.load;
    return load === undefined ? undefined : new Action(LOAD, LOAD, load, this.resourceDefs);
  }

  get actions(): readonly Action[] {
    return this.named(this.definition.actions, 'action');
  }

  get batchActions(): readonly Action[] {
    return this.named(this.definition.batchActions, 'batch_action');
  }

  private named(definitions: Record<string, ActionDefinition> | undefined, category: 'action' | 'batch_action'): Action[] {
    return Object.entries(definitions ?? {}).map(([name, item]) => {
      const final = this.finalName(category, xformName(name));
      return new Action(final, iniaName(final), item, this.resourceDefs);
    });
  }

  get collections(): readonly Collection[] {
    return Object.entries(this.definition.hasMany ?? {}).map(([name, item]) => {
      const final = this.finalName('collection', xformName(name));
      return new Collection(final, iniaName(final), item, this.resourceDefs);
    });
  }

  get waiters(): readonly Waiter[] {
    return Object.entries(this.definition.waiters ?? {}).map(([name, item]) => {
      const final = this.finalName('waiter', xformName(Waiter.PREFIX + name));
      return new Waiter(final, iniaName(final), item);
    });
  }

  /** `has` entries whose identifiers need none of the parent's data: constructors, CamelCase. */
  get subresources(): readonly Action[] {
    return this.related(false);
  }

  /** `has` entries with an identifier from the parent's data: properties read from it. */
  get references(): readonly Action[] {
    return this.related(true);
  }

  private related(references: boolean): Action[] {
    const result: Action[] = [];
    for (const [name, relation] of this.hasDefinition()) {
      if (relationNeedsData(relation) !== references) continue;
      if (references) {
        const final = this.finalName('reference', xformName(name));
        result.push(new Action(final, iniaName(final), relation, this.resourceDefs));
      } else {
        const final = this.finalName('subresource', name);
        result.push(new Action(final, final, relation, this.resourceDefs));
      }
    }
    return result;
  }

  /**
   * boto3's `get_attributes`: the shape's members, minus those whose snake_case name is an
   * identifier's name (identifiers are set otherwise), under their final names.
   */
  getAttributes<M>(shape: MembersShape<M>): Attribute<M>[] {
    const identifiers = this.identifiers;
    const identifierNames = new Set(identifiers.map((identifier) => identifier.name));
    const aliases = new Set(identifiers.flatMap((identifier) => (identifier.memberName === undefined ? [] : [identifier.memberName])));
    const attributes: Attribute<M>[] = [];
    for (const [memberName, member] of shape.members) {
      const snake = xformName(memberName);
      if (identifierNames.has(snake)) continue;
      const name = this.finalName('attribute', snake);
      attributes.push({ name, iniaName: iniaName(name), memberName, member, identifierAlias: aliases.has(name) });
    }
    return attributes;
  }

  /**
   * The `has` relations, keyed by name. The service resource also gets one constructor per
   * resource of the document: the `has` entries naming that type (any names they have), else
   * one named like the resource taking all its identifiers from the caller. They come in the
   * document's resource order, and `has` entries of a type the document lacks are dropped.
   */
  hasDefinition(): Map<string, ActionDefinition> {
    const has = this.definition.has ?? {};
    if (!this.isServiceResource) return new Map(Object.entries(has));
    const relations = new Map<string, ActionDefinition>();
    for (const [type, resourceDef] of Object.entries(this.resourceDefs)) {
      let found = false;
      for (const [hasName, relation] of Object.entries(has)) {
        if (relation.resource?.type === type) {
          relations.set(hasName, relation);
          found = true;
        }
      }
      if (!found) {
        const identifiers = (resourceDef.identifiers ?? []).map((identifier): ParameterDefinition => ({ target: identifier.name, source: 'input' }));
        relations.set(type, { resource: { type, identifiers } });
      }
    }
    return relations;
  }
}

function renameKey(category: NameCategory, name: string): string {
  return `${category}\u0000${name}`;
}

/**
 * boto3's test for a reference: an identifier with a `data` source. A `path` alone does not
 * make one (in the bundled models every `has` with a path also reads data).
 */
function relationNeedsData(relation: ActionDefinition): boolean {
  return (relation.resource?.identifiers ?? []).some((identifier) => identifier.source === 'data');
}

/**
 * A resource model with its rename map loaded from its shape, as boto3's factory builds it,
 * and inia's final names of everything on it.
 */
export class LoadedResourceModel<M = unknown> {
  readonly identifiers: readonly Identifier[];
  readonly attributes: readonly Attribute<M>[];
  readonly load: Action | undefined;
  readonly actions: readonly Action[];
  readonly batchActions: readonly Action[];
  readonly waiters: readonly Waiter[];
  readonly references: readonly Action[];
  readonly subresources: readonly Action[];
  readonly collections: readonly Collection[];

  constructor(
    readonly serviceName: string,
    readonly model: ResourceModel,
    shape: MembersShape<M> | undefined,
  ) {
    model.loadRenameMap(shape);
    this.identifiers = model.identifiers;
    this.attributes = shape === undefined ? [] : model.getAttributes(shape);
    this.load = model.load;
    this.actions = model.actions;
    this.batchActions = model.batchActions;
    this.waiters = model.waiters;
    this.references = model.references;
    this.subresources = model.subresources;
    this.collections = model.collections;
    this.checkDistinct();
  }

  get name(): string {
    return this.model.name;
  }

  get isServiceResource(): boolean {
    return this.model.isServiceResource;
  }

  /** inia's final names by category. */
  get names(): ResourceNames {
    const inia = (items: readonly { iniaName: string }[]): string[] => items.map((item) => item.iniaName);
    return {
      identifiers: inia(this.identifiers),
      attributes: inia(this.attributes),
      actions: inia(this.actions),
      batchActions: inia(this.batchActions),
      waiters: inia(this.waiters),
      references: inia(this.references),
      subresources: inia(this.subresources),
      collections: inia(this.collections),
    };
  }

  /**
   * boto3's renames leave every name on the resource distinct, and the camel-casing is
   * one-to-one on its names; this checks both held, since a clash would make one member of
   * the resource silently hide another. Batch actions live on collections and are not counted.
   */
  private checkDistinct(): void {
    const seen = new Set<string>([META]);
    if (this.load) seen.add(LOAD);
    const groups: [NameCategory, readonly { iniaName: string }[]][] = [
      ['identifier', this.identifiers],
      ['action', this.actions],
      ['subresource', this.subresources],
      ['reference', this.references],
      ['collection', this.collections],
      ['waiter', this.waiters],
      ['attribute', this.attributes],
    ];
    for (const [category, items] of groups) {
      for (const { iniaName: name } of items) {
        if (seen.has(name)) throw new ResourceModelError(this.model.name, category, name);
        seen.add(name);
      }
    }
  }
}

/**
 * The model of one resource, or of the service resource (pass the service's name as
 * `resourceName` and the document's `service` entry as `definition`), with boto3's renames
 * loaded from `shape` (the service-2 shape named by `definition.shape`, if it has one).
 */
export function resourceModel<M = unknown>(
  serviceName: string,
  resourceName: string,
  definition: ResourceDefinition,
  resourceDefs: Readonly<Record<string, ResourceDefinition>>,
  shape?: MembersShape<M>,
): LoadedResourceModel<M> {
  return new LoadedResourceModel(serviceName, new ResourceModel(resourceName, definition, resourceDefs), shape);
}
