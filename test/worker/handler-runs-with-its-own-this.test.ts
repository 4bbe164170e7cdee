import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

// Real workerd: instrument() must not change what `this` is inside the handler.
const running = workerWithCollector('class-handler.mjs', 'class-handler');

describe('instrument() keeps the handler as this', () => {
  it('a class instance with a #private field answers, with this === the handler, and the request is traced', async () => {
    const res = await running.worker.dispatchFetch('http://shop.test/');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ visits: 1, same: true });
    expect(await (await running.worker.dispatchFetch('http://shop.test/')).json()).toEqual({ visits: 2, same: true });
    const spans = await running.collector.waitForSpans((s) => s.filter((x) => x.kind === 2).length >= 2);
    expect(spans.filter((x) => x.kind === 2 && x.attributesMap['http.response.status_code'] === 200)).toHaveLength(2);
  });
});
