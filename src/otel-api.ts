/**
 * tracelet/otel-api: tracelet as the SDK behind `@opentelemetry/api` (an
 * optional peer dependency, 1.x). After `registerOpenTelemetryApi()`, spans
 * that OpenTelemetry instrumentations and libraries start through the API are
 * tracelet spans: sampled, processed and exported by the tracelet pipeline
 * that serves them, with one active span for both APIs.
 *
 * Nothing is copied or translated. The bridge hands the API tracelet's own
 * global `trace`, `context` and `propagation` (api.ts), which follow whichever
 * pipeline registered (on Workers, the one serving the request), and tracelet
 * stores the active span and baggage under the API's own context keys
 * (core/span-in-context.ts), so `trace.getActiveSpan()` of either API reads
 * the same context.
 */
import { context as otelContext, propagation as otelPropagation, trace as otelTrace } from '@opentelemetry/api';
import type { ContextManager as OtelContextManager, TextMapPropagator as OtelPropagator, TracerProvider as OtelTracerProvider } from '@opentelemetry/api';
import { context, propagation, trace } from './api.js';
import type { Context } from './core/context.js';
import { warnOnce } from './core/diag.js';
import type { TextMapGetter } from './propagation/carrier.js';
import { DEV } from './core/dev.js';

/** What the API gets as its tracer provider: tracelet's `trace.getTracer`, looked up when a span starts. */
const tracerProvider = { getTracer: (name: string, version?: string) => trace.getTracer(name, version) };

/**
 * What the API gets as its context manager: tracelet's global `context`, so it
 * follows the manager the pipeline uses (synchronous, zone.js, AsyncLocalStorage).
 * tracelet's pipeline owns that manager: the API's `context.disable()` only
 * unregisters this adapter, it never switches tracelet's manager off.
 */
const contextManager = {
  active: () => context.active(),
  with: context.with,
  bind: context.bind,
  enable() {
    return this;
  },
  disable() {
    return this;
  },
};

/**
 * What the API gets as its propagator: tracelet's global propagator (default
 * `tracecontext,baggage`). The API always passes a getter, its default one
 * reading `carrier[name]` as written; header names are case-insensitive
 * (https://www.rfc-editor.org/rfc/rfc9110#section-5.1) and tracelet asks for
 * some in mixed case (`X-B3-TraceId`), so a name not found is asked again in
 * lower case, as Node, Hono and fetch `Headers` keep them.
 */
const propagator = {
  inject: propagation.inject,
  extract<C>(ctx: Context, carrier: C, getter?: TextMapGetter<C>): Context {
    const lowerCaseToo: TextMapGetter<C> | undefined = getter && {
      keys: (c) => getter.keys(c),
      get: (c, name) => getter.get(c, name) ?? getter.get(c, name.toLowerCase()),
    };
    return propagation.extract(ctx, carrier, lowerCaseToo);
  },
  fields: propagation.fields,
};

/**
 * Registers tracelet as `@opentelemetry/api`'s global tracer provider,
 * context manager and propagator. Call it once at startup, beside (before or
 * after) `startBrowserTracing`, `createTracing` or `instrument`; then register
 * OpenTelemetry instrumentations as their READMEs say.
 *
 * Returns true when all three were registered. A part another SDK registered
 * first (or this function, called before) stays as it is: the API refuses to
 * replace it. tracelet then registers the free parts, never throws, and says
 * once on the console which parts it could not take (W60).
 *
 * @example
 * import { startBrowserTracing } from 'tracelet/browser';
 * import { registerOpenTelemetryApi } from 'tracelet/otel-api';
 * import { registerInstrumentations } from '@opentelemetry/instrumentation';
 * import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';
 *
 * startBrowserTracing({ serviceName: 'shop-web', endpoint: 'https://otel.example.com/v1/traces' });
 * registerOpenTelemetryApi();
 * registerInstrumentations({ instrumentations: [new UserInteractionInstrumentation()] });
 */
export function registerOpenTelemetryApi(): boolean {
  // tracelet's types mirror the API's (core/types.ts); the casts only bridge the
  // two type declarations, the objects have the API's shapes.
  const refused = [
    otelTrace.setGlobalTracerProvider(tracerProvider as unknown as OtelTracerProvider) ? '' : 'tracer provider',
    otelContext.setGlobalContextManager(contextManager as unknown as OtelContextManager) ? '' : 'context manager',
    otelPropagation.setGlobalPropagator(propagator as unknown as OtelPropagator) ? '' : 'propagator',
  ].filter(Boolean);
  if (refused.length === 0) return true;
  const taken = refused.filter((part) => registered(part) !== BRIDGE[part]);
  if (taken.length === 0) {
    warnOnce('W60', DEV && 'registerOpenTelemetryApi() was called again: tracelet already is the @opentelemetry/api SDK, nothing changed', 'again');
    return true;
  }
  warnOnce(
    'W60',
    DEV &&
      `@opentelemetry/api already has a global ${taken.join(', ')} from another SDK; it stays, so spans or context of ` +
        'OpenTelemetry code may not reach tracelet. Call registerOpenTelemetryApi() before the other SDK registers, or call ' +
        'trace.disable(), context.disable() and propagation.disable() of @opentelemetry/api first',
    taken.join(','),
  );
  return false;
}

const BRIDGE: Record<string, unknown> = { 'tracer provider': tracerProvider, 'context manager': contextManager, propagator };

/**
 * What the API holds as its global `part`. The tracer provider's delegate is
 * public (`ProxyTracerProvider.getDelegate`); the context manager and the
 * propagator have only the API's private getters, present in every 1.x
 * release (a missing one reads as "another SDK's").
 */
function registered(part: string): unknown {
  type Getters = { _getContextManager?(): unknown; _getGlobalPropagator?(): unknown };
  if (part === 'tracer provider') return (otelTrace.getTracerProvider() as { getDelegate?(): unknown }).getDelegate?.();
  if (part === 'context manager') return (otelContext as unknown as Getters)._getContextManager?.();
  return (otelPropagation as unknown as Getters)._getGlobalPropagator?.();
}
