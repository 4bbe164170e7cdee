/**
 * Immutable context, shaped like `@opentelemetry/api`'s `Context`: every write
 * returns a new context, so a context captured at call time can never be
 * changed by later code.
 */
export interface Context {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): Context;
  deleteValue(key: symbol): Context;
}

class ImmutableContext implements Context {
  readonly #values: Map<symbol, unknown>;
  constructor(values?: Map<symbol, unknown>) {
    this.#values = values ?? new Map();
  }
  getValue(key: symbol): unknown {
    return this.#values.get(key);
  }
  setValue(key: symbol, value: unknown): Context {
    return new ImmutableContext(new Map(this.#values).set(key, value));
  }
  deleteValue(key: symbol): Context {
    if (!this.#values.has(key)) return this;
    const values = new Map(this.#values);
    values.delete(key);
    return new ImmutableContext(values);
  }
}

/** The empty context every other one derives from. */
export const ROOT_CONTEXT: Context = new ImmutableContext();

/** A key for a context value; `Symbol.for` so copies of tracelet in one page agree. */
export function createContextKey(description: string): symbol {
  return Symbol.for(description);
}

/**
 * Keeps the active context. The synchronous manager follows call stacks only;
 * zone.js and AsyncLocalStorage managers also follow async work.
 */
export interface ContextManager {
  active(): Context;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F>;
  bind<T>(context: Context, target: T): T;
  enable(): this;
  disable(): this;
}

/**
 * What every context manager shares: `bind` through `with`, and the
 * enabled switch. Subclasses say where the active context lives.
 */
export abstract class ContextManagerBase implements ContextManager {
  protected enabled = true;
  abstract active(): Context;
  abstract with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(context: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F>;
  /** `target` (if a function) wrapped so every call runs with `context` active in this manager. */
  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(context, () => fn.apply(this, args));
    } as unknown as T;
  }
  enable(): this {
    this.enabled = true;
    return this;
  }
  disable(): this {
    this.enabled = false;
    return this;
  }
}

/** Set on a context to mark work that must not be traced (the exporter's own requests). */
export const SUPPRESS_TRACING_KEY = createContextKey('tracelet.suppress_tracing');

/**
 * Marker on a fetch `init` object: the request is tracelet's own export and must
 * not be traced or get trace headers. A symbol key is invisible to fetch itself.
 * It is the same symbol as the context key (one binding, two names).
 */
export { SUPPRESS_TRACING_KEY as SUPPRESS_TRACING };

export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}

export function isTracingSuppressed(context: Context): boolean {
  return context.getValue(SUPPRESS_TRACING_KEY) === true;
}
