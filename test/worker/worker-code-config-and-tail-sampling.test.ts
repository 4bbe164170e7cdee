import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startSite, type Site } from '../browser/support/servers.js';
import { startWorker } from './support/workerd.js';

let collector: Collector;
let origin: Site;
let worker: Miniflare;
beforeAll(async () => {
  [collector, origin] = await Promise.all([startCollector({ port: 0, print: false }), startSite()]);
  worker = await startWorker('configured.mjs', {
    OTEL_SERVICE_NAME: 'from-env',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=staging,team=from-env',
    SUFFIX: 'x',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    ORIGIN_URL: origin.url,
  });
});
afterAll(async () => {
  await worker?.dispose();
  await Promise.all([collector?.close(), origin?.close()]);
});

describe('code config and tail sampling in workerd', () => {
  it('tail sampling drops healthy fast traces at ratio 0 and keeps failing ones; code config overrides env', async () => {
    await worker.dispatchFetch('http://shop.test/ok');
    await worker.dispatchFetch('http://shop.test/fail');
    // /fail is the sentinel: a kept span of /ok would go out in /ok's export, sent before /fail was requested.
    await collector.waitForSpans((s) => s.some((x) => x.attributesMap['url.path'] === '/fail'));
    const all = collector.spans();
    expect(all.map((s) => s.attributesMap['url.path'])).toEqual(['/fail']);
    expect(all[0]!.resource['service.name']).toBe('from-code-x');
  });

  it("the code's resource merges over OTEL_RESOURCE_ATTRIBUTES (the user's wins per key; the env's other attributes stay)", async () => {
    collector.clear();
    await worker.dispatchFetch('http://shop.test/fail');
    const [span] = await collector.waitForSpans(1);
    expect(span!.resource).toMatchObject({ 'deployment.environment.name': 'staging', team: 'from-code', 'service.name': 'from-code-x', 'cloud.provider': 'cloudflare' });
  });

  it("propagateTo: 'none' sends no trace headers anywhere", async () => {
    await worker.dispatchFetch('http://shop.test/ok');
    const seen = origin.seen.filter((r) => r.path === '/api/echo?no-headers');
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) expect(r.headers.traceparent).toBeUndefined();
  });
});

describe('code configs at the edges in workerd', () => {
  let edges: Miniflare;
  const said: string[] = [];
  beforeAll(async () => {
    edges = await startWorker(
      'code-config-edges.mjs',
      { OTEL_SERVICE_NAME: 'from-env', OTEL_RESOURCE_ATTRIBUTES: 'team=from-env', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url },
      ['nodejs_compat'],
      said,
    );
  });
  afterAll(() => edges?.dispose());

  it('a config function that returns nothing leaves the env configuration, and tracing on', async () => {
    collector.clear();
    expect(await (await edges.dispatchFetch('http://shop.test/nothing')).text()).toBe('/nothing');
    const [span] = await collector.waitForSpans(1, { timeoutMs: 3000 });
    expect(span!.resource).toMatchObject({ 'service.name': 'from-env', team: 'from-env' });
    expect(said.join('')).not.toContain('tracing is off');
  });

  it("service.name in the code's resource wins over OTEL_SERVICE_NAME, as its other keys do", async () => {
    collector.clear();
    expect(await (await edges.dispatchFetch('http://shop.test/named')).text()).toBe('/named');
    const [span] = await collector.waitForSpans(1, { timeoutMs: 3000 });
    expect(span!.resource).toMatchObject({ 'service.name': 'from-code-resource', team: 'from-env' });
  });
});
