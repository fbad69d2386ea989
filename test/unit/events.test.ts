import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EventRegistrationError,
  HierarchicalEmitter,
  firstNonNullResponse,
  type EventArgs,
  type EventHandler,
} from '../../src/events.js';

/** A handler that records its name in `calls` and responds with `response`. */
function recorder(calls: string[]) {
  return (name: string, response?: unknown): EventHandler => {
    const handler: EventHandler = () => {
      calls.push(name);
      return response;
    };
    Object.defineProperty(handler, 'name', { value: name });
    return handler;
  };
}

/** Register one handler per name (register/middle section) and return the call order for an event. */
async function orderFor(names: string[], eventName: string): Promise<string[]> {
  const emitter = new HierarchicalEmitter();
  const calls: string[] = [];
  const make = recorder(calls);
  for (const name of names) emitter.register(name, make(name));
  await emitter.emit(eventName);
  return calls;
}

describe('HierarchicalEmitter matching', () => {
  it('delivers an event to handlers of the event and of every dot-prefix of it', async () => {
    const emitter = new HierarchicalEmitter();
    const seen: string[] = [];
    emitter.register('before-call', (args) => void seen.push(`general:${args.eventName}`));
    emitter.register('before-call.dynamodb', (args) => void seen.push(`service:${args.eventName}`));
    emitter.register('before-call.dynamodb.GetItem', (args) => void seen.push(`op:${args.eventName}`));
    emitter.register('before-call.s3', () => void seen.push('other service'));
    await emitter.emit('before-call.dynamodb.GetItem');
    assert.deepEqual(seen, [
      'op:before-call.dynamodb.GetItem',
      'service:before-call.dynamodb.GetItem',
      'general:before-call.dynamodb.GetItem',
    ]);
  });

  it('matches whole segments only, and never a more specific registration', async () => {
    assert.deepEqual(await orderFor(['before'], 'before-call.x'), []);
    assert.deepEqual(await orderFor(['a.b'], 'a'), []);
    assert.deepEqual(await orderFor(['a.b'], 'a.bc'), []);
    assert.deepEqual(await orderFor(['a.b'], 'a.b.c.d'), ['a.b']);
  });

  it('matches * against exactly one segment anywhere in the name', async () => {
    const names = ['before-call.*.GetItem'];
    assert.deepEqual(await orderFor(names, 'before-call.dynamodb.GetItem'), names);
    assert.deepEqual(await orderFor(names, 'before-call.s3.GetItem'), names);
    assert.deepEqual(await orderFor(names, 'before-call.s3.PutItem'), []);
    assert.deepEqual(await orderFor(names, 'before-call.GetItem'), []);
    assert.deepEqual(await orderFor(['a.*'], 'a'), []);
    assert.deepEqual(await orderFor(['a.*'], 'a.b.c'), ['a.*']);
    assert.deepEqual(await orderFor(['*'], 'anything.at.all'), ['*']);
  });

  it('passes the arguments and eventName, each handler getting its own copy of the argument object', async () => {
    const emitter = new HierarchicalEmitter();
    const params = { TableName: 't' };
    const received: EventArgs[] = [];
    emitter.register('ev', (args) => {
      received.push(args);
      (args['params'] as Record<string, unknown>)['Added'] = 1; // shared values are shared
      args['params'] = 'reassigned'; // reassignment stays local, like Python **kwargs
    });
    emitter.register('ev', (args) => void received.push(args));
    const input = { params, eventName: 'ignored' };
    await emitter.emit('ev.sub', input);
    assert.equal(received[0]!.eventName, 'ev.sub');
    assert.deepEqual(received[1], { params: { TableName: 't', Added: 1 }, eventName: 'ev.sub' });
    assert.equal(received[1]!['params'], params);
    assert.notEqual(received[0], received[1]);
    assert.deepEqual(input, { params, eventName: 'ignored' }, "the caller's object is untouched");
    // No args at all is fine too.
    const bare = new HierarchicalEmitter();
    bare.register('ev', (args) => void received.push(args));
    await bare.emit('ev');
    assert.deepEqual(received[2], { eventName: 'ev' });
  });
});

describe('HierarchicalEmitter ordering (expected orders checked against botocore 1.43.11)', () => {
  it('runs handlers of one name in registration order', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    for (const name of ['1', '2', '3']) emitter.register('ev', make(name));
    await emitter.emit('ev');
    assert.deepEqual(calls, ['1', '2', '3']);
  });

  it('orders first/middle/last per registered name, deeper names first', async () => {
    // botocore 1.43.11: ['ABClast', 'ABfirst', 'ABmid', 'ABlast', 'Afirst', 'Amid']
    // registerFirst on a general name does NOT run before the handlers of a more specific name.
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    emitter.registerLast('a.b', make('ABlast'));
    emitter.register('a.b', make('ABmid'));
    emitter.registerFirst('a.b', make('ABfirst'));
    emitter.registerFirst('a', make('Afirst'));
    emitter.registerLast('a.b.c', make('ABClast'));
    emitter.register('a', make('Amid'));
    await emitter.emit('a.b.c');
    assert.deepEqual(calls, ['ABClast', 'ABfirst', 'ABmid', 'ABlast', 'Afirst', 'Amid']);
  });

  it('runs registrations reached through * before those reached through the exact segment', async () => {
    // botocore 1.43.11: ['*BC', '*', 'A*C', 'A*', 'ABC', 'AB', 'A'] for these names as
    // (a, a.b, a.b.c, *.b.c, a.*.c, a.*, *). A top-level '*' runs before 'a.b.c'.
    const order = await orderFor(['a', 'a.b', 'a.b.c', '*.b.c', 'a.*.c', 'a.*', '*'], 'a.b.c');
    assert.deepEqual(order, ['*.b.c', '*', 'a.*.c', 'a.*', 'a.b.c', 'a.b', 'a']);
  });

  it('orders every wildcard combination exactly as botocore', async () => {
    const names = ['*.*.c', '*.b.*', 'a.*.*', '*.b.c', 'a.*.c', 'a.b.*', 'a.b.c', '*.*', '*.b', 'a.*', 'a.b', '*', 'a'];
    // botocore 1.43.11 for 'a.b.c' and for the longer 'a.b.c.d':
    const expected = ['*.*.c', '*.*', '*.b.*', '*.b.c', '*.b', '*', 'a.*.*', 'a.*.c', 'a.*', 'a.b.*', 'a.b.c', 'a.b', 'a'];
    assert.deepEqual(await orderFor(names, 'a.b.c'), expected);
    assert.deepEqual(await orderFor(names, 'a.b.c.d'), expected);
    // botocore 1.43.11 for 'a': ['*', 'a'].
    assert.deepEqual(await orderFor(names, 'a'), ['*', 'a']);
  });

  it('calls a handler once per registration', async () => {
    // botocore 1.43.11: registering the same function twice calls it twice.
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const h = recorder(calls)('H');
    emitter.register('a', h);
    emitter.register('a', h);
    await emitter.emit('a');
    assert.deepEqual(calls, ['H', 'H']);
  });

  it('reaches a wildcard node twice when the emitted name itself contains *', async () => {
    // botocore 1.43.11 quirk: emit('a.*') with 'a.*' registered calls the handler twice,
    // since the '*' child is both the exact and the wildcard match.
    assert.deepEqual(await orderFor(['a.*'], 'a.*'), ['a.*', 'a.*']);
  });

  it('returns every (handler, response) pair in call order', async () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const general = make('general', 'g');
    const specific = make('specific');
    emitter.register('x', general);
    emitter.register('x.y', specific);
    const responses = await emitter.emit('x.y');
    assert.deepEqual(responses, [
      [specific, undefined],
      [general, 'g'],
    ]);
    assert.equal(firstNonNullResponse(responses), 'g');
    assert.equal(firstNonNullResponse([[specific, null]], 'dflt'), 'dflt');
  });
});

describe('HierarchicalEmitter unique ids', () => {
  it('ignores a second registration with the same unique id, even for another event', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    emitter.register('a', make('H'), 'uid');
    emitter.register('a', make('H2'), 'uid');
    emitter.registerFirst('b', make('G'), 'uid');
    await emitter.emit('a');
    await emitter.emit('b');
    assert.deepEqual(calls, ['H']);
    emitter.unregister('a', undefined, 'uid');
    assert.equal(emitter.hasHandlers('a'), false);
    // The id is free again.
    emitter.register('b', make('G'), 'uid');
    await emitter.emit('b');
    assert.deepEqual(calls, ['H', 'G']);
  });

  it('unregisters the handler registered under the id, whatever handler is passed', async () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    const other = make('other');
    emitter.register('a', h, 'uid');
    emitter.register('a', other);
    emitter.unregister('a', other, 'uid');
    assert.deepEqual(emitter.handlersFor('a'), [other]);
  });

  it('counts registrations with uniqueIdUsesCount and needs as many unregistrations', () => {
    const emitter = new HierarchicalEmitter();
    const h = recorder([])('H');
    emitter.register('a', h, 'uid', true);
    emitter.register('a', h, 'uid', true);
    emitter.registerLast('a', h, 'uid', true);
    assert.equal(emitter.handlersFor('a').length, 1, 'only the first registration adds the handler');
    emitter.unregister('a', undefined, 'uid', true);
    emitter.unregister('a', undefined, 'uid', true);
    assert.equal(emitter.hasHandlers('a'), true);
    emitter.unregister('a', undefined, 'uid', true);
    assert.equal(emitter.hasHandlers('a'), false);
    // Unknown now: a no-op.
    emitter.unregister('a', undefined, 'uid', true);
    emitter.unregister('a', undefined, 'uid');
  });

  it('rejects mixing counted and uncounted use of one unique id', () => {
    const emitter = new HierarchicalEmitter();
    const h = recorder([])('H');
    emitter.register('counted', h, 'c', true);
    emitter.register('plain', h, 'p');
    assert.throws(() => emitter.register('counted', h, 'c'), EventRegistrationError);
    assert.throws(() => emitter.register('plain', h, 'p', true), EventRegistrationError);
    assert.throws(() => emitter.unregister('counted', undefined, 'c'), /registered with a counter/);
    assert.throws(() => emitter.unregister('plain', undefined, 'p', true), /registered without a counter/);
    // Failed calls changed nothing.
    assert.equal(emitter.hasHandlers('counted'), true);
    assert.equal(emitter.hasHandlers('plain'), true);
    emitter.unregister('counted', undefined, 'c', true);
    emitter.unregister('plain', undefined, 'p');
    assert.equal(emitter.hasHandlers('counted'), false);
    assert.equal(emitter.hasHandlers('plain'), false);
  });

  it('forgets a unique id unregistered under the wrong event name, leaving the handler registered', () => {
    // botocore 1.43.11: after register('a', h, unique_id='u'); unregister('b', unique_id='u')
    // h still runs for 'a' and the id 'u' is no longer known.
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    emitter.register('a', h, 'u');
    emitter.unregister('b', undefined, 'u');
    assert.deepEqual(emitter.handlersFor('a'), [h]);
    const g = make('G');
    emitter.register('a', g, 'u');
    assert.deepEqual(emitter.handlersFor('a'), [h, g]);
  });
});

describe('HierarchicalEmitter unregister', () => {
  it('removes the first registration of a handler, looking in first, then middle, then last', async () => {
    // botocore 1.43.11: register(h), register(g), register_first(h), unregister(h) -> [h, g]
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    const g = make('G');
    emitter.register('a', h);
    emitter.register('a', g);
    emitter.registerFirst('a', h);
    emitter.unregister('a', h);
    assert.deepEqual(emitter.handlersFor('a'), [h, g]);
  });

  it('ignores unknown handlers, unknown names, and names that only lead to other names', () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    emitter.register('a.b', h);
    emitter.unregister('a.b', make('unknown'));
    emitter.unregister('nope', h);
    emitter.unregister('a', h); // botocore 1.43.11 raises AttributeError here; a no-op is meant
    emitter.unregister('a.b.c', h);
    emitter.unregister('a.b');
    assert.deepEqual(emitter.handlersFor('a.b'), [h]);
    emitter.unregister('a.b', h);
    assert.deepEqual(emitter.handlersFor('a.b'), []);
    emitter.unregister('a.b', h);
  });

  it('removes only registrations for exactly that name', async () => {
    const emitter = new HierarchicalEmitter();
    const h = recorder([])('H');
    emitter.register('a', h);
    emitter.register('a.b', h);
    emitter.unregister('a.b', h);
    assert.deepEqual(emitter.handlersFor('a.b'), [h]);
    emitter.register('a.b.c', h);
    emitter.unregister('a', h);
    assert.deepEqual(emitter.handlersFor('a.b.c'), [h]);
    assert.deepEqual(emitter.handlersFor('a'), []);
  });

  it('can register again after a name was emptied', async () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    emitter.register('a.b.c', h);
    emitter.unregister('a.b.c', h);
    emitter.register('a.b.c', h);
    emitter.register('a', h);
    assert.deepEqual(emitter.handlersFor('a.b.c'), [h, h]);
  });
});

describe('HierarchicalEmitter emitUntilResponse', () => {
  it('stops at the first response that is not null/undefined', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    emitter.register('a', make('undef'));
    emitter.register('a', make('null', null));
    const zero = make('zero', 0);
    emitter.register('a', zero); // 0 is a response, as in botocore 1.43.11
    emitter.register('a', make('never', 'x'));
    const result = await emitter.emitUntilResponse('a');
    assert.deepEqual(result, [zero, 0]);
    assert.deepEqual(calls, ['undef', 'null', 'zero']);
  });

  it('gives [null, null] without handlers and the last handler when none responds', async () => {
    const emitter = new HierarchicalEmitter();
    assert.deepEqual(await emitter.emitUntilResponse('a'), [null, null]);
    const make = recorder([]);
    const last = make('last');
    emitter.register('a', make('first'));
    emitter.register('a', last);
    // botocore 1.43.11 returns responses[-1], i.e. (last handler, None).
    assert.deepEqual(await emitter.emitUntilResponse('a'), [last, undefined]);
  });
});

describe('HierarchicalEmitter async handlers and errors', () => {
  it('awaits each handler before calling the next and records resolved values', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const slow: EventHandler = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      calls.push('slow');
      return 'slow-result';
    };
    const fast: EventHandler = () => {
      calls.push('fast');
      return 'fast-result';
    };
    emitter.register('a', slow);
    emitter.register('a', fast);
    const responses = await emitter.emit('a');
    assert.deepEqual(calls, ['slow', 'fast']);
    assert.deepEqual(responses, [
      [slow, 'slow-result'],
      [fast, 'fast-result'],
    ]);
  });

  it('treats a promise resolving to undefined as no response', async () => {
    const emitter = new HierarchicalEmitter();
    const none: EventHandler = async () => undefined;
    const some: EventHandler = async () => ({ ok: true });
    emitter.register('a', none);
    emitter.register('a', some);
    assert.deepEqual(await emitter.emitUntilResponse('a'), [some, { ok: true }]);
  });

  it('propagates a sync throw as a rejection and skips later handlers', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    emitter.register('a', () => {
      throw new TypeError('boom');
    });
    emitter.register('a', () => void calls.push('after'));
    const pending = emitter.emit('a'); // must not throw synchronously
    await assert.rejects(pending, { name: 'TypeError', message: 'boom' });
    await assert.rejects(emitter.emitUntilResponse('a'), /boom/);
    assert.deepEqual(calls, []);
  });

  it('propagates an async rejection', async () => {
    const emitter = new HierarchicalEmitter();
    emitter.register('a', async () => {
      throw new Error('async boom');
    });
    await assert.rejects(emitter.emit('a.b'), /async boom/);
  });

  it('rejects a handler that is not a function', () => {
    const emitter = new HierarchicalEmitter();
    assert.throws(() => emitter.register('a', 'nope' as unknown as EventHandler), EventRegistrationError);
    assert.equal(emitter.hasHandlers('a'), false);
  });
});

describe('HierarchicalEmitter copy', () => {
  it('copies registrations, after which the two emitters are independent', async () => {
    const original = new HierarchicalEmitter();
    const make = recorder([]);
    const h = make('H');
    original.register('a', h);
    assert.equal(original.hasHandlers('a.b'), true); // warm the cache before copying
    const copy = original.copy();
    assert.deepEqual(copy.handlersFor('a.b'), [h]);

    const onlyCopy = make('onlyCopy');
    copy.register('a.b', onlyCopy);
    assert.deepEqual(copy.handlersFor('a.b'), [onlyCopy, h]);
    assert.deepEqual(original.handlersFor('a.b'), [h]);

    original.unregister('a', h);
    assert.deepEqual(original.handlersFor('a.b'), []);
    assert.deepEqual(copy.handlersFor('a.b'), [onlyCopy, h]);

    const onlyOriginal = make('onlyOriginal');
    original.register('a', onlyOriginal);
    assert.deepEqual(copy.handlersFor('a'), [h]);
  });

  it('copies unique-id records independently (botocore 1.43.11 shares their counts)', () => {
    const original = new HierarchicalEmitter();
    const h = recorder([])('H');
    original.register('a', h, 'uid', true);
    const copy = original.copy();
    copy.register('a', h, 'uid', true);
    original.unregister('a', undefined, 'uid', true);
    assert.equal(original.hasHandlers('a'), false);
    copy.unregister('a', undefined, 'uid', true);
    assert.equal(copy.hasHandlers('a'), true, 'the copy had two registrations');
    copy.unregister('a', undefined, 'uid', true);
    assert.equal(copy.hasHandlers('a'), false);
    // The id was freed in the original by its own single unregistration.
    original.register('a', h, 'uid');
    assert.equal(original.hasHandlers('a'), true);
    assert.equal(copy.hasHandlers('a'), false);
  });
});

describe('HierarchicalEmitter caching and fast path', () => {
  it('answers hasHandlers/handlersFor from a cache that register and unregister invalidate', () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    assert.equal(emitter.hasHandlers('before-call.s3.GetObject'), false);
    const h = make('H');
    emitter.register('before-call.s3', h);
    assert.equal(emitter.hasHandlers('before-call.s3.GetObject'), true);
    const first = emitter.handlersFor('before-call.s3.GetObject');
    assert.equal(emitter.handlersFor('before-call.s3.GetObject'), first, 'cached: the same frozen list');
    assert.ok(Object.isFrozen(first));

    const g = make('G');
    emitter.registerFirst('before-call', g);
    const second = emitter.handlersFor('before-call.s3.GetObject');
    assert.notEqual(second, first);
    assert.deepEqual(second, [h, g]);
    assert.deepEqual(first, [h], 'an earlier snapshot is not changed');

    emitter.unregister('before-call.s3', h);
    assert.deepEqual(emitter.handlersFor('before-call.s3.GetObject'), [g]);
    emitter.unregister('before-call', g);
    assert.equal(emitter.hasHandlers('before-call.s3.GetObject'), false);
  });

  it('does not invalidate on no-op registrations or unregistrations', () => {
    const emitter = new HierarchicalEmitter();
    const make = recorder([]);
    emitter.register('a', make('H'), 'uid');
    const cached = emitter.handlersFor('a.b');
    emitter.register('a', make('again'), 'uid');
    emitter.unregister('a', make('unknown'));
    assert.equal(emitter.handlersFor('a.b'), cached);
  });

  it('returns a shared, already-resolved empty result when nothing listens', async () => {
    const emitter = new HierarchicalEmitter();
    const p1 = emitter.emit('before-call.s3.GetObject');
    const p2 = emitter.emit('after-call.s3.GetObject', { a: 1 });
    assert.equal(p1, p2);
    const responses = await p1;
    assert.deepEqual(responses, []);
    assert.ok(Object.isFrozen(responses));
    assert.equal(emitter.emitUntilResponse('x'), emitter.emitUntilResponse('y'));
    assert.deepEqual(await emitter.emitUntilResponse('x'), [null, null]);
    // Also when other events do have handlers.
    emitter.register('other', recorder([])('H'));
    assert.equal(emitter.emit('before-call.s3.GetObject'), p1);
    assert.equal(emitter.handlersFor('x'), emitter.handlersFor('y'));
  });

  it('uses the handler list captured when the emit started', async () => {
    // Same as botocore: the cached list being iterated is never modified.
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    const late = make('late');
    emitter.register('a', () => {
      calls.push('registering');
      emitter.register('a', late);
    });
    await emitter.emit('a');
    assert.deepEqual(calls, ['registering']);
    await emitter.emit('a');
    assert.deepEqual(calls, ['registering', 'registering', 'late']);
  });

  it('runs sync handlers without waiting for a microtask between them', async () => {
    const emitter = new HierarchicalEmitter();
    const calls: string[] = [];
    const make = recorder(calls);
    emitter.register('a', make('1'));
    emitter.register('a', make('2'));
    const pending = emitter.emit('a');
    assert.deepEqual(calls, ['1', '2'], 'sync handlers ran before emit returned');
    await pending;
  });
});
