import { afterEach, describe, expect, it } from 'vitest';
import { ExportResultCode, SimpleSpanProcessor, createTracing, type ExportResult, type ReadableSpan, type SpanExporter } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { startServer, type TestServer } from './helpers/http-server.js';
import { memoryExporter } from './helpers/spans.js';

// `batch: false` exports each span on its own. With a collector that never
// answers, the exports it waits for are bounded (64 by default), and the
// spans beyond are dropped, counted and reported once.
let server: TestServer | undefined;

const messages = captureDiagnostics();
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An exporter whose exports finish only when the test says so. */
function heldExporter() {
  const calls: ReadableSpan[][] = [];
  const release: ((r: ExportResult) => void)[] = [];
  const exporter: SpanExporter = {
    export(spans) {
      calls.push(spans);
      return new Promise<ExportResult>((resolve) => release.push(resolve));
    },
  };
  return { exporter, calls, releaseAll: () => release.splice(0).forEach((r) => r({ code: ExportResultCode.SUCCESS })) };
}

describe('SimpleSpanProcessor (batch: false)', () => {
  it('with exports that never finish, starts 64 and drops the other 936 of 1000 spans, saying so once', () => {
    const held = heldExporter();
    const tracing = createTracing({ serviceName: 'burst', exporter: held.exporter, batch: false });
    for (let i = 0; i < 1000; i++) tracing.tracer.startSpan('s' + i).end();
    const processor = tracing.processor as SimpleSpanProcessor;
    expect(processor).toBeInstanceOf(SimpleSpanProcessor);
    expect(held.calls).toHaveLength(64);
    expect(held.calls.map((c) => c[0]!.name)).toEqual(Array.from({ length: 64 }, (_, i) => 's' + i));
    expect(processor.droppedSpans).toBe(936);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/batch: false: 64 exports unfinished, dropping spans. Is the collector answering\? Or keep batch on/);
  });

  it('takes spans again once exports finish; the bound is a constructor option', async () => {
    const held = heldExporter();
    const processor = new SimpleSpanProcessor(held.exporter, 30_000, 2);
    const tracer = createTracing({ serviceName: 'bound', exporter: { export() {} }, batch: false, spanProcessors: [processor] }).tracer;
    for (let i = 0; i < 5; i++) tracer.startSpan('early').end();
    expect(held.calls).toHaveLength(2);
    expect(processor.droppedSpans).toBe(3);
    held.releaseAll();
    await processor.forceFlush();
    tracer.startSpan('late').end();
    expect(held.calls.map((c) => c[0]!.name)).toEqual(['early', 'early', 'late']);
    expect(processor.droppedSpans).toBe(3);
    held.releaseAll();
    await processor.shutdown();
  });

  it('against a real collector that never answers: 64 requests in flight, the rest of 200 spans dropped', async () => {
    server = await startServer(() => {
      // never answers
    });
    const tracing = createTracing({ serviceName: 'hang', endpoint: server.url + '/v1/traces', batch: false, compression: 'none', retry: false, timeoutMillis: 60_000 });
    for (let i = 0; i < 200; i++) tracing.tracer.startSpan('s' + i).end();
    const processor = tracing.processor as SimpleSpanProcessor;
    expect(processor.droppedSpans).toBe(136);
    // The requests reach the server (the other 136 spans were dropped as they ended: no 65th request was started).
    await expect.poll(() => server!.requests.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(64);
    expect(server.requests).toHaveLength(64);
    expect(messages.filter((m) => m.includes('exports unfinished'))).toHaveLength(1);
    // Closing the server fails the exports in flight, so shutdown() can wait for them.
    await server.close();
    server = undefined;
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });

  it('a single dropped span is said too', () => {
    const held = heldExporter();
    const tracing = createTracing({ serviceName: 'one', exporter: held.exporter, batch: false, maxPendingExports: 1 });
    for (let i = 0; i < 2; i++) tracing.tracer.startSpan('s' + i).end();
    expect((tracing.processor as SimpleSpanProcessor).droppedSpans).toBe(1);
    expect(messages).toEqual([expect.stringMatching(/batch: false: 1 exports unfinished, dropping spans/)]);
    held.releaseAll();
  });

  it('shutdown waits for unfinished exports, shuts the exporter down once, and ignores spans ended after it', async () => {
    const held = heldExporter();
    let shutdowns = 0;
    const processor = new SimpleSpanProcessor(Object.assign(held.exporter, { shutdown: async () => void shutdowns++ }));
    const tracer = createTracing({ serviceName: 'stop', exporter: { export() {} }, batch: false, spanProcessors: [processor] }).tracer;
    tracer.startSpan('before').end();
    let stopped = false;
    const stopping = processor.shutdown().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect([stopped, shutdowns]).toEqual([false, 0]); // the export of 'before' is unfinished
    held.releaseAll();
    await stopping;
    await processor.shutdown();
    expect(shutdowns).toBe(1);
    tracer.startSpan('after').end();
    expect(held.calls.map((c) => c[0]!.name)).toEqual(['before']);
  });

  it('never holds back an exporter that finishes synchronously: 1000 spans, 1000 exported', () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 'sync', exporter, batch: false });
    for (let i = 0; i < 1000; i++) tracing.tracer.startSpan('s').end();
    expect(exporter.spans).toHaveLength(1000);
    expect((tracing.processor as SimpleSpanProcessor).droppedSpans).toBe(0);
    expect(messages).toEqual([]);
  });

  it('rejects a bad bound with a clear message', () => {
    expect(() => new SimpleSpanProcessor({ export() {} }, 30_000, 0)).toThrow(/maxPendingExports must be a whole number >= 1, got 0/);
  });

  it('createTracing({ batch: false, maxPendingExports: 2 }): 2 exports unfinished, 3 of 5 spans dropped, said once', async () => {
    const held = heldExporter();
    const tracing = createTracing({ serviceName: 'bounded', exporter: held.exporter, batch: false, maxPendingExports: 2 });
    for (let i = 0; i < 5; i++) tracing.tracer.startSpan('s' + i).end();
    const processor = tracing.processor as SimpleSpanProcessor;
    expect(processor).toBeInstanceOf(SimpleSpanProcessor);
    expect(held.calls.map((c) => c[0]!.name)).toEqual(['s0', 's1']);
    expect(processor.droppedSpans).toBe(3);
    expect(messages).toEqual([expect.stringMatching(/batch: false: 2 exports unfinished, dropping spans/)]);
    held.releaseAll();
    await tracing.flush();
    tracing.tracer.startSpan('late').end();
    expect(held.calls.map((c) => c[0]!.name)).toEqual(['s0', 's1', 'late']);
    held.releaseAll();
    await tracing.shutdown();
  });

  it('with tail sampling too, the kept traces go through the bounded processor', () => {
    const held = heldExporter();
    const tracing = createTracing({ exporter: held.exporter, batch: false, maxPendingExports: 1, tailSampling: { ratio: 1 } });
    for (let i = 0; i < 3; i++) tracing.tracer.startSpan('root' + i).end();
    expect(held.calls.map((c) => c.map((s) => s.name))).toEqual([['root0']]);
    expect(messages).toEqual([expect.stringMatching(/batch: false: 1 exports unfinished/)]);
  });

  it.each([0, -1, 1.5, Infinity, NaN, '8', null])('createTracing rejects maxPendingExports: %o with a TypeError naming the option', (value) => {
    for (const batch of [false, undefined] as const) {
      expect(() => createTracing({ exporter: { export() {} }, batch, maxPendingExports: value as number })).toThrow(
        new TypeError(`tracelet: maxPendingExports must be a whole number >= 1, got ${String(value)}`),
      );
    }
  });

  it('maxPendingExports while batching is on: ignored, said once (it bounds only batch: false)', () => {
    const tracing = createTracing({ exporter: { export() {} }, maxPendingExports: 8 });
    expect(tracing.batchProcessor).toBeDefined();
    expect(messages).toEqual([expect.stringMatching(/maxPendingExports applies only with batch: false; ignored/)]);
  });
});
