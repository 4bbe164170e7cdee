import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { consoleSentinel, startWorker } from './support/workerd.js';

// Real workerd: invalid OTEL_* values are warned about and the defaults used;
// tracing stays on (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
let collector: Collector;
let worker: Miniflare;
const output: string[] = [];

beforeAll(async () => {
  collector = await startCollector({ port: 0, print: false });
  worker = await startWorker(
    'app.mjs',
    {
      OTEL_SERVICE_NAME: 'bad-values',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl,
      OTEL_TRACES_SAMPLER: 'PARENTBASED_TRACEIDRATIO',
      OTEL_TRACES_SAMPLER_ARG: 'abc',
      OTEL_PROPAGATORS: 'xray,tracecontext',
    },
    ['nodejs_compat'],
    output,
  );
});
afterAll(async () => {
  await worker?.dispose();
  await collector?.close();
});

describe('bad OTEL_* values in workerd', () => {
  it('an upper-case sampler with a sampler arg that is not a number still traces every request, continuing tracecontext', async () => {
    const T = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await worker.dispatchFetch('http://shop.test/hello', { headers: { traceparent: `00-${T}-00f067aa0ba902b7-01` } });
    expect(await res.text()).toBe('hello from the edge');
    await worker.dispatchFetch('http://shop.test/hello');
    const spans = await collector.waitForSpans((s) => s.filter((x) => x.attributesMap['url.path'] === '/hello').length >= 2);
    expect(spans.filter((x) => x.attributesMap['url.path'] === '/hello')).toHaveLength(2);
    expect(spans.some((x) => x.traceId === T)).toBe(true);
    const said = output.join('');
    expect(said).toContain('OTEL_TRACES_SAMPLER_ARG');
    expect(said).toContain('"xray"');
    expect(said).not.toContain('tracing is off');
  });
});

describe('invalid code configuration in workerd', () => {
  it('turns tracing off with one console error; the worker still serves, and nothing throws into it', async () => {
    const said: string[] = [];
    const bad = await startWorker('bad-code-config.mjs', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.tracesUrl }, ['nodejs_compat'], said);
    try {
      collector.clear();
      for (let i = 0; i < 3; i++) {
        const res = await bad.dispatchFetch('http://shop.test/');
        expect([res.status, await res.text()]).toEqual([200, 'served untraced']);
      }
      // Sentinels, after the three requests: console lines, and a span the fixture exported itself (a span of
      // the three requests, were tracing on, would go out in exports sent before it).
      await consoleSentinel(bad, said);
      expect(collector.spans().filter((x) => x.resource['service.name'] === 'sentinel')).toHaveLength(1);
      expect(said.join('').match(/tracing is off: tracelet: unknown sampler "always_sometimes"/g)).toHaveLength(1);
      expect(collector.spans().filter((x) => x.resource['service.name'] === 'bad-code')).toHaveLength(0);
    } finally {
      await bad.dispose();
    }
  });
});
