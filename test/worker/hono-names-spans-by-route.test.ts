import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectErrorSpanFor, workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('hono-app.mjs', 'hono-edge');
// Scopes tracelet names carry its version (package.json's).
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('tracelet/hono', () => {
  it('names SERVER spans by the matched route: GET /users/:id', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/users/42', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    expect(await res.json()).toEqual({ id: '42' });
    const [span] = await running.collector.waitForSpans(1);
    expect(span!.name).toBe('GET /users/:id');
    expect(span!.scope).toEqual({ name: 'tracelet.worker', version });
    expect(span!.kind).toBe(2);
    expect(span!.attributesMap['http.route']).toBe('/users/:id');
    expect(span!.attributesMap['url.path']).toBe('/users/42');
    expect(span!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(res.headers.get('server-timing')).toContain(span!.spanId);
  });

  it('records a handler error as an ERROR span; Hono still answers 500', async () => {
    const span = await expectErrorSpanFor(running, 'http://shop.test/boom');
    expect(span.name).toBe('GET /boom');
  });

  it("a sub-app's own tracelet() under the app's: one span, one exception event for one thrown error", async () => {
    const span = await expectErrorSpanFor(running, 'http://shop.test/api/boom');
    // Sentinel: a later request. A second span of /api/boom, were there one, goes out in an export sent before it.
    await running.worker.dispatchFetch('http://shop.test/users/7');
    await running.collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/users/7'));
    expect(running.collector.spans().filter((x) => x.attributesMap['url.path'] !== '/users/7')).toHaveLength(1);
    expect(span.events?.map((e) => e.name)).toEqual(['exception']);
  });

  it('a thrown HTTPException(401) answers 401 and leaves the SERVER span status unset (4xx is the client\'s, HTTP semantic conventions)', async () => {
    running.collector.clear();
    const res = await running.worker.dispatchFetch('http://shop.test/private');
    expect([res.status, await res.text()]).toEqual([401, 'log in first']);
    const [span] = await running.collector.waitForSpans(1);
    expect(span!.name).toBe('GET /private');
    expect(span!.attributesMap['http.response.status_code']).toBe(401);
    expect(span!.status?.code ?? 0).toBe(0);
    expect(span!.attributesMap['error.type']).toBeUndefined();
  });
});
