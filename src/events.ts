/**
 * The event system (botocore's HierarchicalEmitter). Clients emit dot-separated,
 * hierarchical event names such as `before-call.dynamodb.GetItem`; a handler registered
 * for any prefix of that name (`before-call.dynamodb`, `before-call`) receives it, and a
 * `*` segment in a registration matches any one segment (`before-call.*.GetItem`).
 *
 * Handlers run in exactly botocore's order, which comes from a depth-first walk of a
 * prefix trie (see `#search`): along one path, deeper (more specific) registrations run
 * first; within one registration name, registerFirst, then register, then registerLast.
 *
 * Speed matters because the client consults the emitter several times per request and
 * usually nobody listens: the handler list of each full event name is computed once and
 * cached until the next register/unregister, `hasHandlers`/`handlersFor` are a map
 * lookup after the first call, and emitting an event without handlers allocates nothing.
 */
import { IniaError } from './errors.js';
import { aliasEventName } from './event-aliases.js';

/** What every handler receives: the emitter's arguments plus the emitted event's name. */
export interface EventArgs {
  eventName: string;
  [key: string]: unknown;
}

/**
 * A handler may be sync or async. Its (awaited) result is its response; `undefined` and
 * `null` both count as "no response", as Python's None does.
 */
export type EventHandler = (args: EventArgs) => unknown | Promise<unknown>;

/** One handler and what it returned, as botocore's `(handler, response)` tuples. */
export type HandlerResponse = [EventHandler, unknown];

/** Misuse of register/unregister (botocore raises ValueError for the same cases). */
export class EventRegistrationError extends IniaError {}

type Section = 'first' | 'middle' | 'last';

/** One dot-separated segment of registered event names. */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  /** null until something is registered for exactly this name, as most nodes are only path. */
  values: { first: EventHandler[]; middle: EventHandler[]; last: EventHandler[] } | null;
}

interface UniqueIdEntry {
  readonly handler: EventHandler;
  /** null when registered without uniqueIdUsesCount; otherwise how many registrations remain. */
  count: number | null;
}

// Shared, frozen "nothing to do" results: the no-listener path of every request returns
// these instead of allocating. They are frozen so that a caller who mutates one fails
// loudly instead of corrupting every later result.
const NO_HANDLERS: readonly EventHandler[] = Object.freeze([]);
const NO_RESPONSES = Object.freeze([]) as unknown as HandlerResponse[];
const NO_RESPONSES_PROMISE: Promise<HandlerResponse[]> = Promise.resolve(NO_RESPONSES);
const NO_RESPONSE = Object.freeze([null, null]) as unknown as [null, null];
const NO_RESPONSE_PROMISE: Promise<HandlerResponse | [null, null]> = Promise.resolve(NO_RESPONSE);

function newNode(): TrieNode {
  return { children: new Map(), values: null };
}

function copyNode(node: TrieNode): TrieNode {
  const copy: TrieNode = {
    children: new Map(),
    values: node.values && {
      first: node.values.first.slice(),
      middle: node.values.middle.slice(),
      last: node.values.last.slice(),
    },
  };
  for (const [part, child] of node.children) copy.children.set(part, copyNode(child));
  return copy;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** botocore's first_non_none_response: the first response that is not null/undefined. */
export function firstNonNullResponse(
  responses: ReadonlyArray<readonly [EventHandler, unknown]>,
  defaultValue?: unknown,
): unknown {
  for (const [, response] of responses) {
    if (response !== null && response !== undefined) return response;
  }
  return defaultValue;
}

export class HierarchicalEmitter {
  #root: TrieNode = newNode();
  /** Full event name -> frozen handler list; cleared whenever the registrations change. */
  #cache = new Map<string, readonly EventHandler[]>();
  #uniqueIds = new Map<string, UniqueIdEntry>();
  /** Handlers held by the trie; 0 lets lookups skip both the trie and the cache. */
  #registered = 0;

  /** Register a handler to run after registerFirst handlers and before registerLast ones. */
  register(eventName: string, handler: EventHandler, uniqueId?: string | null, uniqueIdUsesCount = false): void {
    this.#register(eventName, handler, uniqueId, uniqueIdUsesCount, 'middle');
  }

  /** Register a handler to run before the register/registerLast handlers of the same name. */
  registerFirst(eventName: string, handler: EventHandler, uniqueId?: string | null, uniqueIdUsesCount = false): void {
    this.#register(eventName, handler, uniqueId, uniqueIdUsesCount, 'first');
  }

  /** Register a handler to run after the registerFirst/register handlers of the same name. */
  registerLast(eventName: string, handler: EventHandler, uniqueId?: string | null, uniqueIdUsesCount = false): void {
    this.#register(eventName, handler, uniqueId, uniqueIdUsesCount, 'last');
  }

  /**
   * Remove one registration. With a uniqueId, the handler registered under that id is
   * removed from `eventName` (with uniqueIdUsesCount, only once the count reaches zero);
   * otherwise the first registration of `handler` for exactly `eventName` is removed.
   * Unknown handlers, ids and names are ignored.
   */
  unregister(eventName: string, handler?: EventHandler, uniqueId?: string | null, uniqueIdUsesCount = false): void {
    let target = handler;
    if (uniqueId !== undefined && uniqueId !== null) {
      const entry = this.#uniqueIds.get(uniqueId);
      if (entry === undefined) return;
      if (uniqueIdUsesCount) {
        if (entry.count === null) {
          throw new EventRegistrationError(
            `Unique id ${uniqueId} was registered without a counter; unregister it without uniqueIdUsesCount as well.`,
          );
        }
        if (entry.count > 1) {
          entry.count -= 1;
          return;
        }
      } else if (entry.count !== null) {
        throw new EventRegistrationError(
          `Unique id ${uniqueId} was registered with a counter; unregister it with uniqueIdUsesCount as well.`,
        );
      }
      this.#uniqueIds.delete(uniqueId);
      // As botocore does, the id's handler replaces any handler given, and the id itself is
      // forgotten even when the handler is not registered under `eventName`.
      target = entry.handler;
    }
    if (target === undefined) return;
    if (this.#remove(aliasEventName(eventName), target)) {
      this.#registered -= 1;
      this.#cache.clear();
    }
  }

  /**
   * The handlers `emit(eventName)` would call, in call order. Synchronous and cached, so
   * a caller can skip building event arguments (and the emit) when the list is empty.
   * The list is a frozen snapshot: later registrations do not change it.
   */
  handlersFor(eventName: string): readonly EventHandler[] {
    if (this.#registered === 0) return NO_HANDLERS;
    let handlers = this.#cache.get(eventName);
    if (handlers === undefined) {
      // Old names are aliased only here, on a cache miss: a cached emit costs nothing more.
      handlers = this.#search(aliasEventName(eventName));
      this.#cache.set(eventName, handlers);
    }
    return handlers;
  }

  /** Whether anything listens for `eventName` (a map lookup after the first call). */
  hasHandlers(eventName: string): boolean {
    return this.handlersFor(eventName).length > 0;
  }

  /**
   * Call every handler for `eventName` in order, awaiting each, and resolve to each
   * handler's response. A handler's error rejects the returned promise and stops the
   * remaining handlers. Without handlers, a shared, frozen empty result is returned.
   */
  /**
   * Calls every handler now, in order, for events emitted where the caller cannot wait (while
   * a client is being made, as botocore's service-data-loaded). A handler that returns a
   * promise is an error here: its work would happen after the caller moved on.
   */
  emitSync(eventName: string, args?: Record<string, unknown>): HandlerResponse[] {
    const responses: HandlerResponse[] = [];
    for (const handler of this.handlersFor(eventName)) {
      const response = handler(argsFor(eventName, args));
      if (isPromiseLike(response)) throw new IniaError(`A handler of ${eventName} returned a promise; handlers of this event must be synchronous`);
      responses.push([handler, response]);
    }
    return responses;
  }

  emit(eventName: string, args?: Record<string, unknown>): Promise<HandlerResponse[]> {
    const handlers = this.handlersFor(eventName);
    if (handlers.length === 0) return NO_RESPONSES_PROMISE;
    return callAll(handlers, eventName, args);
  }

  /**
   * Call handlers in order until one responds with something other than null/undefined,
   * and resolve to that `[handler, response]`. As botocore does, when handlers ran but none
   * responded, the result is the last handler with its empty response; `[null, null]`
   * means no handler was registered at all.
   */
  emitUntilResponse(eventName: string, args?: Record<string, unknown>): Promise<HandlerResponse | [null, null]> {
    const handlers = this.handlersFor(eventName);
    if (handlers.length === 0) return NO_RESPONSE_PROMISE;
    return callUntilResponse(handlers, eventName, args);
  }

  /**
   * An independent emitter with the same registrations: registering or unregistering on
   * either (unique-id counts included) does not affect the other. botocore's copy shares
   * its unique-id count records between the copies; this one does not.
   */
  copy(): HierarchicalEmitter {
    const copy = new HierarchicalEmitter();
    copy.#root = copyNode(this.#root);
    for (const [id, entry] of this.#uniqueIds) copy.#uniqueIds.set(id, { handler: entry.handler, count: entry.count });
    // Cached lists are frozen and describe identical registrations, so they can be shared.
    copy.#cache = new Map(this.#cache);
    copy.#registered = this.#registered;
    return copy;
  }

  #register(
    eventName: string,
    handler: EventHandler,
    uniqueId: string | null | undefined,
    uniqueIdUsesCount: boolean,
    section: Section,
  ): void {
    if (typeof handler !== 'function') {
      throw new EventRegistrationError(`Event handler ${String(handler)} must be callable.`);
    }
    // botocore's EventAliaser: 'before-call.autoscaling' is registered as 'before-call.auto-scaling'.
    eventName = aliasEventName(eventName);
    if (uniqueId !== undefined && uniqueId !== null) {
      const existing = this.#uniqueIds.get(uniqueId);
      if (existing !== undefined) {
        // The id is already registered (for whatever event name): nothing is added, but
        // mixing counted and uncounted use of one id is a programming error.
        if (uniqueIdUsesCount) {
          if (existing.count === null) {
            throw new EventRegistrationError(
              `Unique id ${uniqueId} was first registered without a counter; later registrations must not use uniqueIdUsesCount either.`,
            );
          }
          existing.count += 1;
        } else if (existing.count !== null) {
          throw new EventRegistrationError(
            `Unique id ${uniqueId} was first registered with a counter; later registrations must use uniqueIdUsesCount as well.`,
          );
        }
        return;
      }
      this.#uniqueIds.set(uniqueId, { handler, count: uniqueIdUsesCount ? 1 : null });
    }
    let node = this.#root;
    for (const part of eventName.split('.')) {
      let child = node.children.get(part);
      if (child === undefined) {
        child = newNode();
        node.children.set(part, child);
      }
      node = child;
    }
    node.values ??= { first: [], middle: [], last: [] };
    node.values[section].push(handler);
    this.#registered += 1;
    this.#cache.clear();
  }

  /** Remove the first registration of `handler` for exactly `eventName`; false when none. */
  #remove(eventName: string, handler: EventHandler): boolean {
    const parts = eventName.split('.');
    const path: TrieNode[] = [this.#root];
    let node = this.#root;
    for (const part of parts) {
      const child = node.children.get(part);
      if (child === undefined) return false;
      path.push(child);
      node = child;
    }
    const values = node.values;
    if (values === null) return false;
    // botocore looks in the first section, then middle, then last.
    const list = [values.first, values.middle, values.last].find((l) => l.includes(handler));
    if (list === undefined) return false;
    list.splice(list.indexOf(handler), 1);
    if (values.first.length + values.middle.length + values.last.length === 0) node.values = null;
    // Prune nodes left with neither handlers nor children so that misses stay short.
    for (let i = path.length - 1; i > 0; i--) {
      const current = path[i]!;
      if (current.values !== null || current.children.size > 0) break;
      path[i - 1]!.children.delete(parts[i - 1]!);
    }
    return true;
  }

  /**
   * botocore's prefix search. Walk the trie depth first, at each node trying the child
   * for the next segment and the `*` child, the exact child explored first. The handler
   * lists of the visited nodes are then concatenated in reverse visiting order, each node
   * contributing first + middle + last. Consequences (checked against botocore 1.43.11):
   * `a.b.c` runs before `a.b` before `a`, but every registration reached through a `*`
   * branch runs before those reached through the exact segment at that level, so for
   * `a.b.c` the order is `*.b.c`, `*`, `a.*.c`, `a.*`, `a.b.c`, `a.b`, `a`.
   */
  #search(eventName: string): readonly EventHandler[] {
    const parts = eventName.split('.');
    const visited: Array<NonNullable<TrieNode['values']>> = [];
    const nodes: TrieNode[] = [this.#root];
    const depths: number[] = [0];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const depth = depths.pop()!;
      if (node.values !== null) visited.push(node.values);
      if (depth === parts.length) continue;
      // Pushed wildcard first so that the exact child is popped (visited) first.
      const wildcard = node.children.get('*');
      if (wildcard !== undefined) {
        nodes.push(wildcard);
        depths.push(depth + 1);
      }
      const exact = node.children.get(parts[depth]!);
      if (exact !== undefined) {
        nodes.push(exact);
        depths.push(depth + 1);
      }
    }
    if (visited.length === 0) return NO_HANDLERS;
    const handlers: EventHandler[] = [];
    for (let i = visited.length - 1; i >= 0; i--) {
      const { first, middle, last } = visited[i]!;
      handlers.push(...first, ...middle, ...last);
    }
    return handlers.length === 0 ? NO_HANDLERS : Object.freeze(handlers);
  }
}

/**
 * Each handler gets its own shallow copy of the arguments, as each Python handler gets
 * its own **kwargs: a handler that reassigns an argument does not change what later
 * handlers see, while mutations of shared values (params, request, context) do propagate.
 */
function argsFor(eventName: string, args: Record<string, unknown> | undefined): EventArgs {
  return { ...args, eventName };
}

async function callAll(
  handlers: readonly EventHandler[],
  eventName: string,
  args: Record<string, unknown> | undefined,
): Promise<HandlerResponse[]> {
  const responses: HandlerResponse[] = [];
  for (const handler of handlers) {
    let response = handler(argsFor(eventName, args));
    // Awaiting only real thenables keeps sync handlers from costing a microtask each.
    if (isPromiseLike(response)) response = await response;
    responses.push([handler, response]);
  }
  return responses;
}

async function callUntilResponse(
  handlers: readonly EventHandler[],
  eventName: string,
  args: Record<string, unknown> | undefined,
): Promise<HandlerResponse> {
  let last!: HandlerResponse;
  for (const handler of handlers) {
    let response = handler(argsFor(eventName, args));
    if (isPromiseLike(response)) response = await response;
    last = [handler, response];
    if (response !== null && response !== undefined) break;
  }
  return last;
}
