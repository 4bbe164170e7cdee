import type { ContextManager } from '../../core/context.js';
import { DEV } from '../../core/dev.js';
import { warnOnce } from '../../core/diag.js';
import { bindingCall } from './call.js';

let installed = false;

/**
 * The Cache API (`caches.default`, `caches.open(name)`): `match`, `put` and
 * `delete` of every Cache become CLIENT spans `Cache <method>` inside an
 * instrumented invocation, untraced outside one. `caches` is a global, not an
 * env member: its Cache class is wrapped once per isolate, as the global
 * fetch is (installGlobalFetch). OpenTelemetry has no cache conventions:
 * `cache.hit` is the name Sentry's conventions and otel-cf-workers use
 * (match: a response was found; delete: an entry was deleted),
 * `cloudflare.cache.name` the name given to `caches.open` (`default` for
 * `caches.default`). Request URLs (the keys) are not recorded.
 */
export function installCaches(contextManager: ContextManager): void {
  if (installed) return;
  installed = true;
  try {
    const storage = (globalThis as { caches?: { default?: object; open?: Function } }).caches;
    const proto = storage?.default && (Object.getPrototypeOf(storage.default) as Record<string, Function>);
    if (!proto || typeof storage.open !== 'function') return;
    const names = new WeakMap<object, string>();
    const open = storage.open;
    // The Cache object is the one workerd made; only its name is noted.
    storage.open = function (this: unknown, ...args: unknown[]) {
      return (Reflect.apply(open, this, args) as Promise<object>).then((cache) => (names.set(cache, String(args[0])), cache));
    };
    for (const method of ['match', 'put', 'delete']) {
      const original = proto[method];
      if (typeof original !== 'function') continue;
      proto[method] = function (this: object, ...args: unknown[]) {
        return bindingCall(
          contextManager.active(),
          `Cache ${method}`,
          { 'cloudflare.cache.name': names.get(this) ?? 'default' },
          () => Reflect.apply(original, this, args),
          (result, span) => {
            if (method !== 'put') span.setAttribute('cache.hit', method === 'match' ? result !== undefined : result === true);
          },
        );
      };
    }
  } catch {
    // A Cache class that cannot be changed (frozen by the app or a library): caches stay untraced.
    warnOnce('W40', DEV && 'the Cache API could not be wrapped (its Cache class is frozen?): caches.default and caches.open() calls are not traced');
  }
}
