// The dev collector keeps running on a laptop for days: what it reads and what
// it keeps is bounded, and no request can take the process down.
import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startCollector, DEFAULT_LIMITS, MAX_INFLATED_BYTES, type Collector } from '../../demo/collector/collector.mjs';
import { otlpBatch, startCollectorProcess, type CollectorProcess } from './helpers/collector-process.js';

let collector: Collector | undefined;
let proc: CollectorProcess | undefined;
afterEach(async () => {
  await collector?.close();
  await proc?.stop();
  collector = proc = undefined;
});

const post = (url: string, body: string | Buffer, gzip = false) =>
  fetch(url + '/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) }, body: body as BodyInit });

/** One span whose first attribute is `value` (an OTLP AnyValue). */
const withAttribute = (value: unknown, key = 'a') => {
  const request = JSON.parse(otlpBatch(1));
  request.resourceSpans[0].scopeSpans[0].spans[0].attributes = [{ key, value }];
  return JSON.stringify(request);
};

describe('bounded reading', () => {
  it('gzip bombs get 413 as soon as the inflated size passes the bound; three at once leave the process small and up', async () => {
    proc = await startCollectorProcess(['--no-print']);
    // 1 GiB of zeros is about 1 MB of gzip; the old collector inflated all of it (2.2 GB RSS each).
    // Sixteen gzip members of 64 MiB each (RFC 1952 section 2.2 allows several; zlib reads them all).
    const bomb = Buffer.concat(Array(16).fill(gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })));
    expect(bomb.length).toBeLessThan(1.1 * 1024 * 1024);
    const answers = await Promise.all([1, 2, 3].map(() => post(proc!.url, bomb, true).then(async (r) => [r.status, (await r.json()).message])));
    for (const answer of answers) expect(answer).toEqual([413, `body larger than ${MAX_INFLATED_BYTES} bytes after gzip inflation; the collector stops reading there`]);
    // Three requests of at most 64 MiB each, plus Node itself (about 50 MiB); measured about 250 MiB.
    expect(proc.peakRssMiB()).toBeLessThan(512);
    expect((await post(proc.url, otlpBatch(1))).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  });

  it('a span name of 70 million characters (gzip 70 kB) gets 413, twice, and the process stays up', async () => {
    proc = await startCollectorProcess(['--no-print']);
    const huge = gzipSync(otlpBatch(1, { name: () => 'x'.repeat(70_000_000) }));
    for (let i = 0; i < 2; i++) expect((await post(proc.url, huge, true)).status).toBe(413);
    expect((await post(proc.url, otlpBatch(1))).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
  });

  it('a plain body over 8 MiB gets 413', async () => {
    collector = await startCollector({ port: 0, print: false });
    const res = await post(collector.url, 'x'.repeat(9 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect((await res.json()).message).toBe(`body larger than ${8 * 1024 * 1024} bytes`);
  });
});

describe('bounded keeping', () => {
  it(`after a million spans it keeps ${DEFAULT_LIMITS.maxSpans}: the newest traces, whole, said once; the process stays up`, async () => {
    proc = await startCollectorProcess(['--no-print']);
    const template = otlpBatch(50_000, { perTrace: 5 });
    for (let batch = 0; batch < 20; batch++) {
      // Each batch its own trace and span ids: the first 8 hex digits of each id are the batch.
      const body = template.replaceAll('"traceId":"00000001', `"traceId":"${(batch + 1).toString(16).padStart(8, '0')}`).replaceAll('"spanId":"000001', `"spanId":"${(batch + 1).toString(16).padStart(6, '0')}`);
      expect((await post(proc.url, gzipSync(body), true)).status).toBe(200);
    }
    const stats = await (await fetch(proc.url + '/api/stats')).json();
    expect(stats.spans).toBe(DEFAULT_LIMITS.maxSpans);
    expect(stats.traces).toBe(DEFAULT_LIMITS.maxSpans / 5);
    expect(stats.dropped).toEqual({ traces: 180_000, spans: 900_000 });
    const summary = await (await fetch(proc.url + '/api/summary')).json();
    // The newest batches stay (18 and 19, of 0-19), and every kept trace is whole.
    expect(summary.list[0].traceId.slice(0, 8)).toBe('00000014');
    expect(summary.list.every((t: { spanCount: number }) => t.spanCount === 5)).toBe(true);
    expect((await fetch(`${proc.url}/api/traces/00000001${'0'.repeat(23)}1`)).status).toBe(404);
    expect((await fetch(`${proc.url}/api/traces/00000013${'0'.repeat(23)}1`)).status).toBe(200);
    expect(proc.stderr().match(/keeping at most 100000 spans/g)).toHaveLength(1);
    expect((await fetch(proc.url + '/')).status).toBe(200);
    expect(proc.child.exitCode).toBeNull();
    // A million spans take seconds on a quiet machine and longer on a busy one: no time is asserted.
  }, 180_000);

  it('keeps about maxBytes of span data, dropping the oldest traces', async () => {
    const warnings: string[] = [];
    collector = await startCollector({ port: 0, print: false, maxBytes: 64 * 1024, warn: (t) => warnings.push(t) });
    for (let i = 0; i < 40; i++) expect((await post(collector.url, withAttribute({ stringValue: 'v'.repeat(4000) }).replaceAll('"traceId":"00000001', `"traceId":"${(i + 1).toString(16).padStart(8, '0')}`))).status).toBe(200);
    const stats = collector.stats();
    expect(stats.approxBytes).toBeLessThanOrEqual(64 * 1024);
    expect(stats.dropped.traces).toBeGreaterThan(0);
    expect(stats.spans + stats.dropped.spans).toBe(40);
    expect(collector.spans().at(-1)!.traceId.slice(0, 8)).toBe('00000028');
    expect(warnings).toHaveLength(1);
  });

  it('cuts long strings and long lists to the limits, and counts what it cut', async () => {
    collector = await startCollector({ port: 0, print: false });
    await post(collector.url, withAttribute({ stringValue: 'v'.repeat(10_000) }));
    const request = JSON.parse(otlpBatch(1, { batch: 1, name: () => 'n'.repeat(5000) }));
    request.resourceSpans[0].scopeSpans[0].spans[0].attributes = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: { intValue: String(i) } }));
    await post(collector.url, JSON.stringify(request));
    const [first, second] = collector.spans();
    expect(first!.attributesMap.a).toBe('v'.repeat(DEFAULT_LIMITS.maxStringLength));
    expect(second!.name).toBe('n'.repeat(DEFAULT_LIMITS.maxStringLength));
    expect(Object.keys(second!.attributesMap)).toHaveLength(DEFAULT_LIMITS.maxListLength);
    expect(collector.stats().truncated).toEqual({ values: 2, items: 300 - DEFAULT_LIMITS.maxListLength });
  });
});

describe('odd requests get answers, not crashes', () => {
  it('an attribute nested 20,000 deep gets 400 naming the depth limit', async () => {
    collector = await startCollector({ port: 0, print: false });
    const deep = '{"kvlistValue":{"values":[{"key":"k","value":'.repeat(20_000) + '{"stringValue":"x"}' + '}]}}'.repeat(20_000);
    const res = await post(collector.url, withAttribute('DEEP').replace('"DEEP"', deep));
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/: values nested deeper than 32 levels are refused$/);
    expect((await post(collector.url, otlpBatch(1))).status).toBe(200);
  });

  it('an attribute keyed __proto__ is kept as data, in the store and in the API', async () => {
    collector = await startCollector({ port: 0, print: false });
    await post(collector.url, withAttribute({ stringValue: 'kept' }, '__proto__'));
    const [span] = collector.spans();
    expect(Object.getOwnPropertyDescriptor(span!.attributesMap, '__proto__')?.value).toBe('kept');
    expect(Object.getPrototypeOf(span!.attributesMap)).toBe(Object.prototype);
    const api = await (await fetch(`${collector.url}/api/traces/${span!.traceId}`)).json();
    expect(Object.getOwnPropertyDescriptor(api.spans[0].attributesMap, '__proto__')?.value).toBe('kept');
  });

  it('a handler that throws synchronously answers 500, and the collector keeps serving', async () => {
    collector = await startCollector({ port: 0, print: false });
    collector.routes.set('GET /boom', () => {
      throw new RangeError('Invalid string length');
    });
    const res = await fetch(collector.url + '/boom');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ code: 13, message: 'Invalid string length' });
    expect((await post(collector.url, otlpBatch(1))).status).toBe(200);
  });
});
