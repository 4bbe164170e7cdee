import { ContextManagerBase, ROOT_CONTEXT, type Context } from '../core/context.js';

/** The part of zone.js's `Zone` we use; zone.js itself is the page's (an optional peer dependency). */
interface ZoneLike {
  get(key: string): unknown;
  fork(spec: { name: string; properties: Record<string, unknown> }): ZoneLike;
  run<T>(fn: (...args: unknown[]) => T, applyThis?: unknown, applyArgs?: unknown[]): T;
  wrap<F extends (...args: never[]) => unknown>(fn: F, source: string): F;
}
interface ZoneStatic {
  current: ZoneLike;
}

/**
 * The zone property that holds the context: the name @opentelemetry/context-zone
 * uses, which OpenTelemetry instrumentations read from zones directly (user
 * interaction counts the tasks of a click's zone by it, to end the click span
 * when its work is done), so they work over tracelet/otel-api too.
 * https://github.com/open-telemetry/opentelemetry-js/blob/main/packages/opentelemetry-context-zone-peer-dep/src/ZoneContextManager.ts
 */
const KEY = 'OT_ZONE_CONTEXT';

/** `window.Zone` when zone.js is loaded (Angular apps), else undefined. */
export function getZone(): ZoneStatic | undefined {
  const Z = (globalThis as { Zone?: ZoneStatic }).Zone;
  return Z && typeof (Z as unknown) === 'function' && Z.current ? Z : undefined;
}

/**
 * Keeps the active context in a zone.js zone, so it follows everything zone.js
 * patches: timers, DOM events, XHR, and promises of transpiled async code.
 * zone.js cannot follow native `async`/`await` (its promises bypass the patched
 * `Promise`, https://github.com/angular/angular/issues/31730): after a native
 * `await`, use `bind()` or target ES2016 as Angular CLI does.
 *
 * @example
 * import 'zone.js';
 * import { ZoneContextManager } from 'tracelet/zone';
 * startBrowserTracing({ contextManager: new ZoneContextManager() });
 */
export class ZoneContextManager extends ContextManagerBase {
  readonly #Zone: ZoneStatic;

  constructor() {
    super();
    const Z = getZone();
    if (!Z) throw new TypeError('tracelet: ZoneContextManager needs zone.js loaded first (import "zone.js")');
    this.#Zone = Z;
  }

  active(): Context {
    return (this.enabled && (this.#Zone.current.get(KEY) as Context | undefined)) || ROOT_CONTEXT;
  }

  #fork(context: Context): ZoneLike {
    return this.#Zone.current.fork({ name: 'tracelet', properties: { [KEY]: context } });
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.enabled ? this.#fork(context).run(fn as unknown as (...a: unknown[]) => ReturnType<F>, thisArg, args) : fn.call(thisArg, ...args);
  }

  // The bound function runs in a zone of its own, so what it schedules keeps the context too.
  // zone.run, not zone.wrap: wrap runs guarded, and a zone like Angular's would swallow what the function throws.
  override bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const zone = this.#fork(context);
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return function (this: unknown, ...args: unknown[]) {
      return zone.run(fn, this, args);
    } as unknown as T;
  }
}
