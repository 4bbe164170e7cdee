// The default context manager's bind() (for callbacks that run later: timers,
// listeners) and its enable()/disable() switch, as in @opentelemetry/api.
// Pure logic: Node.
import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SyncContextManager, createContextKey } from '../../src/index.js';

const KEY = createContextKey('test.request');
const ctx = ROOT_CONTEXT.setValue(KEY, 'request 1');

describe('SyncContextManager', () => {
  it('bind() makes a function run with the context active, keeping its this and arguments', () => {
    const manager = new SyncContextManager();
    const receiver = { name: 'receiver' };
    const bound = manager.bind(ctx, function (this: typeof receiver, a: number, b: number) {
      return [manager.active().getValue(KEY), this.name, a + b];
    });
    expect(manager.active()).toBe(ROOT_CONTEXT);
    expect(bound.call(receiver, 1, 2)).toEqual(['request 1', 'receiver', 3]);
    expect(manager.active()).toBe(ROOT_CONTEXT);
  });

  it('bind() returns anything that is not a function as it is', () => {
    const manager = new SyncContextManager();
    const listener = { handleEvent() {} };
    expect(manager.bind(ctx, listener)).toBe(listener);
    expect(manager.bind(ctx, undefined)).toBeUndefined();
  });

  it('disabled, it keeps no context active; enabled again, it does', () => {
    const manager = new SyncContextManager();
    const activeIn = () => manager.with(ctx, () => manager.active());
    expect(manager.disable()).toBe(manager);
    expect(activeIn()).toBe(ROOT_CONTEXT);
    expect(manager.enable()).toBe(manager);
    expect(activeIn()).toBe(ctx);
  });
});
