import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { AsyncContextManager, fromAsyncLocalStorage } from '../../src/context/async-context.js';
import { createTracing } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

// The manager tracelet uses with AsyncLocalStorage on Workers and with a
// native AsyncContext.Variable in browsers that ship one; here on Node's
// real AsyncLocalStorage.
describe('AsyncContextManager', () => {
  it('keeps the active span across await, timers and promise callbacks', async () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, contextManager: new AsyncContextManager(fromAsyncLocalStorage(new AsyncLocalStorage())) });
    await tracer.startActiveSpan('parent', async (parent) => {
      await new Promise((r) => setTimeout(r, 0)); // an await across a timer (a later macrotask), not a wait for anything
      tracer.startSpan('after await').end();
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          tracer.startSpan('in timer').end();
          resolve();
        }, 1),
      );
      await Promise.resolve().then(() => tracer.startSpan('in then').end());
      parent.end();
    });
    const parent = exporter.spans.find((s) => s.name === 'parent')!;
    for (const name of ['after await', 'in timer', 'in then']) {
      expect(exporter.spans.find((s) => s.name === name)!.parentSpanId).toBe(parent.spanContext().spanId);
    }
    expect(tracer.getActiveSpan()).toBeUndefined();
  });

  it('keeps concurrent requests apart', async () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, contextManager: new AsyncContextManager(fromAsyncLocalStorage(new AsyncLocalStorage())) });
    const run = (name: string, delay: number) =>
      tracer.startActiveSpan(name, async (span) => {
        await new Promise((r) => setTimeout(r, delay));
        tracer.startSpan(`${name} child`).end();
        span.end();
      });
    await Promise.all([run('a', 10), run('b', 1)]);
    for (const name of ['a', 'b']) {
      expect(exporter.spans.find((s) => s.name === `${name} child`)!.parentSpanId).toBe(exporter.spans.find((s) => s.name === name)!.spanContext().spanId);
    }
  });
});
