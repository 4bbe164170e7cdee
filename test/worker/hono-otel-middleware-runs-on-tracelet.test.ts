// @hono/otel (the real package) over tracelet/otel-api in real workerd: its
// SERVER span continues the incoming traceparent, and what runs under it (a
// library span through @opentelemetry/api, tracelet's outbound fetch span) is
// its child, exported by tracelet to the dev collector.
import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('hono-otel-middleware.mjs', 'hono-otel-edge', { origin: true });
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

describe('@hono/otel on tracelet', () => {
  it("exports @hono/otel's SERVER span joined to the incoming traceparent, with the API span and tracelet's fetch span under it", async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/users/42', { headers: { traceparent: `00-${T}-${P}-01` } });
    expect(await res.json()).toEqual({ id: '42', echoed: true });
    const spans = await running.collector.waitForSpans((s) => s.filter((x) => x.kind === 2).length === 2 && s.some((x) => x.name === 'load user') && s.some((x) => x.kind === 3));
    const traceletServer = spans.find((x) => x.scope.name === 'tracelet.worker' && x.kind === 2)!;
    const honoServer = spans.find((x) => x.scope.name === '@hono/otel')!;
    const load = spans.find((x) => x.name === 'load user')!;
    const client = spans.find((x) => x.kind === 3)!;
    expect(honoServer.kind).toBe(2);
    expect(honoServer.name).toBe('GET /users/:id');
    expect(honoServer.attributesMap['http.route']).toBe('/users/:id');
    expect(honoServer.attributesMap['http.response.status_code']).toBe(200);
    expect(honoServer.traceId).toBe(T);
    expect(honoServer.parentSpanId).toBe(P);
    // instrument()'s own SERVER span continues the same caller: two siblings (README, limits).
    expect(traceletServer.parentSpanId).toBe(P);
    expect(honoServer.resource['service.name']).toBe('hono-otel-edge');
    // trace.getActiveSpan() of the API, after an await in the route, is the middleware's span.
    expect(honoServer.attributesMap['app.user_id']).toBe('42');
    expect(load.scope.name).toBe('user-store');
    expect(load.parentSpanId).toBe(honoServer.spanId);
    expect(client.parentSpanId).toBe(load.spanId);
    expect(String(client.attributesMap['url.full'])).toContain('/api/echo?user=42');
    for (const s of spans) expect(s.traceId).toBe(T);
    // The origin received the trace context of tracelet's CLIENT span.
    const received = running.origin.seen.find((r) => r.path.includes('user=42'))!;
    expect(received.headers.traceparent).toBe(`00-${T}-${client.spanId}-01`);
  });

  it("without an incoming traceparent the SERVER span of @hono/otel is the child of instrument()'s, in one trace", async () => {
    running.collector.clear();
    await running.worker.dispatchFetch('http://shop.test/users/7');
    const spans = await running.collector.waitForSpans((s) => s.filter((x) => x.kind === 2).length === 2 && s.some((x) => x.name === 'load user'));
    const honoServer = spans.find((x) => x.scope.name === '@hono/otel')!;
    const traceletServer = spans.find((x) => x.scope.name === 'tracelet.worker' && x.kind === 2)!;
    expect(traceletServer.parentSpanId).toBeUndefined();
    expect(honoServer.parentSpanId).toBe(traceletServer.spanId);
    expect(spans.find((x) => x.name === 'load user')!.parentSpanId).toBe(honoServer.spanId);
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  });
});
