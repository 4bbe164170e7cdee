import { describe, expect, it } from 'vitest';
import { expectErrorSpanFor, workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('hono-inside-instrument.mjs', 'hono-edge');

describe('tracelet() middleware inside instrument(app)', () => {
  it('two requests build one pipeline (instrument\'s); the middleware only names its span by route', async () => {
    await running.worker.dispatchFetch('http://shop.test/users/1');
    await running.worker.dispatchFetch('http://shop.test/users/2');
    const spans = await running.collector.waitForSpans(2);
    expect(spans.map((s) => [s.name, s.attributesMap['url.path'], s.attributesMap['http.route']])).toEqual([
      ['GET /users/:id', '/users/1', '/users/:id'],
      ['GET /users/:id', '/users/2', '/users/:id'],
    ]);
    // One SERVER span per request: the middleware started none of its own.
    expect(spans.every((s) => s.kind === 2 && s.parentSpanId === undefined)).toBe(true);
    const res = await running.worker.dispatchFetch('http://shop.test/pipelines-built');
    expect(await res.json()).toEqual({ instrument: 1, middleware: 0 });
  });

  it('an error a route throws (Hono answers 500) is an ERROR span with its exception event, though instrument() never sees it thrown', async () => {
    const span = await expectErrorSpanFor(running, 'http://shop.test/boom');
    expect(span.name).toBe('GET /boom');
    const exception = span.events?.find((e) => e.name === 'exception');
    expect(JSON.stringify(exception!.attributes)).toContain('boom inside instrument');
  });
});
