import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

// Real workerd: a thrown value String() cannot convert (a null-prototype
// object) must reach the caller as it was, and the span still be an ERROR.
const running = workerWithCollector('odd-throws.mjs', 'odd-throws');

async function serverSpan(path: string) {
  const spans = await running.collector.waitForSpans((s) => s.some((x) => x.kind === 2 && x.attributesMap['url.path'] === path));
  return spans.find((x) => x.kind === 2 && x.attributesMap['url.path'] === path)!;
}

describe('throw Object.create(null)', () => {
  for (const path of ['/instrument', '/hono']) {
    it(`${path}: the caller catches the very value thrown; the span is an ERROR`, async () => {
      const res = await running.worker.dispatchFetch('http://shop.test' + path);
      expect(await res.json()).toEqual({ threw: true, same: true });
      expect((await serverSpan(path)).status?.code).toBe(2);
    });
  }
});
