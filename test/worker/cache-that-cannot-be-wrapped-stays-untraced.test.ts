// Real workerd: an app froze the Cache class before tracelet's first request.
// The Cache API works as before, untraced, and W40 says why once.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { consoleSentinel, startWorker } from './support/workerd.js';

let collector: Collector;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker('cache-frozen.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], output);
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

it('a frozen Cache class: match and put still work, no Cache span, W40 printed once', async () => {
  for (let i = 0; i < 2; i++) expect(await (await worker.dispatchFetch('http://shop.test/')).text()).toBe('still-cached');
  // A Cache span of those two requests ends before their SERVER span and goes out in the same export. Sentinel for
  // the console and for a later export: a third request, after both (its export is sent after theirs).
  await consoleSentinel(worker, output);
  const isSentinel = (s: { attributesMap: Record<string, unknown> }) => s.attributesMap['url.path'] === '/console-sentinel';
  const spans = (await collector.waitForSpans((s) => s.filter((x) => x.kind === 2).length === 3 && s.some(isSentinel))).filter((s) => !isSentinel(s));
  expect(spans).toHaveLength(2);
  expect(collector.spans().filter((s) => s.kind !== 2)).toEqual([]);
  expect(spans.every((s) => s.kind === 2)).toBe(true);
  const warnings = output.join('').split('\n').filter((l) => l.includes('the Cache API could not be wrapped'));
  expect(warnings).toHaveLength(1);
});
