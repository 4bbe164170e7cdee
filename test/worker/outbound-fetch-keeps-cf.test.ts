import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startWorker } from './support/workerd.js';

// Real workerd. Its global outbound and a service binding both lead to this
// recorder, which sees each request as the origin would, `request.cf` included
// (workerd hands `cf` on to the next service; Miniflare carries it to Node).
type Seen = { path: string; cf: Record<string, unknown> | undefined; traceparent: string | null; app: string | null };
const seen: Seen[] = [];
const origin = async (request: { url: string; cf?: Record<string, unknown>; headers: Headers }) => {
  const url = new URL(request.url);
  // The export to the (default) collector comes here too; only the app's calls are recorded.
  if (url.host === 'origin.test') seen.push({ path: url.pathname, cf: request.cf, traceparent: request.headers.get('traceparent'), app: request.headers.get('x-app') });
  return new Response('{}');
};
const received = (path: string) => seen.find((s) => s.path === path)!;

let worker: Miniflare;
beforeAll(async () => {
  worker = await startWorker('outbound-cf.mjs', { OTEL_SERVICE_NAME: 'outbound-cf' }, ['nodejs_compat'], undefined, { outboundService: origin, serviceBindings: { ORIGIN: origin } } as never);
});
afterAll(async () => {
  await worker?.dispose();
});

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-03$/;

describe('outbound fetch in workerd keeps the request\'s cf', () => {
  it('fetch(url, request) forwards the incoming request\'s cf, with our traceparent added', async () => {
    await (await worker.dispatchFetch('http://shop.test/forward', { cf: { marker: 'incoming' } } as never)).text();
    expect(received('/forward').cf).toMatchObject({ marker: 'incoming' });
    // The request went through tracelet's wrapper, which rebuilt the init.
    expect(received('/forward').traceparent).toMatch(TRACEPARENT);
  });

  it('fetch(request) and fetch(request, { headers }) keep the cf the Request was made with', async () => {
    await (await worker.dispatchFetch('http://shop.test/request')).text();
    await (await worker.dispatchFetch('http://shop.test/request-and-headers')).text();
    for (const path of ['/request', '/request-and-headers']) {
      expect(received(path).cf).toMatchObject({ cacheTtl: 42, cacheKey: 'order-42' });
      expect(received(path).traceparent).toMatch(TRACEPARENT);
    }
    expect(received('/request-and-headers').app).toBe('1');
  });

  it('a service binding given the incoming request as init forwards its cf', async () => {
    await (await worker.dispatchFetch('http://shop.test/binding', { cf: { marker: 'incoming' } } as never)).text();
    expect(received('/binding').cf).toMatchObject({ marker: 'incoming' });
    expect(received('/binding').traceparent).toMatch(TRACEPARENT);
  });
});
