import { beforeEach, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, context, createTracing, isSpanContextValid, propagation, trace, type Span } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

// trace.getTracer() as in @opentelemetry/api: callable before any pipeline is
// registered (module scope in a Worker), non-recording until one is.
const parent = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true };

beforeEach(() => {
  // No pipeline registered by another test of this process.
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('tracelet.api')];
});

describe('trace.getTracer without a pipeline', () => {
  it('startSpan gives a non-recording span that carries the parent span context, so injection continues the trace', () => {
    const tracer = trace.getTracer('shop-edge');
    const span = tracer.startSpan('load cart', {}, trace.setSpanContext(ROOT_CONTEXT, parent));
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toEqual(parent);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), headers);
    expect(headers.traceparent).toBe(`00-${parent.traceId}-${parent.spanId}-01`);
    span.end(); // a no-op, never throws
  });

  it('without a parent, or with root: true, the span context is invalid', () => {
    const tracer = trace.getTracer('shop-edge');
    expect(isSpanContextValid(tracer.startSpan('orphan').spanContext())).toBe(false);
    // The all-zero ids of @opentelemetry/api's INVALID_SPAN_CONTEXT, which code written for it compares against.
    expect(tracer.startSpan('orphan').spanContext()).toEqual({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    const root = tracer.startSpan('root', { root: true }, trace.setSpanContext(ROOT_CONTEXT, parent));
    expect(isSpanContextValid(root.spanContext())).toBe(false);
  });

  it('startActiveSpan makes the non-recording span active for the callback and returns its result', () => {
    const tracer = trace.getTracer('shop-edge');
    const result = context.with(trace.setSpanContext(ROOT_CONTEXT, parent), () =>
      tracer.startActiveSpan('load cart', (span: Span) => {
        expect(trace.getActiveSpan()).toBe(span);
        expect(span.spanContext().spanId).toBe(parent.spanId);
        return 42;
      }),
    );
    expect(result).toBe(42);
    const withOptions = tracer.startActiveSpan('x', { root: true }, ROOT_CONTEXT, (span: Span) => span.isRecording());
    expect(withOptions).toBe(false);
  });

  it('a tracer made before the pipeline records into it once it is registered, under its own scope', () => {
    const tracer = trace.getTracer('shop-cart', '1.2.0');
    const exporter = memoryExporter();
    createTracing({ exporter, batch: false });
    tracer.startActiveSpan('load cart', (outer: Span) => {
      tracer.startSpan('read kv').end();
      outer.end();
    });
    const [child, outer] = exporter.spans;
    expect(outer!.name).toBe('load cart');
    expect(outer!.scope).toEqual({ name: 'shop-cart', version: '1.2.0' });
    expect(child!.parentSpanId).toBe(outer!.spanContext().spanId);
    expect(child!.spanContext().traceId).toBe(outer!.spanContext().traceId);
  });
});
