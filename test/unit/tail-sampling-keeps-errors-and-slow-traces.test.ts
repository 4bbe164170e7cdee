import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanStatusCode, TailSamplingProcessor, createTracing, setSpan, setSpanContext, type ReadableSpan, type SpanProcessor } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

function setup(tailSampling: Parameters<typeof createTracing>[0] extends infer O ? O extends { tailSampling?: infer T } ? T : never : never) {
  const exporter = memoryExporter();
  const tracing = createTracing({ exporter, batch: false, tailSampling, sampler: 'always_off' });
  return { exporter, tracer: tracing.tracer };
}

function trace(tracer: ReturnType<typeof setup>['tracer'], name: string, opts: { error?: boolean; durationMs?: number } = {}) {
  const root = tracer.startSpan(name, { startTime: 1_000 });
  const child = tracer.startSpan(`${name} child`, {}, setSpan(ROOT_CONTEXT, root));
  if (opts.error) child.setStatus({ code: SpanStatusCode.ERROR });
  child.end();
  root.end(1_000 + (opts.durationMs ?? 1));
}

describe('tail sampling', () => {
  it('keeps every trace with an error, whole, even with ratio 0 and a head sampler that says no', async () => {
    const { exporter, tracer } = setup({ ratio: 0 });
    trace(tracer, 'ok');
    trace(tracer, 'failed', { error: true });
    expect(exporter.spans.map((s) => s.name).sort()).toEqual(['failed', 'failed child']);
  });

  it('keepErrors: false keeps an error trace only by the ratio', () => {
    const { exporter, tracer } = setup({ ratio: 0, keepErrors: false });
    trace(tracer, 'failed', { error: true });
    expect(exporter.spans).toEqual([]);
  });

  it('keeps a trace whose root lasted exactly slowerThanMs ("at least this long")', () => {
    const { exporter, tracer } = setup({ ratio: 0, slowerThanMs: 500 });
    trace(tracer, 'just slow enough', { durationMs: 500 });
    trace(tracer, 'just fast enough', { durationMs: 499 });
    expect(exporter.spans.map((s) => s.name).sort()).toEqual(['just slow enough', 'just slow enough child']);
  });

  it('keeps traces slower than the threshold', () => {
    const { exporter, tracer } = setup({ ratio: 0, slowerThanMs: 500 });
    trace(tracer, 'fast', { durationMs: 10 });
    trace(tracer, 'slow', { durationMs: 800 });
    expect(exporter.spans.map((s) => s.name).sort()).toEqual(['slow', 'slow child']);
  });

  it('keeps the rest at the ratio, deciding by trace id', () => {
    const { exporter, tracer } = setup({ ratio: 0.5 });
    for (let i = 0; i < 2000; i++) trace(tracer, 't');
    const kept = exporter.spans.length / 2;
    expect(kept).toBeGreaterThan(850);
    expect(kept).toBeLessThan(1150);
    // Whole traces only: every kept root has its child.
    const ids = new Map<string, number>();
    for (const s of exporter.spans) ids.set(s.spanContext().traceId, (ids.get(s.spanContext().traceId) ?? 0) + 1);
    expect([...ids.values()].every((n) => n === 2)).toBe(true);
  });

  it('decides when the local root ends, also under a remote parent', () => {
    const { exporter, tracer } = setup({ ratio: 0 });
    const remote = setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0, isRemote: true });
    const server = tracer.startSpan('server', {}, remote);
    server.setStatus({ code: SpanStatusCode.ERROR });
    server.end();
    expect(exporter.spans.map((s) => s.name)).toEqual(['server']);
  });

  it('keeps memory bounded: at most maxTraces traces wait', () => {
    const { exporter, tracer } = setup({ ratio: 1, maxTraces: 10 });
    // Children whose roots never end: the oldest traces are decided early.
    for (let i = 0; i < 50; i++) {
      const root = tracer.startSpan('open root');
      tracer.startSpan('child', {}, setSpan(ROOT_CONTEXT, root)).end();
    }
    expect(exporter.spans).toHaveLength(40);
  });

  it('a flush while a trace is open (another request finished) leaves it waiting for its root', async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ exporter, batch: false, tailSampling: { ratio: 0, slowerThanMs: 500 }, sampler: 'always_off' });
    const { tracer } = tracing;
    const slowRoot = tracer.startSpan('slow request', { startTime: 1_000 });
    tracer.startSpan('outbound', { startTime: 1_010 }, setSpan(ROOT_CONTEXT, slowRoot)).end(1_100);
    trace(tracer, 'fast request', { durationMs: 10 }); // ends first, and its invocation flushes
    await tracing.flush();
    expect(exporter.spans).toHaveLength(0);
    slowRoot.end(3_000); // slow: the whole trace is kept, the outbound span included
    // Work that ends after the root (e.g. in waitUntil) follows the decision already made.
    tracer.startSpan('after response', {}, setSpan(ROOT_CONTEXT, slowRoot)).end();
    trace(tracer, 'dropped', { durationMs: 10 });
    expect(exporter.spans.map((s) => s.name)).toEqual(['outbound', 'slow request', 'after response']);
  });

  it('a span that ends after its trace was dropped is dropped too', () => {
    const { exporter, tracer } = setup({ ratio: 0 });
    const root = tracer.startSpan('fast request');
    root.end();
    tracer.startSpan('after response', {}, setSpan(ROOT_CONTEXT, root)).end();
    expect(exporter.spans).toEqual([]);
  });

  it('a span that ends after its root follows the decision, while later traces are decided', () => {
    const { exporter, tracer } = setup({ ratio: 0 });
    const kept = tracer.startSpan('failed request');
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    trace(tracer, 'another request');
    trace(tracer, 'and another');
    tracer.startSpan('after response', {}, setSpan(ROOT_CONTEXT, kept)).end();
    expect(exporter.spans.map((s) => s.name)).toEqual(['failed request', 'after response']);
  });

  it('remembers the decisions of at most maxTraces traces: a span ending after its decision was forgotten waits as a new trace', () => {
    const { exporter, tracer } = setup({ ratio: 0, maxTraces: 1 });
    const kept = tracer.startSpan('failed request');
    kept.setStatus({ code: SpanStatusCode.ERROR });
    kept.end();
    trace(tracer, 'next request'); // its decision takes the place of the first
    tracer.startSpan('after response', {}, setSpan(ROOT_CONTEXT, kept)).end();
    expect(exporter.spans.map((s) => s.name)).toEqual(['failed request']);
  });

  it('keeps at most maxSpansPerTrace spans of a trace waiting; the ones beyond are passed on undecided', () => {
    const { exporter, tracer } = setup({ ratio: 0, maxSpansPerTrace: 2 });
    const root = tracer.startSpan('big request');
    for (let i = 0; i < 3; i++) tracer.startSpan('child ' + i, {}, setSpan(ROOT_CONTEXT, root)).end();
    expect(exporter.spans.map((s) => s.name)).toEqual(['child 2']);
    root.end(); // beyond the bound too; the two that waited are then dropped by the ratio
    expect(exporter.spans.map((s) => s.name)).toEqual(['child 2', 'big request']);
  });

  it('passes starts and flushes on to the processor it feeds', async () => {
    const started: string[] = [];
    const ended: string[] = [];
    let flushes = 0;
    const next: SpanProcessor = {
      onStart: (span) => void started.push((span as unknown as ReadableSpan).name),
      onEnd: (span) => void ended.push(span.name),
      forceFlush: async () => void flushes++,
      shutdown: async () => {},
    };
    const tracing = createTracing({ exporter: { export() {} }, batch: false, registerGlobals: false, spanProcessors: [new TailSamplingProcessor(next, { ratio: 1 })] });
    tracing.tracer.startSpan('request').end();
    await tracing.flush();
    expect([started, ended, flushes]).toEqual([['request'], ['request'], 1]);
  });

  it('shutdown decides the traces still waiting', async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ exporter, batch: false, tailSampling: { ratio: 0 }, sampler: 'always_off' });
    const root = tracing.tracer.startSpan('never ends');
    const child = tracing.tracer.startSpan('failed child', {}, setSpan(ROOT_CONTEXT, root));
    child.setStatus({ code: SpanStatusCode.ERROR });
    child.end();
    await tracing.flush();
    expect(exporter.spans).toHaveLength(0);
    await tracing.shutdown();
    expect(exporter.spans.map((s) => s.name)).toEqual(['failed child']);
  });
});
