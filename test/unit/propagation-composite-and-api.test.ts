import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ROOT_CONTEXT, context, createBaggage, createPropagator, createTracing, propagation, trace } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

describe('composite propagator and global API', () => {
  it('OTEL_PROPAGATORS names choose the headers; default is tracecontext,baggage', () => {
    expect(createPropagator().fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    expect(createPropagator(' TraceContext , b3multi ').fields()).toEqual(['traceparent', 'tracestate', 'X-B3-TraceId', 'X-B3-SpanId', 'X-B3-Sampled', 'X-B3-Flags']);
    expect(createPropagator(['b3']).fields()).toEqual(['b3']);
    expect(createPropagator('none').fields()).toEqual([]);
    expect(() => createPropagator('tracecontext,jaeger')).toThrow('unknown propagator "jaeger"; use tracecontext, baggage, b3, b3multi, none');
  });

  it("'none' anywhere among the names means no propagator at all", () => {
    // OTEL_PROPAGATORS: "none: No automatically configured propagator"
    // (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration).
    expect(createPropagator('tracecontext,none').fields()).toEqual([]);
    expect(createPropagator(['b3', ' None ', 'baggage']).fields()).toEqual([]);
  });

  it('createTracing({ propagators }) registers the propagator and context manager globally', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, propagators: 'tracecontext,baggage,b3' });
    tracer.startActiveSpan('outgoing', (span) => {
      const ctx = propagation.setBaggage(context.active(), createBaggage({ tier: 'gold' }));
      const headers: Record<string, string> = {};
      propagation.inject(ctx, headers);
      const { traceId, spanId } = span.spanContext();
      expect(headers).toEqual({ traceparent: `00-${traceId}-${spanId}-03`, baggage: 'tier=gold', b3: `${traceId}-${spanId}-1` });
      expect(trace.getActiveSpan()).toBe(span);
      span.end();
    });
  });

  it('extract then startActiveSpan continues the incoming trace, as a server does', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    const incoming = propagation.extract(ROOT_CONTEXT, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', baggage: 'k=v' });
    context.with(incoming, () => {
      expect(propagation.getActiveBaggage()?.getEntry('k')?.value).toBe('v');
      tracer.startSpan('server').end();
    });
    expect(exporter.spans[0]!.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(exporter.spans[0]!.parentSpanId).toBe('00f067aa0ba902b7');
  });

  it('the globals are shared through Symbol.for, so two copies of tracelet agree', async () => {
    // A second copy: src/index.ts bundled on its own (its own modules, classes and closures), as
    // when an app and a library each bundle tracelet.
    const { build } = await import('esbuild');
    const bundled = await build({ entryPoints: [fileURLToPath(new URL('../../src/index.ts', import.meta.url))], bundle: true, format: 'esm', write: false, platform: 'neutral', logLevel: 'silent' });
    const dir = mkdtempSync(join(tmpdir(), 'tracelet-copy-'));
    try {
      writeFileSync(join(dir, 'copy.mjs'), bundled.outputFiles[0]!.text);
      const copy = (await import(pathToFileURL(join(dir, 'copy.mjs')).href)) as typeof import('../../src/index.js');
      expect(copy.createTracing).not.toBe(createTracing);
      // A pipeline made by this copy is what the other copy's global API uses ...
      const exporter = memoryExporter();
      createTracing({ exporter, batch: false, propagators: 'b3' });
      expect(copy.propagation.fields()).toEqual(['b3']);
      const span = copy.trace.getTracer('lib').startSpan('from the other copy');
      span.end();
      expect(exporter.spans.map((s) => s.name)).toEqual(['from the other copy']);
      // ... and the other way round.
      const other = memoryExporter();
      copy.createTracing({ exporter: other, batch: false, propagators: 'tracecontext' });
      expect(propagation.fields()).toEqual(['traceparent', 'tracestate']);
      trace.getTracer('app').startSpan('from this copy').end();
      expect(other.spans.map((s) => s.name)).toEqual(['from this copy']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
