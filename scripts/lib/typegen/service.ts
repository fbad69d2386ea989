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
 */
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
  operations: number;
  shapes: number;
}

type Context = 'in' | 'out';

/** The protocols in the order the runtime picks among them (protocols/index.ts). */
export type ProtocolPriority = readonly string[];

export function generateService(docs: ServiceDocuments, options: { priority: ProtocolPriority; reservedMethods: ReadonlySet<string>; header: string }): GeneratedService {
  return new ServiceWriter(docs, options).write();
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

  constructor(docs: ServiceDocuments, options: { priority: ProtocolPriority; reservedMethods: ReadonlySet<string>; header: string }) {
    this.#docs = docs;
    this.#shapes = docs.service.shapes;
    this.#prefix = servicePrefix(docs.service.metadata.serviceId);
    const meta = docs.service.metadata;
    const declared = meta.protocols ?? (meta.protocol !== undefined ? [meta.protocol] : []);
    this.#protocol = options.priority.find((p) => declared.includes(p)) ?? declared[0] ?? 'json';
    this.#reservedMethods = options.reservedMethods;
    this.#header = options.header;
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
      '  }',
      '}',
      '',
    );
    this.#shapeDeclarations(out);
    return { text: out.join('\n') + '\n', clientName: `${p}Client`, operations: Object.keys(operations).length, shapes: this.#used.size };
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

  #memberType(parent: RawShape, memberName: string, member: RawMember, ctx: Context, dual?: ReadonlySet<string>): string {
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
      const parts = Object.entries(members).map(([m, member]) => `${memberDoc(member)}${propertyKey(m)}: ${this.#memberType(shape, m, member, ctx, dual)};`);
      return `$.OneOf<{ ${parts.join(' ')} }>`;
    }
    const required = new Set(ctx === 'in' || shape.exception !== true ? shape.required ?? [] : []);
    const lines: string[] = [];
    for (const [m, member] of Object.entries(members)) {
      const optional = !required.has(m) || (ctx === 'in' && member.idempotencyToken === true);
      lines.push(`  ${memberDoc(member)}${propertyKey(m)}${optional ? '?' : ''}: ${this.#memberType(shape, m, member, ctx, dual)};`);
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
      const params = this.#paramsOf(op);
      const output = op.output ? this.#typeOf(op.output.shape, 'out') : '$.Empty';
      lines.push(`  /** ${this.#describe(op)} */`, `  ${method}(${params}, options?: $.CallOptions): $.Call<${output}>;`);
    }
    out.push(`/** An operation method name of ${this.#docs.service.metadata.serviceId}. */`);
    out.push(`export type ${this.#prefix}OperationName = ${names.length > 0 ? names.map((n) => `'${n}'`).join(' | ') : 'never'};`, '');
    return lines;
  }

  #paramsOf(op: RawOperation): string {
    if (!op.input || this.#hasNoMembers(op.input.shape)) return 'params?: $.NoParams';
    const shape = this.#shape(op.input.shape);
    const type = this.#typeOf(op.input.shape, 'in');
    const required = shape.union === true || (shape.required ?? []).some((m) => shape.members?.[m]?.idempotencyToken !== true);
    return `params${required ? '' : '?'}: ${type}`;
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
      return op?.input && !this.#hasNoMembers(op.input.shape) ? this.#typeOf(op.input.shape, 'in') : '$.Empty';
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
