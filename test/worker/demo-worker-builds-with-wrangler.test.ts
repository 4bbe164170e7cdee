import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';

// demo/worker is what README tells users to copy: bundle it with wrangler
// itself (as `wrangler deploy` would) and run the artifact in workerd.
const root = resolve(import.meta.dirname, '../..');
let out: string;
let collector: Collector;
let origin: Server;
let originPort: number;
const seen: (string | undefined)[] = [];

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'tracelet-demo-worker-'));
  execFileSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', out, '-c', 'demo/worker/wrangler.toml'], {
    cwd: root,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    stdio: 'pipe',
  });
  collector = await startCollector({ port: 0, print: false });
  origin = createServer((req, res) => {
    seen.push(req.headers.traceparent as string | undefined);
    res.writeHead(201, { 'content-type': 'application/json' }).end('{"order":"ok"}');
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originPort = (origin.address() as AddressInfo).port;
});
afterAll(async () => {
  rmSync(out, { recursive: true, force: true });
  await collector?.close();
  await new Promise((r) => origin?.close(r));
});

describe('demo/worker', () => {
  it('bundles with wrangler and traces browser -> edge -> cart (Durable Object + KV) -> origin in workerd', async () => {
    const mf = new Miniflare({
      modules: true,
      script: readFileSync(join(out, 'index.js'), 'utf8'),
      compatibilityDate: '2026-04-26',
      compatibilityFlags: ['nodejs_compat'],
      bindings: { OTEL_SERVICE_NAME: 'demo-edge', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, ORIGIN_URL: `http://127.0.0.1:${originPort}` },
      // As wrangler.toml declares them: the cart (a Durable Object of this script) and its stock in KV.
      durableObjects: { CART: 'Cart' },
      kvNamespaces: ['STOCK'],
    });
    try {
      const res = await mf.dispatchFetch('http://edge.test/api/buy', { method: 'POST', body: '{}', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ order: 'ok' });
      // edge SERVER > RPC CLIENT > cart SERVER > KV get, KV put, fetch CLIENT to the origin
      const spans = await collector.waitForSpans(6);
      expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(['4bf92f3577b34da6a3ce929d0e0e4736']));
      expect(spans.map((s) => s.name).sort()).toEqual(['CART/checkout', 'Cart/checkout', 'KV get', 'KV put', 'POST', 'POST']);
      const client = spans.find((s) => s.kind === 3 && s.name === 'POST')!;
      expect(seen[0]).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${client.spanId}-01`);
    } finally {
      await mf.dispose();
    }
  });
});
