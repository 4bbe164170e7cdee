import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, SpanStatusCode, createTracing, setSpan, setSpanContext } from '../../src/index.js';
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
