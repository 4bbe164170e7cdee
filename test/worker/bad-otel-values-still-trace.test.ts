import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { startWorker } from './support/workerd.js';

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
