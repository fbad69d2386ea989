/**
 * Shape resolution: the typed view of a botocore service-2 model (ServiceModel,
 * OperationModel, Shape). Everything here is computed lazily and cached, because a model
 * has thousands of shapes and a process typically touches a handful of them.
 */
import { UnknownOperationError } from '../errors.js';

/** A member reference inside a structure/list/map: `{ shape, ...member traits }`. */
export interface ShapeRef {
  shape: string;
  [trait: string]: unknown;
}

/** A raw shape definition from service-2's `shapes` map. */
export interface ShapeDef {
  type: string;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  required?: string[];
  enum?: string[];
  min?: number;
  max?: number;
  [trait: string]: unknown;
}

export interface OperationDef {
  name: string;
  http?: { method?: string; requestUri?: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
  endpoint?: { hostPrefix?: string };
  [trait: string]: unknown;
}

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol?: string;
  protocols?: string[];
  serviceId?: string;
  signingName?: string;
  signatureVersion?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  serviceFullName?: string;
  awsQueryCompatible?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ServiceDescription {
  metadata: ServiceMetadata;
  operations: Record<string, OperationDef>;
  shapes: Record<string, ShapeDef>;
  [key: string]: unknown;
}

/**
 * Traits that say where and how a value travels on the wire (botocore's
 * Shape.serialization). `locationName` is exposed as `name`, as botocore does.
 */
export interface Serialization {
  name?: string;
  queryName?: string;
  flattened?: boolean;
  location?: string;
  payload?: string;
  streaming?: boolean;
  timestampFormat?: string;
  xmlNamespace?: { prefix?: string; uri: string } | string;
  resultWrapper?: string;
  xmlAttribute?: boolean;
  eventstream?: boolean;
  event?: boolean;
  eventheader?: boolean;
  eventpayload?: boolean;
  jsonvalue?: boolean;
  hostLabel?: boolean;
}

const SERIALIZED_ATTRS = [
  'locationName', 'queryName', 'flattened', 'location', 'payload', 'streaming',
  'timestampFormat', 'xmlNamespace', 'resultWrapper', 'xmlAttribute', 'eventstream',
  'event', 'eventheader', 'eventpayload', 'jsonvalue', 'hostLabel',
] as const;

export class Shape {
  /** Effective definition: the shape's own traits overlaid with the member reference's. */
  readonly def: ShapeDef;
  readonly serialization: Serialization;
  private membersCache: Map<string, Shape> | undefined;
  private memberCache: Shape | undefined;
  private keyCache: Shape | undefined;
  private valueCache: Shape | undefined;
  private eventStreamCache: string | undefined;

  constructor(
    readonly name: string,
    def: ShapeDef,
    private readonly model: ServiceModel,
  ) {
    this.def = def;
    const ser: Record<string, unknown> = {};
    for (const attr of SERIALIZED_ATTRS) {
      if (def[attr] !== undefined) ser[attr === 'locationName' ? 'name' : attr] = def[attr];
    }
    this.serialization = ser as Serialization;
  }

  get typeName(): string {
    return this.def.type;
  }

  /** Structure members in model order. Empty for non-structures. */
  get members(): ReadonlyMap<string, Shape> {
    if (this.membersCache === undefined) {
      const map = new Map<string, Shape>();
      const refs = this.def.members;
      if (refs) for (const name of Object.keys(refs)) map.set(name, this.model.resolveShapeRef(refs[name]!));
      this.membersCache = map;
    }
    return this.membersCache;
  }

  /** List element shape. */
  get member(): Shape {
    if (this.memberCache === undefined) this.memberCache = this.model.resolveShapeRef(this.requireRef('member'));
    return this.memberCache;
  }

  /** Map key shape. */
  get key(): Shape {
    if (this.keyCache === undefined) this.keyCache = this.model.resolveShapeRef(this.requireRef('key'));
    return this.keyCache;
  }

  /** Map value shape. */
  get value(): Shape {
    if (this.valueCache === undefined) this.valueCache = this.model.resolveShapeRef(this.requireRef('value'));
    return this.valueCache;
  }

  get requiredMembers(): readonly string[] {
    return this.def.required ?? [];
  }

  get enum(): readonly string[] {
    return this.def.enum ?? [];
  }

  get min(): number | undefined {
    return this.def.min;
  }

  get max(): number | undefined {
    return this.def.max;
  }

  get isException(): boolean {
    return this.def.exception === true;
  }

  /** The error code a service sends for this exception shape (botocore's Shape.error_code). */
  get errorCode(): string | undefined {
    if (!this.isException) return undefined;
    const error = this.def.error as { code?: string } | undefined;
    return error?.code || this.name;
  }

  get isDocumentType(): boolean {
    return this.def.document === true;
  }

  get isTaggedUnion(): boolean {
    return this.def.union === true;
  }

  get isSensitive(): boolean {
    return this.def.sensitive === true;
  }

  get isIdempotencyToken(): boolean {
    return this.def.idempotencyToken === true;
  }

  /** Name of the member holding an event stream, if this output structure has one. */
  get eventStreamName(): string | undefined {
    // Asked on every parse of an output: computed once ('' caches "none").
    if (this.eventStreamCache === undefined) {
      this.eventStreamCache = '';
      for (const [name, shape] of this.members) {
        if (shape.serialization.eventstream) {
          this.eventStreamCache = name;
          break;
        }
      }
    }
    return this.eventStreamCache === '' ? undefined : this.eventStreamCache;
  }

  private requireRef(which: 'member' | 'key' | 'value'): ShapeRef {
    const ref = this.def[which];
    if (!ref) throw new TypeError(`Shape ${this.name} (${this.def.type}) has no ${which}`);
    return ref;
  }
}

export class OperationModel {
  private inputCache: Shape | null | undefined;
  private outputCache: Shape | null | undefined;
  private errorShapesCache: Shape[] | undefined;

  constructor(
    readonly name: string,
    readonly def: OperationDef,
    readonly serviceModel: ServiceModel,
  ) {}

  get http(): { method: string; requestUri: string; responseCode?: number } {
    const http = this.def.http ?? {};
    return { method: http.method ?? 'POST', requestUri: http.requestUri ?? '/', ...(http.responseCode !== undefined ? { responseCode: http.responseCode } : {}) };
  }

  get metadata(): ServiceMetadata {
    return this.serviceModel.metadata;
  }

  get inputShape(): Shape | null {
    if (this.inputCache === undefined) this.inputCache = this.def.input ? this.serviceModel.resolveShapeRef(this.def.input) : null;
    return this.inputCache;
  }

  get outputShape(): Shape | null {
    if (this.outputCache === undefined) this.outputCache = this.def.output ? this.serviceModel.resolveShapeRef(this.def.output) : null;
    return this.outputCache;
  }

  get errorShapes(): readonly Shape[] {
    if (this.errorShapesCache === undefined) this.errorShapesCache = (this.def.errors ?? []).map((ref) => this.serviceModel.resolveShapeRef(ref));
    return this.errorShapesCache;
  }

  get endpoint(): { hostPrefix?: string } | undefined {
    return this.def.endpoint;
  }

  get deprecated(): boolean {
    return this.def.deprecated === true;
  }

  get authType(): string | undefined {
    return this.def.authtype as string | undefined;
  }

  /** The structure member holding the HTTP payload, if the input names one. */
  get hasStreamingInput(): boolean {
    return streamingPayload(this.inputShape) !== undefined;
  }

  get hasStreamingOutput(): boolean {
    return streamingPayload(this.outputShape) !== undefined;
  }
}

/**
 * botocore's OperationModel._get_streaming_body: the output's payload member when it is a blob,
 * streaming trait or not (Lambda Invoke's Payload comes back as a StreamingBody, as S3's Body).
 */
function streamingPayload(shape: Shape | null): Shape | undefined {
  const payload = shape?.serialization.payload;
  if (!shape || !payload) return undefined;
  const member = shape.members.get(payload);
  return member && member.typeName === 'blob' ? member : undefined;
}

export class ServiceModel {
  readonly metadata: ServiceMetadata;
  private readonly shapeCache = new Map<string, Shape>();
  private readonly operationCache = new Map<string, OperationModel>();
  private errorCodeCache: Map<string, Shape> | undefined;
  private operationNamesCache: string[] | undefined;

  /**
   * @param description the parsed service-2 document
   * @param serviceName botocore's service name (the models/ folder name), e.g. 'dynamodb'
   */
  constructor(
    readonly description: ServiceDescription,
    readonly serviceName: string,
  ) {
    this.metadata = description.metadata;
  }

  get apiVersion(): string {
    return this.metadata.apiVersion;
  }

  get endpointPrefix(): string {
    return this.metadata.endpointPrefix;
  }

  get serviceId(): string {
    return this.metadata.serviceId ?? this.serviceName;
  }

  /** The service id as used in event names: lowercase, spaces to hyphens ('api-gateway'). */
  get hyphenizedServiceId(): string {
    return this.serviceId.replace(/ /g, '-').toLowerCase();
  }

  get signingName(): string {
    return this.metadata.signingName ?? this.endpointPrefix;
  }

  get signatureVersion(): string | undefined {
    return this.metadata.signatureVersion;
  }

  /** Every protocol the model declares, newest list first (`protocols`, else `protocol`). */
  get protocols(): readonly string[] {
    if (this.metadata.protocols?.length) return this.metadata.protocols;
    return this.metadata.protocol ? [this.metadata.protocol] : [];
  }

  get isQueryCompatible(): boolean {
    return this.metadata.awsQueryCompatible !== undefined;
  }

  get operationNames(): readonly string[] {
    if (this.operationNamesCache === undefined) this.operationNamesCache = Object.keys(this.description.operations);
    return this.operationNamesCache;
  }

  hasOperation(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.description.operations, name);
  }

  operationModel(name: string): OperationModel {
    let op = this.operationCache.get(name);
    if (op === undefined) {
      if (!this.hasOperation(name)) throw new UnknownOperationError(this.serviceName, name);
      op = new OperationModel(name, this.description.operations[name]!, this);
      this.operationCache.set(name, op);
    }
    return op;
  }

  shapeFor(name: string): Shape {
    let shape = this.shapeCache.get(name);
    if (shape === undefined) {
      const def = this.description.shapes[name];
      if (!def) throw new TypeError(`Service '${this.serviceName}' model has no shape named '${name}'`);
      shape = new Shape(name, def, this);
      this.shapeCache.set(name, shape);
    }
    return shape;
  }

  /**
   * A member reference resolves to the named shape, or, when the reference carries its
   * own traits (locationName, location, ...), to a copy with those traits laid over it.
   */
  resolveShapeRef(ref: ShapeRef): Shape {
    const keys = Object.keys(ref);
    if (keys.length === 1) return this.shapeFor(ref.shape);
    const base = this.description.shapes[ref.shape];
    if (!base) throw new TypeError(`Service '${this.serviceName}' model has no shape named '${ref.shape}'`);
    const { shape: _ignored, ...traits } = ref;
    return new Shape(ref.shape, { ...base, ...traits } as ShapeDef, this);
  }

  /** Every exception shape of the model, in model order. */
  get errorShapes(): readonly Shape[] {
    return [...this.errorCodes.values()];
  }

  /** The exception shape for a wire error code, if the model has one. */
  shapeForErrorCode(code: string): Shape | undefined {
    return this.errorCodes.get(code);
  }

  private get errorCodes(): Map<string, Shape> {
    if (this.errorCodeCache === undefined) {
      const map = new Map<string, Shape>();
      for (const [name, def] of Object.entries(this.description.shapes)) {
        if (def.exception === true) {
          const shape = this.shapeFor(name);
          map.set(shape.errorCode!, shape);
        }
      }
      this.errorCodeCache = map;
    }
    return this.errorCodeCache;
  }
}
