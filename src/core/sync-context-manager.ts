import { ContextManagerBase, ROOT_CONTEXT, type Context } from './context.js';

/**
 * The default context manager: the active context is whatever the innermost
 * `with()` on the call stack set. It needs no runtime support, so it works
 * everywhere, but it does not follow `await`, timers or event listeners; use
 * `bind()` (or zone.js / AsyncLocalStorage managers) for those.
 */
export class SyncContextManager extends ContextManagerBase {
  #current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.#current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.#current;
    this.#current = this.enabled ? context : ROOT_CONTEXT;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.#current = previous;
    }
  }



  override disable(): this {
    this.#current = ROOT_CONTEXT;
    return super.disable();
  }
}
