import { afterEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { createTracing } from '../../src/index.js';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const start = async () => (collector = await startCollector({ port: 0, print: false }));

function validRequest(overrides: Record<string, unknown> = {}) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeSpans: [
          {
            scope: { name: 'test' },
            spans: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '00f067aa0ba902b7',
                name: 'GET',
                kind: 3,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000005000000',
                attributes: [
                  { key: 'http.response.status_code', value: { intValue: '200' } },
                  { key: 'big', value: { intValue: '9223372036854775807' } },
                  { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { stringValue: 'b' }] } } },
                ],
                status: { code: 0 },
                ...overrides,
              },
            ],
          },
        ],
      },
    ],
  };
}

const post = (c: Collector, body: unknown, headers: Record<string, string> = {}) =>
  fetch(c.tracesUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('dev collector', () => {
  it('accepts a valid request, answers an ExportTraceServiceResponse, and stores decoded spans', async () => {
    const c = await start();
    const res = await post(c, validRequest());
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const [span] = c.spans();
    expect(span!.resource).toEqual({ 'service.name': 'svc' });
    expect(span!.attributesMap).toEqual({ 'http.response.status_code': 200, big: '9223372036854775807', tags: ['a', 'b'] });
    const api = await (await fetch(c.url + '/api/traces')).json();
    expect(api.traces).toHaveLength(1);
    expect(api.traces[0].traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('accepts gzip bodies', async () => {
    const c = await start();
    const res = await fetch(c.tracesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(validRequest())),
    });
    expect(res.status).toBe(200);
    expect(c.requests()[0]!.contentEncoding).toBe('gzip');
  });

  it('answers 415 to text/plain, as the OpenTelemetry Collector does', async () => {
    const c = await start();
    const res = await fetch(c.tracesUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
    expect((await res.json()).message).toContain('accepts application/json');
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['a bad traceId', { traceId: 'abc' }, /spans\[0\]\.traceId: expected 32 lower-case hex characters, got "abc"/],
    ['an all-zero spanId', { spanId: '0000000000000000' }, /spans\[0\]\.spanId: must not be all zeros/],
    ['a snake_case key', { trace_id: 'x' }, /spans\[0\]\.trace_id: unknown field/],
    ['a missing name', { name: undefined }, /spans\[0\]\.name: expected a non-empty string/],
    ['kind 9', { kind: 9 }, /spans\[0\]\.kind: expected an integer 0-5/],
    ['an end before the start', { endTimeUnixNano: '1' }, /endTimeUnixNano: ends \(1\) before it starts/],
    ['an AnyValue with two values', { attributes: [{ key: 'k', value: { stringValue: 'a', intValue: '1' } }] }, /attributes\[0\]\.value: an AnyValue holds exactly one of .* got stringValue and intValue/],
  ];
  for (const [what, overrides, message] of bad) {
    it(`rejects ${what} with 400 and a message naming the field`, async () => {
      const c = await start();
      const res = await post(c, validRequest(overrides));
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.code).toBe(3);
      expect(body.message).toMatch(message);
      expect(c.spans()).toHaveLength(0);
    });
  }

  it('rejects malformed JSON with 400', async () => {
    const c = await start();
    const res = await post(c, '{"resourceSpans": [');
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/^invalid JSON/);
  });

  it('answers a browser preflight with the exact origin, credentials and the requested headers', async () => {
    const c = await start();
    const res = await fetch(c.tracesUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5555', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,traceparent,x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5555');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,traceparent,x-api-key');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const post2 = await post(c, validRequest(), { origin: 'http://127.0.0.1:5555' });
    expect(post2.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5555');
    expect(post2.headers.get('access-control-allow-credentials')).toBe('true');
    expect(post2.headers.get('vary')).toContain('Origin');
  });

  it('answers partialSuccess through its test hook', async () => {
    const c = await start();
    const res = await post(c, validRequest(), { 'x-collector-partial-success': '1' });
    expect(await res.json()).toEqual({ partialSuccess: { rejectedSpans: '1', errorMessage: 'rejected by test hook' } });
  });

  it('waitForSpans resolves when spans arrive and times out with what did arrive', async () => {
    const c = await start();
    const waiting = c.waitForSpans((s) => s.some((x) => x.name === 'late'), { timeoutMs: 5000 });
    const tracing = createTracing({ serviceName: 'waiter', endpoint: c.tracesUrl });
    tracing.tracer.startSpan('late').end();
    await tracing.flush();
    expect((await waiting).map((s) => s.name)).toEqual(['late']);
    await expect(c.waitForSpans(5, { timeoutMs: 100 })).rejects.toThrow('waited 100 ms for spans; the collector received: late [waiter]');
  });

  it('receives what tracelet sends, unchanged through validation', async () => {
    const c = await start();
    const tracing = createTracing({ serviceName: 'roundtrip', endpoint: c.tracesUrl, compression: 'gzip' });
    tracing.tracer.startActiveSpan('parent', (p) => {
      for (let i = 0; i < 30; i++) tracing.tracer.startSpan('child', { attributes: { i, ok: true, tags: ['x'] } }).end();
      p.recordException(new Error('boom'));
      p.setStatus({ code: 2, message: 'boom' });
      p.end();
    });
    await tracing.shutdown();
    const spans = await c.waitForSpans(31);
    expect(spans.filter((s) => s.name === 'child').every((s) => s.parentSpanId === spans.find((p) => p.name === 'parent')!.spanId)).toBe(true);
    expect(c.requests()[0]!.contentEncoding).toBe('gzip');
  });
});
