import { AsyncLocalStorage } from 'node:async_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { autoContextManager, pickContextManager } from '../../src/browser/rum.js';
import { AsyncContextManager } from '../../src/context/async-context.js';
import { ZoneContextManager } from '../../src/context/zone.js';
import { SyncContextManager } from '../../src/core/sync-context-manager.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

// What autoContextManager(choice) returns with and without zone.js and a native
// AsyncContext, and what it says; pickContextManager() is its 'auto' (the script tag's).
const messages = captureDiagnostics();
const g = globalThis as { Zone?: unknown; AsyncContext?: unknown };

/** A stand-in for the TC39 AsyncContext.Variable, on Node's AsyncLocalStorage. */
class Variable {
  #storage = new AsyncLocalStorage<unknown>();
  get = () => this.#storage.getStore();
  run = <R>(value: unknown, fn: () => R): R => this.#storage.run(value, fn);
}
/** Enough of zone.js for ZoneContextManager's constructor. */
const fakeZone = Object.assign(function Zone() {}, { current: {} });

const withGlobals = (zone: boolean, asyncContext: boolean) => {
  g.Zone = zone ? fakeZone : undefined;
  g.AsyncContext = asyncContext ? { Variable } : undefined;
};
afterEach(() => withGlobals(false, false));

describe('autoContextManager', () => {
  it("'auto' picks zone.js, then AsyncContext, then the synchronous stack, silently; pickContextManager() is the same", () => {
    for (const [zone, asyncContext, kind] of [
      [true, true, ZoneContextManager],
      [false, true, AsyncContextManager],
      [false, false, SyncContextManager],
    ] as const) {
      withGlobals(zone, asyncContext);
      expect(autoContextManager(), `zone ${zone}, AsyncContext ${asyncContext}`).toBeInstanceOf(kind);
      expect(autoContextManager('auto')).toBeInstanceOf(kind);
      expect(pickContextManager()).toBeInstanceOf(kind);
    }
    expect(messages).toEqual([]);
  });

  it("'zone' without zone.js falls back to the synchronous stack (not AsyncContext), and says so once", () => {
    withGlobals(false, true);
    expect(autoContextManager('zone')).toBeInstanceOf(SyncContextManager);
    expect(autoContextManager('zone')).toBeInstanceOf(SyncContextManager);
    expect(messages).toEqual(['contextManager "zone" needs zone.js loaded before tracelet; using the synchronous context manager']);
    withGlobals(true, false);
    expect(autoContextManager('zone')).toBeInstanceOf(ZoneContextManager);
  });

  it("'async-context' without AsyncContext falls back to the synchronous stack, and says so once; 'sync' is always the synchronous stack", () => {
    withGlobals(true, false);
    expect(autoContextManager('async-context')).toBeInstanceOf(SyncContextManager);
    expect(messages).toEqual(['this browser has no AsyncContext; using the synchronous context manager']);
    withGlobals(true, true);
    expect(autoContextManager('async-context')).toBeInstanceOf(AsyncContextManager);
    expect(autoContextManager('sync')).toBeInstanceOf(SyncContextManager);
  });

  it('an unknown choice is a TypeError naming the choices', () => {
    expect(() => autoContextManager('zones' as never)).toThrow(new TypeError('tracelet: autoContextManager() takes auto, zone, async-context, sync, got zones'));
  });
});
