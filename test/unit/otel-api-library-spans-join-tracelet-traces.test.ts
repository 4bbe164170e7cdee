// tracelet/otel-api with the real @opentelemetry/api (1.9.0): a library that
// only knows the API (trace.getTracer('lib').startActiveSpan) traced by
// tracelet, exported to the real dev collector. The bridge is imported from
// src/, the API from node_modules, as an app's bundler would.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as otel from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { AsyncContextManager, fromAsyncLocalStorage } from '../../src/context/async-context.js';
import { resetDiagnostics, setDiagnosticSink } from '../../src/core/diag.js';
import { createTracing, type Tracing } from '../../src/index.js';
import { registerOpenTelemetryApi } from '../../src/otel-api.js';

let collector: Collector;
let tracing: Tracing | undefined;
const said: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
});
afterAll(() => collector.close());

beforeEach(() => {
  collector.clear();
  said.length = 0;
  resetDiagnostics();
  setDiagnosticSink((_level, message) => void said.push(message));
  // A clean slate: no API globals, no tracelet globals from another test.
  otel.trace.disable();
  otel.context.disable();
  otel.propagation.disable();
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('tracelet.api')];
});
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

/** The library: knows nothing but @opentelemetry/api. */
async function libraryLoad(key: string): Promise<string> {
  return otel.trace.getTracer('lib', '2.0.0').startActiveSpan('lib.load', { kind: otel.SpanKind.CLIENT, attributes: { 'lib.key': key } }, async (span) => {
    try {
      await new Promise((r) => setTimeout(r, 0)); // an await across a timer (a later macrotask), not a wait for anything
      // What the library sees as active is its own span, after an await too.
      return otel.trace.getActiveSpan() === span ? 'same span' : 'other span';
    } finally {
      span.end();
    }
  });
}

function startTracing(options: Parameters<typeof createTracing>[0] = {}): Tracing {
  tracing = createTracing({
    serviceName: 'otel-api-test',
    endpoint: collector.tracesUrl,
    batch: false,
    contextManager: new AsyncContextManager(fromAsyncLocalStorage(new AsyncLocalStorage())),
    ...options,
  });
  return tracing;
}

describe('tracelet/otel-api in Node', () => {
  it('a library span started through @opentelemetry/api inside a tracelet span is its child, seen by its processors and exported by tracelet', async () => {
    const processed: string[] = [];
    const watcher = { onStart: (span: { name: string }) => void processed.push(`start ${span.name}`), onEnd: (span: { name: string }) => void processed.push(`end ${span.name}`), forceFlush: async () => {}, shutdown: async () => {} };
    const { tracer } = startTracing({ spanProcessors: [watcher as never] });
    expect(registerOpenTelemetryApi()).toBe(true);
    let seenByApi: unknown;
    let seenByLib = '';
    await tracer.startActiveSpan('checkout', async (span) => {
      // One active span for both APIs: the API reads tracelet's span itself.
      seenByApi = otel.trace.getActiveSpan();
      expect(seenByApi).toBe(span);
      seenByLib = await libraryLoad('cart-42');
      // A tracelet span after the library returned is again a child of checkout.
      tracer.startSpan('after lib').end();
      span.end();
    });
    expect(seenByLib).toBe('same span');
    expect(processed).toEqual(['start checkout', 'start lib.load', 'end lib.load', 'start after lib', 'end after lib', 'end checkout']);
    const spans = await collector.waitForSpans(3);
    const checkout = spans.find((s) => s.name === 'checkout')!;
    const lib = spans.find((s) => s.name === 'lib.load')!;
    const after = spans.find((s) => s.name === 'after lib')!;
    expect(checkout.parentSpanId).toBeUndefined();
    expect(lib.parentSpanId).toBe(checkout.spanId);
    expect(after.parentSpanId).toBe(checkout.spanId);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([checkout.traceId]));
    expect(lib.kind).toBe(3); // CLIENT, OTLP numbering
    expect(lib.scope).toEqual({ name: 'lib', version: '2.0.0' });
    expect(lib.attributesMap['lib.key']).toBe('cart-42');
    expect(lib.resource['service.name']).toBe('otel-api-test');
  });

  it('a tracelet span started inside a span of @opentelemetry/api is its child (the other way round)', async () => {
    const { tracer } = startTracing();
    registerOpenTelemetryApi();
    otel.trace.getTracer('lib').startActiveSpan('api outer', (outer) => {
      tracer.startActiveSpan('tracelet inner', (inner) => inner.end());
      outer.end();
    });
    const spans = await collector.waitForSpans(2);
    const outer = spans.find((s) => s.name === 'api outer')!;
    const inner = spans.find((s) => s.name === 'tracelet inner')!;
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.traceId).toBe(outer.traceId);
  });

  it("propagation.inject and extract of the API use tracelet's propagators (here B3), and the extracted parent is kept", async () => {
    startTracing({ propagators: 'b3multi' });
    registerOpenTelemetryApi();
    expect(otel.propagation.fields().map((f) => f.toLowerCase())).toContain('x-b3-traceid');
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const P = '00f067aa0ba902b7';
    const incoming = otel.propagation.extract(otel.ROOT_CONTEXT, { 'x-b3-traceid': T, 'x-b3-spanid': P, 'x-b3-sampled': '1' });
    const headers: Record<string, string> = {};
    otel.trace.getTracer('server').startActiveSpan('GET /cart', { kind: otel.SpanKind.SERVER }, incoming, (span) => {
      otel.propagation.inject(otel.context.active(), headers);
      span.end();
    });
    const [server] = await collector.waitForSpans(1);
    expect(server!.traceId).toBe(T);
    expect(server!.parentSpanId).toBe(P);
    expect(server!.kind).toBe(2);
    // tracelet writes B3 names as its B3 propagator does (X-B3-TraceId); header names are case-insensitive.
    const lowered = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lowered).toEqual({ 'x-b3-traceid': T, 'x-b3-spanid': server!.spanId, 'x-b3-sampled': '1' });
  });

  it("tracelet's sampler decides for spans of the API: always_off records and exports nothing", async () => {
    const { tracer } = startTracing({ sampler: 'always_off' });
    registerOpenTelemetryApi();
    const span = otel.trace.getTracer('lib').startSpan('dropped');
    expect(span.isRecording()).toBe(false);
    span.end();
    tracer.startSpan('also dropped').end();
    await tracing!.flush();
    expect(collector.spans()).toEqual([]);
  });

  it('registering twice says so once (W60) and keeps tracelet as the SDK', async () => {
    const { tracer } = startTracing();
    expect(registerOpenTelemetryApi()).toBe(true);
    expect(registerOpenTelemetryApi()).toBe(true);
    expect(registerOpenTelemetryApi()).toBe(true);
    expect(said).toEqual(['registerOpenTelemetryApi() was called again: tracelet already is the @opentelemetry/api SDK, nothing changed']);
    tracer.startActiveSpan('still shared', (span) => {
      otel.trace.getTracer('lib').startSpan('child').end();
      span.end();
    });
    const spans = await collector.waitForSpans(2);
    expect(spans.find((s) => s.name === 'child')!.parentSpanId).toBe(spans.find((s) => s.name === 'still shared')!.spanId);
  });

  it('beside an SDK that registered first: one W60 naming the taken part, no throw, the free parts are tracelet\'s', async () => {
    const { tracer } = startTracing();
    expect(otel.trace.setGlobalTracerProvider(new BasicTracerProvider())).toBe(true);
    expect(registerOpenTelemetryApi()).toBe(false);
    expect(registerOpenTelemetryApi()).toBe(false);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^@opentelemetry\/api already has a global tracer provider from another SDK; it stays/);
    // The other SDK keeps the tracer provider: its span is not tracelet's and is not exported here...
    tracer.startActiveSpan('tracelet span', (span) => {
      // ...but tracelet holds the context manager: the API sees tracelet's active span.
      expect(otel.trace.getActiveSpan()).toBe(span);
      otel.trace.getTracer('lib').startSpan('other sdk span').end();
      span.end();
    });
    await tracing!.flush();
    const spans = await collector.waitForSpans(1);
    expect(spans.map((s) => s.name)).toEqual(['tracelet span']);
  });
});
