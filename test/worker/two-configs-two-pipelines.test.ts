import { describe, expect, it } from 'vitest';
import { workerWithCollector } from './support/workerd.js';

const running = workerWithCollector('two-configs.mjs', 'from-env');

describe('two instrument() calls with their own configs in one module', () => {
  it('each gets its own pipeline, built once, also when one is called with the env the other hands it', async () => {
    await running.worker.dispatchFetch('http://shop.test/a');
    await running.worker.dispatchFetch('http://shop.test/b');
    const spans = await running.collector.waitForSpans(4);
    const services = spans.map((s) => `${s.resource['service.name']} ${s.attributesMap['url.path']}`).sort();
    expect(services).toEqual(['inner-svc /a', 'inner-svc /b', 'outer-svc /a', 'outer-svc /b']);
    const res = await running.worker.dispatchFetch('http://shop.test/pipelines-built');
    expect(await res.json()).toEqual({ outer: 1, inner: 1 });
  });
});
