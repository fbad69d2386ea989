/**
 * One service's declaration file, from its service-2, paginators-1 and waiters-2 documents.
 *
 * What a shape becomes:
 * - structure: an interface whose required members are required, others optional. In inputs
 *   idempotency tokens are optional (the client fills them). In outputs the model's required
 *   members are the ones a service always sends (a boto3 user reads `resp['Roles']` without a
 *   check, and so may `resp.Roles`); an error shape's members are all optional, error bodies
 *   being what they are.
 * - tagged union: `$.OneOf<...>` in inputs (exactly one member), an interface in outputs.
 * - string with an enum: `$.Enum<'A' | 'B'>` (the literals, or any string: enums are open).
 * - list, map, and scalars: written inline (`T[]`, `{ [key: string]: V }`, `string`...).
 * - timestamp: `$.TimestampInput` (Date | string | number) in inputs, `$.Timestamp` (Date) in outputs.
 * - blob: `$.BlobInput` / `$.Blob`; a streaming member or a blob payload takes `$.StreamingInput`
 *   and comes back as `$.StreamingBody`.
 * - long: also bigint in inputs, where the protocol can write one exactly (not JSON).
 *
 * A structure used by inputs and by outputs whose two forms differ (a timestamp, a blob, a
 * union, an idempotency token, or such a structure inside) gets two declarations: the model's name for
 * the input form and `<Name>Output` for the output form, as mypy-boto3 names them.
 *
 * Then what the service's customizations change (customizations.ts, applied here): members a
 * handler fills are optional in inputs, members a handler encodes or rewrites take what the
 * handler takes, outputs a handler decodes have the decoded type, members a handler adds are
 * declared, and a parameter alias is accepted in place of its member (never both: the method's
 * parameter is the input with the member replaced by a choice of the two names).
 */
import { CUSTOMIZATIONS, OUTPUT_SHAPE_TYPES, SERVICE_ALIASES, type MemberOverride, type OperationCustomization, type ParameterAlias } from './customizations.js';
import { lowerCamel, NameTable, propertyKey, servicePrefix } from './names.js';

export interface RawMember {
  shape: string;
  location?: string;
  streaming?: boolean;
  idempotencyToken?: boolean;
  deprecated?: boolean;
  jsonvalue?: boolean;
}

export interface RawShape {
  type: string;
  members?: Record<string, RawMember>;
  member?: RawMember;
  key?: RawMember;
  value?: RawMember;
  required?: string[];
  enum?: string[];
  union?: boolean;
  document?: boolean;
  exception?: boolean;
  payload?: string;
  streaming?: boolean;
  eventstream?: boolean;
}

export interface RawOperation {
  name: string;
  http?: { method?: string; requestUri?: string };
  input?: { shape: string };
  output?: { shape: string };
  errors?: { shape: string }[];
  deprecated?: boolean;
  deprecatedMessage?: string;
}

export interface ServiceDocuments {
  /** The folder name: what `client(name)` takes. */
  name: string;
  service: {
    metadata: { serviceId: string; protocol?: string; protocols?: string[]; targetPrefix?: string; apiVersion?: string };
    operations: Record<string, RawOperation>;
    shapes: Record<string, RawShape>;
  };
  paginators?: { pagination?: Record<string, unknown> };
  waiters?: { waiters?: Record<string, { operation: string }> };
}

export interface GeneratedService {
  /** The file's text. */
  text: string;
  /** The typed client's interface name ('S3Client'). */
  clientName: string;
  /** The names client() takes for this service: its own, then the aliases the runtime accepts. */
  names: string[];
  operations: number;
  shapes: number;
}

type Context = 'in' | 'out';

/** The protocols in the order the runtime picks among them (protocols/index.ts). */
export type ProtocolPriority = readonly string[];

/** One service's customizations (by default its entries in customizations.ts). */
export interface ServiceCustomizations {
  /** Per operation name; '*' applies to every operation. */
  operations?: Readonly<Record<string, OperationCustomization>>;
  /** Output members of these shapes (structure members, not list items) get this type. */
  outputShapeTypes?: Readonly<Record<string, string>>;
  /** Other names client() takes for this service. */
  serviceAliases?: readonly string[];
}

export interface GenerateOptions {
  priority: ProtocolPriority;
  reservedMethods: ReadonlySet<string>;
  header: string;
  /** Defaults to the service's entries in customizations.ts. */
  customizations?: ServiceCustomizations;
}

export function generateService(docs: ServiceDocuments, options: GenerateOptions): GeneratedService {
  return new ServiceWriter(docs, options).write();
}

/** The service's entries in the customization tables. */
export function customizationsOf(service: string): ServiceCustomizations {
  return {
    operations: CUSTOMIZATIONS[service],
    outputShapeTypes: OUTPUT_SHAPE_TYPES[service],
    serviceAliases: Object.keys(SERVICE_ALIASES).filter((alias) => SERVICE_ALIASES[alias] === service).sort(),
  };
}

class ServiceWriter {
  readonly #docs: ServiceDocuments;
  readonly #shapes: Record<string, RawShape>;
  readonly #prefix: string;
  readonly #protocol: string;
  readonly #reservedMethods: ReadonlySet<string>;
  readonly #header: string;
  readonly #names = new NameTable();
  /** Shape name -> the contexts it is used in (named shapes only: structures and enums). */
  readonly #used = new Map<string, Set<Context>>();
  /** Declared names: shape -> input-form name / output-form name. */
  readonly #inName = new Map<string, string>();
  readonly #outName = new Map<string, string>();
  /** Customized members: input shape -> member -> override, and the same for output shapes. */
  readonly #inOverrides = new Map<string, Readonly<Record<string, MemberOverride>>>();
  readonly #outOverrides = new Map<string, Readonly<Record<string, MemberOverride>>>();
  /** Operation -> the parameter aliases its input accepts. */
  readonly #aliases = new Map<string, ParameterAlias[]>();
  readonly #outputShapeTypes: Readonly<Record<string, string>>;
  readonly #serviceAliases: readonly string[];

  constructor(docs: ServiceDocuments, options: GenerateOptions) {
    this.#docs = docs;
    this.#shapes = docs.service.shapes;
    this.#prefix = servicePrefix(docs.service.metadata.serviceId);
    const meta = docs.service.metadata;
    const declared = meta.protocols ?? (meta.protocol !== undefined ? [meta.protocol] : []);
    this.#protocol = options.priority.find((p) => declared.includes(p)) ?? declared[0] ?? 'json';
    this.#reservedMethods = options.reservedMethods;
    this.#header = options.header;
    const custom = options.customizations ?? customizationsOf(docs.name);
    this.#outputShapeTypes = custom.outputShapeTypes ?? {};
    this.#serviceAliases = custom.serviceAliases ?? [];
    this.#resolveCustomizations(custom.operations ?? {});
  }

  // ---------------------------------------------------------------- customizations

  /**
   * Puts each operation's customization on the shapes it changes. An override is keyed by the
   * operation, but declared on its input or output shape, so that shape must be that
   * operation's alone (no other operation's, not inside another shape): the generator refuses
   * the model otherwise, as it does an entry naming an operation or member the model lacks.
   */
  #resolveCustomizations(table: Readonly<Record<string, OperationCustomization>>): void {
    const { operations } = this.#docs.service;
    const where = `${this.#docs.name} customizations`;
    for (const opName of Object.keys(table)) if (opName !== '*' && operations[opName] === undefined) throw new Error(`${where}: no operation ${opName}`);
    const every = table['*'] ?? {};
    // Shapes other shapes contain, and how many operations use each as input or output.
    const contained = new Set<string>();
    for (const shape of Object.values(this.#shapes)) for (const m of childMembers(shape)) contained.add(m.shape);
    const uses = new Map<string, number>();
    for (const op of Object.values(operations)) for (const ref of [op.input, op.output]) if (ref) uses.set(ref.shape, (uses.get(ref.shape) ?? 0) + 1);

    const place = (opName: string, ref: { shape: string } | undefined, overrides: Record<string, MemberOverride>, ctx: Context): void => {
      const entries = Object.entries(overrides).filter(([m, o]) => {
        const has = ref !== undefined && this.#shape(ref.shape).members?.[m] !== undefined;
        if (o.added === true) {
          if (ctx !== 'out' || has) throw new Error(`${where}: ${opName} ${m} is added to an output that ${has ? 'has it already' : 'cannot take it'}`);
          return ref !== undefined;
        }
        if (!has && o.ifPresent !== true) throw new Error(`${where}: ${opName}'s ${ctx === 'in' ? 'input' : 'output'} has no member ${m}`);
        return has;
      });
      if (entries.length === 0 || ref === undefined) return;
      if (contained.has(ref.shape) || uses.get(ref.shape) !== 1) throw new Error(`${where}: ${opName}'s shape ${ref.shape} is not that operation's alone, so its customization cannot be declared on it`);
      (ctx === 'in' ? this.#inOverrides : this.#outOverrides).set(ref.shape, Object.fromEntries(entries));
    };

    for (const opName of Object.keys(operations).sort()) {
      const op = operations[opName]!;
      const own = table[opName] ?? {};
      place(opName, op.input, { ...every.input, ...own.input }, 'in');
      place(opName, op.output, { ...every.output, ...own.output }, 'out');
      // parameter-aliases.ts: an alias applies where the operation's input has the member.
      const members = op.input ? this.#shape(op.input.shape).members ?? {} : {};
      for (const alias of own.aliases ?? []) if (members[alias.original] === undefined) throw new Error(`${where}: ${opName}'s input has no member ${alias.original} to alias`);
      const aliases = [...(every.aliases ?? []), ...(own.aliases ?? [])].filter((a) => members[a.original] !== undefined);
      for (const a of aliases) if (members[a.alias] !== undefined) throw new Error(`${where}: ${opName}'s input has a member ${a.alias}, the alias of ${a.original}`);
      if (aliases.length > 0) this.#aliases.set(opName, aliases);
    }
  }

  /** The override of one member of a structure, in one context. */
  #override(structure: string, member: string, ctx: Context): MemberOverride | undefined {
    return (ctx === 'in' ? this.#inOverrides : this.#outOverrides).get(structure)?.[member];
  }

  /** Whether an input must have the member: required by the model, not filled by the client. */
  #requiredInput(structure: string, member: string): boolean {
    const shape = this.#shape(structure);
    if (!(shape.required ?? []).includes(member)) return false;
    return shape.members?.[member]?.idempotencyToken !== true && this.#override(structure, member, 'in')?.optional !== true;
  }

  write(): GeneratedService {
    const { operations } = this.#docs.service;
    const p = this.#prefix;
    const generated = ['Client', 'Exceptions', 'Paginators', 'Waiters', 'OperationName', 'WaiterName'].map((s) => `${p}${s}`);
    for (const name of generated) this.#names.reserve(name);

    // Which shapes inputs and outputs reach.
    for (const op of Object.values(operations)) {
      if (op.input) this.#visit(op.input.shape, 'in');
      if (op.output) this.#visit(op.output.shape, 'out');
      for (const e of op.errors ?? []) this.#visit(e.shape, 'out');
    }
    for (const [name, shape] of Object.entries(this.#shapes)) if (shape.exception) this.#visit(name, 'out');

    this.#assignNames();

    const out: string[] = [this.#header, `import type * as $ from '../../src/typed-clients.js';`, ''];
    const methods = this.#operationMethods(out);
    this.#clientInterface(out, methods);
    // The client's entry in the service map: loading this file is what types client('<name>').
    out.push(
      "declare module '../../src/typed-clients.js' {",
      `  interface ServiceClients {`,
      `    ${JSON.stringify(this.#docs.name)}: ${p}Client;`,
      // common.ts SERVICE_NAME_ALIASES: client('runtime.sagemaker') is the SageMaker Runtime client.
      ...this.#serviceAliases.map((alias) => `    ${JSON.stringify(alias)}: ${p}Client;`),
      '  }',
      '}',
      '',
    );
    this.#shapeDeclarations(out);
    return { text: out.join('\n') + '\n', clientName: `${p}Client`, names: [this.#docs.name, ...this.#serviceAliases], operations: Object.keys(operations).length, shapes: this.#used.size };
  }

  // ---------------------------------------------------------------- reachability

  #visit(root: string, ctx: Context): void {
    const stack = [root];
    // Bounded by the number of shapes: each one is expanded once per context.
    const seen = new Set<string>();
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const shape = this.#shape(name);
      if (this.#isNamed(shape)) {
        let set = this.#used.get(name);
        if (set === undefined) this.#used.set(name, (set = new Set()));
        set.add(ctx);
      }
      for (const member of childMembers(shape)) stack.push(member.shape);
    }
  }

  #shape(name: string): RawShape {
    const shape = this.#shapes[name];
    if (shape === undefined) throw new Error(`${this.#docs.name}: shape ${name} is referenced but not defined`);
    return shape;
  }

  #isNamed(shape: RawShape): boolean {
    if (shape.type === 'structure') return shape.document !== true && shape.eventstream !== true;
    return shape.type === 'string' && shape.enum !== undefined && shape.enum.length > 0;
  }

  // ---------------------------------------------------------------- naming

  /**
   * Names every used shape; a structure whose input and output forms differ gets a second
   * name for its output form. "Differs" spreads from a structure to the ones that contain it,
   * so it is computed to a fixed point (each pass only adds; bounded by the shape count).
   */
  #assignNames(): void {
    for (const name of [...this.#used.keys()].sort()) {
      const declared = this.#names.claim(name);
      this.#inName.set(name, declared);
      this.#outName.set(name, declared);
    }
    const both = [...this.#used].filter(([, ctx]) => ctx.size === 2).map(([name]) => name).filter((n) => this.#shape(n).type === 'structure');
    const dual = new Set<string>();
    for (let pass = 0; pass <= both.length; pass++) {
      let changed = false;
      for (const name of both) {
        if (dual.has(name)) continue;
        if (this.#structureBody(name, 'in', dual) !== this.#structureBody(name, 'out', dual)) {
          dual.add(name);
          changed = true;
        }
      }
      if (!changed) break;
    }
    for (const name of [...dual].sort()) this.#outName.set(name, this.#names.claim(`${this.#inName.get(name)!}Output`));
  }

  #nameOf(shape: string, ctx: Context, dual?: ReadonlySet<string>): string {
    if (dual !== undefined) return ctx === 'out' && dual.has(shape) ? `${shape}\0Output` : shape;
    return (ctx === 'in' ? this.#inName : this.#outName).get(shape)!;
  }

  // ---------------------------------------------------------------- type expressions

  /** The type of a shape where it is used, in one context. `dual` is set while names are being decided. */
  #typeOf(name: string, ctx: Context, dual?: ReadonlySet<string>): string {
    const shape = this.#shape(name);
    switch (shape.type) {
      case 'structure':
        if (shape.document) return '$.DocumentType';
        if (shape.eventstream) return '$.EventStream';
        return this.#nameOf(name, ctx, dual);
      case 'string':
        return this.#isNamed(shape) ? this.#nameOf(name, ctx, dual) : 'string';
      case 'list': {
        const item = this.#typeOf(shape.member!.shape, ctx, dual);
        return /^[\w$.]+$/.test(item) ? `${item}[]` : `(${item})[]`;
      }
      case 'map':
        return `{ [key: string]: ${this.#typeOf(shape.value!.shape, ctx, dual)} }`;
      case 'integer':
      case 'float':
      case 'double':
      case 'short':
      case 'byte':
        return 'number';
      case 'long':
        return ctx === 'in' && this.#protocol !== 'json' && this.#protocol !== 'rest-json' ? '$.LongInput' : 'number';
      case 'boolean':
        return 'boolean';
      case 'timestamp':
        return ctx === 'in' ? '$.TimestampInput' : '$.Timestamp';
      case 'blob':
        if (shape.streaming) return ctx === 'in' ? '$.StreamingInput' : '$.StreamingBody';
        return ctx === 'in' ? '$.BlobInput' : '$.Blob';
      default:
        throw new Error(`${this.#docs.name}: shape ${name} has type ${shape.type}, which the generator does not know`);
    }
  }

  #memberType(parentName: string, memberName: string, member: RawMember, ctx: Context, dual?: ReadonlySet<string>): string {
    const type = this.#modelMemberType(this.#shape(parentName), memberName, member, ctx, dual);
    const override = this.#override(parentName, memberName, ctx)?.type;
    if (override !== undefined) return typeof override === 'string' ? override : override(type);
    // A member of a shape a handler decodes wherever outputs hold one (iam.ts's policies).
    if (ctx === 'out' && this.#shape(member.shape).type === 'string' && Object.hasOwn(this.#outputShapeTypes, member.shape)) return this.#outputShapeTypes[member.shape]!;
    return type;
  }

  /** A member's type as the model alone says it. */
  #modelMemberType(parent: RawShape, memberName: string, member: RawMember, ctx: Context, dual?: ReadonlySet<string>): string {
    if (member.jsonvalue) return '$.DocumentType';
    const shape = this.#shape(member.shape);
    if (shape.type === 'blob') {
      const streaming = member.streaming === true || shape.streaming === true;
      // A blob payload is the HTTP body itself: it takes what a streaming member takes.
      if (ctx === 'in' && (streaming || parent.payload === memberName)) return '$.StreamingInput';
      // An output's blob payload is read as a stream too (botocore's has_streaming_output).
      if (ctx === 'out' && (streaming || parent.payload === memberName)) return '$.StreamingBody';
    }
    return this.#typeOf(member.shape, ctx, dual);
  }

  /** A structure's members, one per line, as its `ctx` form declares them. */
  #structureBody(name: string, ctx: Context, dual?: ReadonlySet<string>): string {
    const shape = this.#shape(name);
    const members = shape.members ?? {};
    if (shape.union && ctx === 'in') {
      const parts = Object.entries(members).map(([m, member]) => `${memberDoc(member)}${propertyKey(m)}: ${this.#memberType(name, m, member, ctx, dual)};`);
      return `$.OneOf<{ ${parts.join(' ')} }>`;
    }
    const required = new Set(ctx === 'in' || shape.exception !== true ? shape.required ?? [] : []);
    const lines: string[] = [];
    for (const [m, member] of Object.entries(members)) {
      const optional = ctx === 'in' ? !this.#requiredInput(name, m) : !required.has(m);
      lines.push(`  ${memberDoc(member)}${propertyKey(m)}${optional ? '?' : ''}: ${this.#memberType(name, m, member, ctx, dual)};`);
    }
    // Members a handler adds to the output (s3-xml.ts's ExpiresString).
    for (const [m, o] of Object.entries((ctx === 'out' ? this.#outOverrides.get(name) : undefined) ?? {})) {
      if (o.added === true) lines.push(`  ${propertyKey(m)}?: ${typeof o.type === 'string' ? o.type : 'unknown'};`);
    }
    return lines.join('\n');
  }

  // ---------------------------------------------------------------- declarations

  #shapeDeclarations(out: string[]): void {
    out.push('// ---------------------------------------------------------------- shapes', '');
    for (const name of [...this.#used.keys()].sort()) {
      const shape = this.#shape(name);
      const contexts = this.#used.get(name)!;
      if (shape.type === 'string') {
        const values = shape.enum!.map((v) => JSON.stringify(v)).join(' | ');
        out.push(`export type ${this.#inName.get(name)!} = $.Enum<${values}>;`);
        continue;
      }
      const forms: [Context, string][] = [];
      if (contexts.has('in')) forms.push(['in', this.#inName.get(name)!]);
      if (contexts.has('out') && !(contexts.has('in') && this.#outName.get(name) === this.#inName.get(name))) forms.push(['out', this.#outName.get(name)!]);
      for (const [ctx, declared] of forms) {
        const body = this.#structureBody(name, ctx);
        if (shape.union && ctx === 'in') out.push(`export type ${declared} = ${body};`);
        else if (body === '') out.push(`export interface ${declared} {}`);
        else out.push(`export interface ${declared} {`, body, '}');
      }
    }
  }

  /** The operation methods of the client interface (written by #clientInterface). */
  #operationMethods(out: string[]): string[] {
    const lines: string[] = [];
    const names: string[] = [];
    const { operations } = this.#docs.service;
    for (const opName of Object.keys(operations).sort()) {
      const op = operations[opName]!;
      const method = lowerCamel(opName);
      // The runtime does not let an operation shadow a BaseClient member (client.ts); neither do the types.
      if (this.#reservedMethods.has(method)) continue;
      names.push(method);
      const params = this.#paramsOf(opName, op);
      const output = op.output ? this.#typeOf(op.output.shape, 'out') : '$.Empty';
      lines.push(`  /** ${this.#describe(op)} */`, `  ${method}(${params}, options?: $.CallOptions): $.Call<${output}>;`);
    }
    out.push(`/** An operation method name of ${this.#docs.service.metadata.serviceId}. */`);
    out.push(`export type ${this.#prefix}OperationName = ${names.length > 0 ? names.map((n) => `'${n}'`).join(' | ') : 'never'};`, '');
    return lines;
  }

  #paramsOf(opName: string, op: RawOperation): string {
    if (!op.input || this.#hasNoMembers(op.input.shape)) return 'params?: $.NoParams';
    const name = op.input.shape;
    const shape = this.#shape(name);
    const required = shape.union === true || (shape.required ?? []).some((m) => this.#requiredInput(name, m));
    return `params${required ? '' : '?'}: ${this.#inputType(opName, name)}`;
  }

  /**
   * What an operation's method takes: its input shape, or, where parameter aliases apply, that
   * shape with each aliased member replaced by a choice of the member or its alias, at most one
   * (exactly one when the member is required), as parameter-aliases.ts refuses both.
   */
  #inputType(opName: string, inputShape: string): string {
    const type = this.#typeOf(inputShape, 'in');
    const aliases = this.#aliases.get(opName);
    if (aliases === undefined) return type;
    const members = this.#shape(inputShape).members!;
    const omitted = aliases.map((a) => `'${a.original}'`).join(' | ');
    const choices = aliases.map((a) => {
      const t = this.#memberType(inputShape, a.original, members[a.original]!, 'in');
      const q = this.#requiredInput(inputShape, a.original) ? '' : '?';
      const [o, x] = [propertyKey(a.original), propertyKey(a.alias)];
      return `({ ${o}${q}: ${t}; ${x}?: never } | { ${x}${q}: ${t}; ${o}?: never })`;
    });
    return `Omit<${type}, ${omitted}> & ${choices.join(' & ')}`;
  }

  /**
   * An input without members: the method takes `$.NoParams`, which (unlike an empty interface,
   * to which TypeScript checks no excess members) refuses any member.
   */
  #hasNoMembers(shape: string): boolean {
    const raw = this.#shape(shape);
    return raw.type === 'structure' && raw.union !== true && Object.keys(raw.members ?? {}).length === 0;
  }

  /** The one-line comment of an operation: what goes on the wire. */
  #describe(op: RawOperation): string {
    const meta = this.#docs.service.metadata;
    let text: string;
    switch (this.#protocol) {
      case 'rest-json':
      case 'rest-xml':
        text = `${op.http?.method ?? 'POST'} ${op.http?.requestUri ?? '/'}`;
        break;
      case 'json':
        text = `POST / (X-Amz-Target: ${meta.targetPrefix ?? ''}.${op.name})`;
        break;
      case 'smithy-rpc-v2-cbor':
        text = `POST /service/${meta.targetPrefix ?? ''}/operation/${op.name}`;
        break;
      default:
        text = `POST / (Action=${op.name}&Version=${meta.apiVersion ?? ''})`;
    }
    text = text.replace(/\*\//g, '*\\/');
    if (op.deprecated) text += ` @deprecated${op.deprecatedMessage ? ` ${oneLine(op.deprecatedMessage)}` : ''}`;
    return text;
  }

  #clientInterface(out: string[], methods: string[]): void {
    const p = this.#prefix;
    const { metadata, operations } = this.#docs.service;
    const inputOf = (opName: string): string => {
      const op = operations[opName];
      return op?.input && !this.#hasNoMembers(op.input.shape) ? this.#inputType(opName, op.input.shape) : '$.Empty';
    };
    const outputOf = (opName: string): string => {
      const op = operations[opName];
      return op?.output ? this.#typeOf(op.output.shape, 'out') : '$.Empty';
    };

    // Exceptions: one class per modeled error, as client.exceptions has them at run time.
    const errors = Object.entries(this.#shapes)
      .filter(([, s]) => s.exception === true)
      .map(([name]) => name)
      .sort();
    out.push(`/** ${metadata.serviceId}'s modeled errors: \`e instanceof client.exceptions.X\` narrows to one. */`);
    out.push(`export type ${p}Exceptions = {`, '  readonly ClientError: typeof $.ClientError;');
    for (const name of errors) out.push(`  readonly ${propertyKey(name)}: $.ModeledError<${this.#typeOf(name, 'out')}>;`);
    out.push('};', '');

    const paginators = Object.keys(this.#docs.paginators?.pagination ?? {})
      .filter((op) => operations[op] !== undefined)
      .sort();
    out.push(`export interface ${p}Paginators {`);
    for (const op of paginators) out.push(`  ${lowerCamel(op)}: $.Paginator<${inputOf(op)}, ${outputOf(op)}>;`);
    out.push('}', '');

    const waiters = Object.entries(this.#docs.waiters?.waiters ?? {})
      .filter(([, w]) => operations[w.operation] !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push(`export interface ${p}Waiters {`);
    for (const [name, w] of waiters) out.push(`  ${lowerCamel(name)}: $.Waiter<${inputOf(w.operation)}>;`);
    out.push('}', '');
    out.push(`export type ${p}WaiterName = keyof ${p}Waiters;`, '');

    out.push(
      `/** A client for ${metadata.serviceId} (\`client('${this.#docs.name}')\`), protocol ${this.#protocol}. */`,
      `export interface ${p}Client extends $.ClientCore {`,
      `  readonly exceptions: ${p}Exceptions;`,
      `  readonly waiterNames: ${p}WaiterName[];`,
      `  canPaginate(operationName: ${p}OperationName): boolean;`,
      `  getPaginator<Name extends keyof ${p}Paginators>(operationName: Name): ${p}Paginators[Name];`,
      `  getWaiter<Name extends ${p}WaiterName>(name: Name): ${p}Waiters[Name];`,
      `  generatePresignedUrl<Name extends ${p}OperationName>(operation: Name, params?: $.ParamsOf<${p}Client[Name]>, options?: $.PresignUrlOptions): $.PresignedUrl;`,
      // Presigned POSTs are S3's (botocore adds generate_presigned_post to S3 clients only).
      ...(this.#docs.name === 's3' ? ['  generatePresignedPost(params: $.PresignedPostParams): $.PresignedPostResult;'] : []),
      // Methods botocore adds through creating-client-class (customizations/rds.ts, dsql.ts): on those clients only.
      ...(CLASS_ADDITIONS[this.#docs.name] ?? []),
      ...methods,
      '}',
      '',
    );
  }
}

/**
 * The declarations of the methods customizations add to one service's client class (botocore's
 * creating-client-class handlers), by service name. Their parameter types are written out here
 * (they are not model shapes).
 */
const CLASS_ADDITIONS: Readonly<Record<string, readonly string[]>> = {
  rds: [
    '  /** An IAM database authentication token (a presigned `connect` for the rds-db service, valid 15 minutes), as botocore\'s generate_db_auth_token. */',
    '  generateDbAuthToken(params: { DBHostname: string; Port: number; DBUsername: string; Region?: string }): Promise<string>;',
  ],
  dsql: [
    '  /** A DSQL token for the DbConnect action (a custom database role), as botocore\'s generate_db_connect_auth_token. ExpiresIn defaults to 900 seconds. */',
    '  generateDbConnectAuthToken(params: { Hostname: string; Region?: string; ExpiresIn?: number }): Promise<string>;',
    '  /** A DSQL token for the DbConnectAdmin action (the admin role), as botocore\'s generate_db_connect_admin_auth_token. ExpiresIn defaults to 900 seconds. */',
    '  generateDbConnectAdminAuthToken(params: { Hostname: string; Region?: string; ExpiresIn?: number }): Promise<string>;',
  ],
};

function childMembers(shape: RawShape): RawMember[] {
  switch (shape.type) {
    case 'structure':
      return Object.values(shape.members ?? {});
    case 'list':
      return shape.member ? [shape.member] : [];
    case 'map':
      return [shape.key, shape.value].filter((m): m is RawMember => m !== undefined);
    default:
      return [];
  }
}

function memberDoc(member: RawMember): string {
  return member.deprecated ? '/** @deprecated */ ' : '';
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();
}
