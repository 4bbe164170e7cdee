/**
 * Global API objects shaped like `@opentelemetry/api` (`trace`, `context`,
 * `propagation`), so OpenTelemetry-style code runs as is. The globals live on
 * `globalThis[Symbol.for('tracelet.api')]`, so two copies of tracelet in one
 * page (an app and a widget) agree. `createTracing` registers its context
 * manager and propagator here.
 */
import { ROOT_CONTEXT, type Context, type ContextManager } from './core/context.js';
import { deleteSpan, getSpan, getSpanContext, isSpanContextValid, setSpan, setSpanContext, wrapSpanContext } from './core/span-in-context.js';
import { SyncContextManager } from './core/sync-context-manager.js';
import type { Span } from './core/types.js';
import { createBaggage, deleteBaggage, getBaggage, setBaggage } from './propagation/baggage.js';
import { defaultGetter, defaultSetter, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from './propagation/carrier.js';
import { createPropagator } from './propagation/composite.js';
import { getGlobals, setGlobals, type Globals } from './globals.js';

function globals(): Globals {
  let g = getGlobals();
  if (!g) setGlobals(new SyncContextManager(), createPropagator('tracecontext,baggage')), (g = getGlobals()!);
  return g;
}

export const context = {
  /** The active context. */
  active(): Context {
    return globals().contextManager.active();
  },
  /** Runs `fn` with `ctx` active and returns its result. */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return globals().contextManager.with(ctx, fn, thisArg, ...args);
  },
  /** `target` (a function) bound to `ctx`. */
  bind<T>(ctx: Context, target: T): T {
    return globals().contextManager.bind(ctx, target);
  },
  setGlobalContextManager(manager: ContextManager): boolean {
    globals().contextManager = manager;
    return true;
  },
  disable(): void {
    globals().contextManager.disable();
    globals().contextManager = new SyncContextManager();
  },
};

export const trace = {
  setSpan,
  getSpan,
  deleteSpan,
  setSpanContext,
  getSpanContext,
  wrapSpanContext,
  isSpanContextValid,
  /** The span of the active context. */
  getActiveSpan(): Span | undefined {
    return getSpan(context.active());
  },
};

export const propagation = {
  inject<C>(ctx: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter as TextMapSetter<C>): void {
    globals().propagator.inject(ctx, carrier, setter);
  },
  extract<C>(ctx: Context, carrier: C, getter: TextMapGetter<C> = defaultGetter as TextMapGetter<C>): Context {
    return globals().propagator.extract(ctx, carrier, getter);
  },
  fields(): string[] {
    return globals().propagator.fields();
  },
  setGlobalPropagator(propagator: TextMapPropagator): boolean {
    globals().propagator = propagator;
    return true;
  },
  getBaggage,
  setBaggage,
  deleteBaggage,
  createBaggage,
  getActiveBaggage() {
    return getBaggage(context.active());
  },
};

export { ROOT_CONTEXT };
