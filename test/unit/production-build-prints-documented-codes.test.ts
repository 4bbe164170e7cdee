// The production build (the default export condition) prints a code, its
// detail and its docs anchor instead of a sentence; users look the code up in
// docs/diagnostics.md. Here the source runs as that build does: rollup swaps
// src/core/dev.ts for `export const DEV = false`, and so does this mock.
// Each call site must print the form its docs entry shows. Pure logic: Node.
import { describe, expect, it, vi } from 'vitest';
import { BatchSpanProcessor, SimpleSpanProcessor, createTracing, samplerFromName, type ExportResult, type SpanExporter } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { memoryExporter } from './helpers/spans.js';

vi.mock('../../src/core/dev.js', () => ({ DEV: false }));

const messages = captureDiagnostics();

function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  return 'did not throw';
}

describe('the production build', () => {
  it('W19 names the method called on an ended span, once per method', () => {
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false });
    const span = tracer.startSpan('a');
    span.end();
    span.end();
    span.setAttribute('late', 1);
    span.end();
    expect(messages).toEqual(['W19 end (docs/diagnostics.md#w19)', 'W19 setAttribute (docs/diagnostics.md#w19)']);
  });

  it('W20 (a span ended before it started) has no detail', () => {
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false });
    tracer.startSpan('a', { startTime: 2000 }).end(1000);
    expect(messages).toEqual(['W20 (docs/diagnostics.md#w20)']);
  });

  it('W17 (the batch queue is full) and W21 (batch: false, exports unfinished) have no detail', () => {
    const batch = new BatchSpanProcessor(memoryExporter(), { maxQueueSize: 1, maxExportBatchSize: 1 });
    const never: SpanExporter = { export: () => new Promise<ExportResult>(() => {}) };
    const simple = new SimpleSpanProcessor(never, 30_000, 1);
    const { tracer } = createTracing({ exporter: { export() {} }, batch: false, registerGlobals: false, spanProcessors: [batch, simple] });
    for (let i = 0; i < 3; i++) tracer.startSpan('s').end();
    expect(messages).toEqual(['W17 (docs/diagnostics.md#w17)', 'W21 (docs/diagnostics.md#w21)']);
    batch.takeAll();
  });

  it('W18 (the exporter threw) carries the error as text, once per error', async () => {
    let n = 0;
    const processor = new BatchSpanProcessor(
      {
        export() {
          throw new Error(n++ < 2 ? 'first' : 'second');
        },
      },
      { maxExportBatchSize: 1 },
    );
    const { tracer } = createTracing({ exporter: { export() {} }, batch: false, registerGlobals: false, spanProcessors: [processor] });
    for (let i = 0; i < 3; i++) tracer.startSpan('s').end();
    await processor.forceFlush();
    expect(messages).toEqual(['W18 Error: first (docs/diagnostics.md#w18)', 'W18 Error: second (docs/diagnostics.md#w18)']);
  });

  it('bad options throw E1 with the option, E15 with no detail, E16 with the sampler name', () => {
    expect(thrown(() => new BatchSpanProcessor(memoryExporter(), { maxQueueSize: -1 }))).toBe('tracelet: E1 batch.maxQueueSize (docs/diagnostics.md#e1)');
    expect(thrown(() => new BatchSpanProcessor(memoryExporter(), { maxQueueSize: 10, maxExportBatchSize: 20 }))).toBe('tracelet: E15 (docs/diagnostics.md#e15)');
    expect(thrown(() => samplerFromName('sometimes'))).toBe('tracelet: E16 sometimes (docs/diagnostics.md#e16)');
  });
});
