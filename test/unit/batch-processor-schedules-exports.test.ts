// When the batch processor exports: a full batch on the next macrotask (never
// inside span.end()), what is left once scheduledDelayMillis has passed, and
// nothing while idle; what it says when the queue overflows or the exporter
// throws. Fake timers: time is stepped, never measured. Pure logic: Node.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BatchSpanProcessor, ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { makeSpans, memoryExporter } from './helpers/spans.js';

const messages = captureDiagnostics();
let spans: ReadableSpan[];
beforeAll(async () => {
  spans = await makeSpans(20);
});
beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

/** Ends `n` spans into `processor`, as a tracer does. */
const feed = (processor: BatchSpanProcessor, n: number) => spans.slice(0, n).forEach((s) => processor.onEnd(s));
const sizes = (exporter: { calls: ReadableSpan[][] }) => exporter.calls.map((c) => c.length);

/** An exporter whose exports finish only when the test says so. */
function heldExporter() {
  const calls: ReadableSpan[][] = [];
  const release: ((r: ExportResult) => void)[] = [];
  const exporter: SpanExporter = {
    export(batch) {
      calls.push(batch);
      return new Promise<ExportResult>((resolve) => release.push(resolve));
    },
  };
  return { exporter, calls, releaseAll: () => release.splice(0).forEach((r) => r({ code: ExportResultCode.SUCCESS })) };
}

describe('BatchSpanProcessor scheduling', () => {
  it('a batch that fills up goes on the next macrotask, however its spans arrived, every time', async () => {
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 10, scheduledDelayMillis: 60_000 });
    feed(processor, 9);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sizes(exporter)).toEqual([]);
    feed(processor, 1);
    expect(sizes(exporter)).toEqual([]); // never inside span.end()
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(exporter)).toEqual([10]);
    feed(processor, 10);
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(exporter)).toEqual([10, 10]);
  });

  it('a size trigger sends only full batches; the rest waits for scheduledDelayMillis', async () => {
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { maxExportBatchSize: 10, scheduledDelayMillis: 5000, maxConcurrentExports: 2 });
    feed(processor, 15);
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(exporter)).toEqual([10]);
    await vi.advanceTimersByTimeAsync(4999);
    expect(sizes(exporter)).toEqual([10]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sizes(exporter)).toEqual([10, 5]);
  });

  it('a full batch that queued while every export slot was busy goes as soon as one is free', async () => {
    const held = heldExporter();
    const processor = new BatchSpanProcessor(held.exporter, { maxExportBatchSize: 10, scheduledDelayMillis: 60_000 });
    feed(processor, 10);
    await vi.advanceTimersByTimeAsync(0);
    feed(processor, 10);
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(held)).toEqual([10]);
    held.releaseAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(held)).toEqual([10, 10]);
    held.releaseAll();
  });

  it('ending many spans keeps one timer pending; an idle or shut-down processor keeps none', async () => {
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 5000 });
    feed(processor, 3);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sizes(exporter)).toEqual([3]);
    expect(vi.getTimerCount()).toBe(0);
    feed(processor, 2);
    await processor.shutdown();
    expect(sizes(exporter)).toEqual([3, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('scheduledDelayMillis may be 0 (export on the next macrotask); a negative or fractional one is rejected', async () => {
    expect(() => new BatchSpanProcessor(memoryExporter(), { scheduledDelayMillis: -1 })).toThrow('tracelet: batch.scheduledDelayMillis must be a whole number >= 0, got -1');
    expect(() => new BatchSpanProcessor(memoryExporter(), { scheduledDelayMillis: 1.5 })).toThrow('tracelet: batch.scheduledDelayMillis must be a whole number >= 0, got 1.5');
    const exporter = memoryExporter();
    const processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 0 });
    feed(processor, 2);
    expect(sizes(exporter)).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sizes(exporter)).toEqual([2]);
  });

  it('an export that never answers is given up after exportTimeoutMillis, so flush() returns', async () => {
    const processor = new BatchSpanProcessor({ export: () => new Promise<ExportResult>(() => {}) }, { exportTimeoutMillis: 1000 });
    feed(processor, 1);
    let flushed = false;
    void processor.forceFlush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(flushed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed).toBe(true);
  });

  it('shutdown shuts the exporter down once, however often it is called; spans ended after it are ignored', async () => {
    let shutdowns = 0;
    const exporter = Object.assign(memoryExporter(), { shutdown: async () => void shutdowns++ });
    const processor = new BatchSpanProcessor(exporter);
    feed(processor, 1);
    await processor.shutdown();
    await processor.shutdown();
    expect(shutdowns).toBe(1);
    feed(processor, 1);
    expect(processor.queueSize).toBe(0);
    expect(sizes(exporter)).toEqual([1]);
  });
});

describe('BatchSpanProcessor diagnostics', () => {
  it('a single dropped span is reported, with the queue size', () => {
    const processor = new BatchSpanProcessor(memoryExporter(), { maxQueueSize: 4, maxExportBatchSize: 4 });
    feed(processor, 5);
    expect(processor.droppedSpans).toBe(1);
    expect(messages).toEqual(['span queue full (4); dropping the oldest spans. Is the collector reachable?']);
  });

  it('an exporter that throws is reported once, with the first error', async () => {
    let n = 0;
    const processor = new BatchSpanProcessor(
      {
        export() {
          throw new Error(n++ ? 'second' : 'first');
        },
      },
      { maxExportBatchSize: 1 },
    );
    feed(processor, 2);
    await processor.forceFlush();
    expect(n).toBe(2);
    expect(messages).toEqual(['the span exporter threw: Error: first; those spans are dropped']);
  });
});
