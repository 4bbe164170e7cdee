import { ContextManagerBase, ROOT_CONTEXT, type Context } from '../core/context.js';

/** The part of `AsyncContext.Variable` (TC39 proposal) or Node's `AsyncLocalStorage` we need. */
export interface AsyncStorage {
  get(): Context | undefined;
  run<R>(value: Context, fn: () => R): R;
}

interface AsyncContextVariableCtor {
  new (options?: { name?: string }): { get(): unknown; run<R>(value: unknown, fn: () => R): R };
}
interface AsyncLocalStorageLike {
  getStore(): unknown;
  run<R>(store: unknown, fn: () => R): R;
}

/** A native `AsyncContext.Variable` when the runtime has one (https://github.com/tc39/proposal-async-context). */
export function nativeAsyncContext(): AsyncStorage | undefined {
  const AC = (globalThis as { AsyncContext?: { Variable?: AsyncContextVariableCtor } }).AsyncContext;
  if (!AC || typeof AC.Variable !== 'function') return undefined;
  const variable = new AC.Variable({ name: 'tracelet.context' });
  return { get: () => variable.get() as Context | undefined, run: (value, fn) => variable.run(value, fn) };
}

/** Adapts a Node / Workers `AsyncLocalStorage` instance. */
export function fromAsyncLocalStorage(storage: AsyncLocalStorageLike): AsyncStorage {
  return { get: () => storage.getStore() as Context | undefined, run: (value, fn) => storage.run(value, fn) };
}

/**
 * A context manager over async-context storage: the active span follows
 * `await`, promises, timers and events, as the runtime propagates the
 * variable. Used with `AsyncContext.Variable` in browsers that ship it and
 * with `AsyncLocalStorage` on Cloudflare Workers (`nodejs_als` flag).
 */
export class AsyncContextManager extends ContextManagerBase {
  readonly #storage: AsyncStorage;

  constructor(storage: AsyncStorage) {
    super();
    this.#storage = storage;
  }

  active(): Context {
    return (this.enabled && this.#storage.get()) || ROOT_CONTEXT;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    if (!this.enabled) return fn.call(thisArg, ...args);
    return this.#storage.run(context, () => fn.call(thisArg, ...args));
  }



}
