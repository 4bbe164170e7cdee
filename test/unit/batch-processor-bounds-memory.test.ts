import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchSpanProcessor, OtlpHttpExporter, createTracing, setDiagnosticSink, type ReadableSpan, type SpanExporter } from '../../src/index.js';
import { closedPort, startServer } from './helpers/http-server.js';
import { memoryExporter } from './helpers/spans.js';

function tracerWith(processor: BatchSpanProcessor) {
  // A processor passed in via spanProcessors needs an exporter too; route the
  // default exporter nowhere so only `processor` is under test.
  return createTracing({ serviceName: 'bounds', exporter: { export() {} }, batch: false, spanProcessors: [processor] }).tracer;
}

describe('BatchSpanProcessor', () => {
  // Tests that use fake timers turn them on themselves: time is stepped, never waited for.
  afterEach(() => void vi.useRealTimers());

  it('keeps the queue at 2048 and reports 97 952 dropped after 100 000 spans with the collector down', async () => {
    const previous = setDiagnosticSink(() => {});
    try {
      const port = await closedPort();
      const exporter = new OtlpHttpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, retry: { maxAttempts: 2, initialBackoffMillis: 5 } });
      const processor = new BatchSpanProcessor(exporter);
      const tracer = tracerWith(processor);
      for (let i = 0; i < 100_000; i++) tracer.startSpan('s').end();
      expect(processor.queueSize).toBe(2048);
      expect(processor.droppedSpans).toBe(97_952);
      // Export attempts to the dead collector fail; the queue never grows past its bound.
      await processor.forceFlush();
      expect(processor.queueSize).toBe(0);
      for (let i = 0; i < 5000; i++) tracer.startSpan('s').end();
      expect(processor.queueSize).toBe(2048);
      await processor.shutdown();
    } finally {
      setDiagnosticSink(previous);
    }
  }, 120_000); // 100 000 spans: seconds on a quiet machine, longer on a busy one; no time is asserted

  it('a full queue keeps the newest spans: the oldest are the ones dropped', () => {
    const processor = new BatchSpanProcessor(memoryExporter(), { maxQueueSize: 100, maxExportBatchSize: 100, scheduledDelayMillis: 60_000 });
    const tracer = tracerWith(processor);
    // Synchronously, so no export starts in between: 1000 spans into a queue of 100.
    for (let i = 0; i < 1000; i++) tracer.startSpan(`s${i}`).end();
    expect(processor.droppedSpans).toBe(900);
    expect(processor.takeAll().map((s) => s.name)).toEqual(Array.from({ length: 100 }, (_, i) => `s${900 + i}`));
  });

  it('exports a full batch of maxExportBatchSize without waiting for the timer', async () => {
    vi.useFakeTimers();
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 512, scheduledDelayMillis: 60_000 });
    const tracer = tracerWith(processor);
    for (let i = 0; i < 512; i++) tracer.startSpan('s').end();
    expect(exporter.calls).toHaveLength(0); // never inside span.end()
    await vi.advanceTimersByTimeAsync(0); // the next macrotask, far before the 60 s timer
    expect(exporter.calls.map((c) => c.length)).toEqual([512]);
    await processor.shutdown();
  });

  it('exports a partial batch after scheduledDelayMillis', async () => {
    vi.useFakeTimers();
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50 });
    const tracer = tracerWith(processor);
    for (let i = 0; i < 3; i++) tracer.startSpan('s').end();
    await vi.advanceTimersByTimeAsync(49);
    expect(exporter.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(exporter.calls.map((c) => c.length)).toEqual([3]);
    await processor.shutdown();
  });

  it('has at most one export in flight, and flush() drains everything in order', async () => {
    vi.useFakeTimers(); // each export takes 15 ms of the fake clock: the flush runs the clock until it is done
    let inFlight = 0;
    let maxInFlight = 0;
    const names: string[] = [];
    const slow: SpanExporter = {
      async export(spans: ReadableSpan[]) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 15));
        names.push(...spans.map((s) => s.name));
        inFlight--;
      },
    };
    const processor = new BatchSpanProcessor(slow, { maxExportBatchSize: 10, maxQueueSize: 100 });
    const tracer = tracerWith(processor);
    for (let i = 0; i < 55; i++) tracer.startSpan(String(i)).end();
    const flushed = processor.forceFlush();
    await vi.runAllTimersAsync();
    await flushed;
    expect(maxInFlight).toBe(1);
    expect(names).toEqual(Array.from({ length: 55 }, (_, i) => String(i)));
  });

  it('allows more exports in flight when configured', async () => {
    vi.useFakeTimers(); // each export takes 20 ms of the fake clock
    let inFlight = 0;
    let maxInFlight = 0;
    const slow: SpanExporter = {
      async export() {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
      },
    };
    const processor = new BatchSpanProcessor(slow, { maxExportBatchSize: 10, maxConcurrentExports: 3 });
    const tracer = tracerWith(processor);
    for (let i = 0; i < 60; i++) tracer.startSpan('s').end();
    const flushed = processor.forceFlush();
    await vi.runAllTimersAsync();
    await flushed;
    expect(maxInFlight).toBe(3);
  });

  it('survives an exporter that throws or rejects, and ignores spans after shutdown', async () => {
    const previous = setDiagnosticSink(() => {});
    let calls = 0;
    const bad: SpanExporter = {
      export() {
        calls++;
        if (calls === 1) throw new Error('sync throw');
        return Promise.reject(new Error('async reject'));
      },
    };
    try {
      const processor = new BatchSpanProcessor(bad, { maxExportBatchSize: 1 });
      const tracer = tracerWith(processor);
      tracer.startSpan('a').end();
      tracer.startSpan('b').end();
      await expect(processor.forceFlush()).resolves.toBeUndefined();
      expect(calls).toBe(2);
      await processor.shutdown();
      tracer.startSpan('late').end();
      expect(processor.queueSize).toBe(0);
    } finally {
      setDiagnosticSink(previous);
    }
  });

  it('flush() delivers queued spans to a real collector-like server', async () => {
    const server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    try {
      const tracing = createTracing({ serviceName: 'flush', endpoint: server.url + '/v1/traces' });
      for (let i = 0; i < 5; i++) tracing.tracer.startSpan('s' + i).end();
      expect(server.requests).toHaveLength(0);
      await tracing.flush();
      expect(server.requests).toHaveLength(1);
      expect(JSON.parse(server.requests[0]!.body).resourceSpans[0].scopeSpans[0].spans).toHaveLength(5);
      await tracing.shutdown();
    } finally {
      await server.close();
    }
  });

  it('rejects bad sizes with a clear message', () => {
    expect(() => new BatchSpanProcessor(memoryExporter(), { maxQueueSize: -1 })).toThrow(/batch.maxQueueSize must be a whole number >= 1, got -1/);
    expect(() => new BatchSpanProcessor(memoryExporter(), { maxQueueSize: 10, maxExportBatchSize: 20 })).toThrow(/must not exceed/);
    expect(() => new BatchSpanProcessor(memoryExporter(), { scheduledDelayMillis: NaN })).toThrow(/scheduledDelayMillis/);
  });
});
