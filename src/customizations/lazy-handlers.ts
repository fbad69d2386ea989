/**
 * Handlers whose code is imported on their first event: a service's customizations register
 * when its client is made (botocore's order), but their bodies are compiled only by the
 * service's first call, so a DynamoDB client never compiles S3's. Only for events a call
 * awaits (before-parameter-build, before-call, before-parse, after-call, after-call-error): a
 * handler of an event emitted synchronously (service-data-loaded, creating-client-class,
 * before-endpoint-resolution) must stay synchronous and is registered directly.
 */
import type { EventArgs, EventHandler } from '../events.js';

type HandlerModule = Record<string, unknown>;

/** `handler('name')` is a handler calling the module's export `name`, once the module is loaded (then without a promise). */
export function lazyHandlers<M extends HandlerModule>(load: () => Promise<M>): (name: keyof M & string) => EventHandler {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const call = (module: M, name: keyof M & string, args: EventArgs): unknown => (module[name] as EventHandler)(args);
  return (name) => (args) => {
    if (loaded !== undefined) return call(loaded, name, args);
    loading ??= load().then((module) => (loaded = module));
    return loading.then((module) => call(module, name, args));
  };
}
