// A Worker that spreads zipkinFromEnv(env) into its config sends Zipkin v2
// JSON where OTEL_TRACES_EXPORTER=zipkin says so, and OTLP otherwise. Run in
// Node with instrument()'s handler called as workerd calls it (a Request, the
// env, a ctx whose waitUntil the test awaits); the collector is a real
// 127.0.0.1 server.
import { afterEach, describe, expect, it } from 'vitest';
import { instrument } from '../../src/worker.js';
import { zipkinFromEnv } from '../../src/zipkin.js';
import { startServer, type TestServer } from './helpers/http-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(env: Record<string, string>) {
  const handler = instrument({ fetch: (_request: Request, _env: unknown, _ctx: unknown) => new Response('ok') }, (e: Record<string, unknown>) => ({ serviceName: 'shop-edge', ...zipkinFromEnv(e, { retry: false }) }));
  const waits: Promise<unknown>[] = [];
  const response = await handler.fetch!(new Request('http://shop.example/cart?x=1'), env as never, { waitUntil: (p: Promise<unknown>) => void waits.push(p), passThroughOnException() {} } as never);
  await Promise.all(waits);
  return response;
}

describe('zipkinFromEnv in a Worker config', () => {
  it('OTEL_TRACES_EXPORTER=zipkin: the request span goes to OTEL_EXPORTER_ZIPKIN_ENDPOINT as Zipkin v2 JSON', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const response = await serve({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${server.url}/api/v2/spans` });
    expect(await response.text()).toBe('ok');
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v2/spans']);
    const [span] = JSON.parse(server.requests[0]!.body);
    expect(span).toMatchObject({ kind: 'SERVER', name: 'GET', localEndpoint: { serviceName: 'shop-edge' }, tags: { 'cloud.provider': 'cloudflare', 'url.path': '/cart' } });
  });

  it('without it: OTLP to OTEL_EXPORTER_OTLP_ENDPOINT, as before', async () => {
    server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    await serve({ OTEL_EXPORTER_OTLP_ENDPOINT: server.url, OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${server.url}/api/v2/spans` });
    expect(server.requests.map((r) => r.url)).toEqual(['/v1/traces']);
    expect(JSON.parse(server.requests[0]!.body).resourceSpans[0].scopeSpans[0].spans[0].kind).toBe(2);
  });
});
