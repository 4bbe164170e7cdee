/**
 * Global API objects shaped like `@opentelemetry/api` (`trace`, `context`,
 * `propagation`), so OpenTelemetry-style code runs as is. The globals live on
 * `globalThis[Symbol.for('tracelet.api')]`, so two copies of tracelet in one
 * page (an app and a widget) agree. `createTracing` registers its context
 * manager, propagator and tracers here.
 */
import { ROOT_CONTEXT, createContextKey, type Context, type ContextManager } from './core/context.js';
import { INVALID_SPAN_ID, INVALID_TRACE_ID } from './core/ids.js';
import { NonRecordingSpan } from './core/span.js';
import { deleteSpan, getSpan, getSpanContext, isSpanContextValid, setSpan, setSpanContext, wrapSpanContext } from './core/span-in-context.js';
import { SyncContextManager } from './core/sync-context-manager.js';
import type { Tracer } from './core/tracer.js';
import type { Span, SpanContext, SpanOptions } from './core/types.js';
import { createBaggage, deleteBaggage, getBaggage, setBaggage } from './propagation/baggage.js';
import { defaultGetter, defaultSetter, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from './propagation/carrier.js';
import { CompositePropagator } from './propagation/composite.js';
import { W3CTraceContextPropagator } from './propagation/trace-context.js';
import { W3CBaggagePropagator } from './propagation/baggage.js';
import { getGlobals, setGlobals, type Globals } from './globals.js';

function globals(): Globals {
  let g = getGlobals();
  // The default `tracecontext,baggage`, built from its two parts rather than by
  // name (createPropagator), so a bundle with the global API carries no B3.
  if (!g) setGlobals((g = { contextManager: new SyncContextManager(), propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }) }));
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

/**
 * Where an invocation keeps the pipeline that serves it (tracelet/worker sets
 * it): `trace.getTracer` spans go to that pipeline even when another one (for
 * another `env`) registered globally later.
 */
export const PIPELINE_KEY = createContextKey('tracelet.pipeline');

/** What `trace.getTracer` returns: the span-starting half of a Tracer. */
export type ApiTracer = Pick<Tracer, 'startSpan' | 'startActiveSpan'>;

const INVALID_SPAN_CONTEXT: SpanContext = { traceId: INVALID_TRACE_ID, spanId: INVALID_SPAN_ID, traceFlags: 0 };

/**
 * No pipeline yet: a non-recording span that carries the parent's span context,
 * as `@opentelemetry/api`'s no-op tracer does, so headers injected under it
 * still continue the caller's trace.
 */
function nonRecordingSpan(options: SpanOptions | undefined, ctx: Context): Span {
  const parent = options?.root ? undefined : getSpanContext(ctx);
  return new NonRecordingSpan(isSpanContextValid(parent) ? parent : INVALID_SPAN_CONTEXT);
}

/** A tracer that looks the pipeline up each time it starts a span, so it can be made before any pipeline exists. */
function proxyTracer(name: string, version?: string): ApiTracer {
  const delegate = () => ((context.active().getValue(PIPELINE_KEY) as Globals | undefined) ?? globals()).getTracer?.(name, version);
  return {
    startSpan(spanName: string, options?: SpanOptions, ctx?: Context): Span {
      return delegate()?.startSpan(spanName, options, ctx) ?? nonRecordingSpan(options, ctx ?? context.active());
    },
    startActiveSpan(spanName: string, ...args: unknown[]): unknown {
      const tracer = delegate();
      if (tracer) return Reflect.apply(tracer.startActiveSpan, tracer, [spanName, ...args]);
      const fn = args.pop() as (span: Span) => unknown;
      const [options, ctx = context.active()] = args as [SpanOptions | undefined, Context | undefined];
      const span = nonRecordingSpan(options, ctx);
      return context.with(setSpan(ctx, span), fn, undefined, span);
    },
  } as ApiTracer;
}

export const trace = {
  /**
   * A tracer of the registered pipeline, looked up when a span starts: call it
   * at module scope, before the pipeline exists (on Workers it is built on the
   * first request). Without a pipeline its spans are non-recording.
   *
   * @example
   * import { trace } from 'tracelet';
   * const tracer = trace.getTracer('shop-edge', '1.0.0');
   * await tracer.startActiveSpan('load cart', async (span) => { try { await loadCart(); } finally { span.end(); } });
   */
  getTracer: proxyTracer,
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
