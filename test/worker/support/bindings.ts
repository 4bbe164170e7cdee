import { afterAll, beforeAll } from 'vitest';
import type { Miniflare } from 'miniflare';
import { startCollector, type Collector, type StoredSpan } from '../../../demo/collector/collector.mjs';
import { startWorker } from './workerd.js';

/**
 * For a test file: the dev collector and fixtures/bindings.mjs in workerd
 * with a KV namespace, an R2 bucket, a D1 database, a queue (produced and
 * consumed by the same Worker), an Analytics Engine dataset (a binding
 * tracelet does not know) and plain vars, all in memory.
 */
export function bindingsWorker(): { collector: Collector; worker: Miniflare } {
  const running = {} as { collector: Collector; worker: Miniflare };
  beforeAll(async () => {
    running.collector = await startCollector({ port: 0, print: false });
    running.worker = await startWorker(
      'bindings.mjs',
      // A JSON var (an object) beside plain string vars.
      { OTEL_SERVICE_NAME: 'bindings', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: running.collector.tracesUrl, PLAIN: 'a plain var', CONFIG: { flags: ['a'], n: 1 } } as never,
      ['nodejs_compat'],
      undefined,
      {
        kvNamespaces: { KV: 'kv-ns' },
        r2Buckets: { R2: 'bucket' },
        d1Databases: { DB: 'db-id' },
        queueProducers: { QUEUE: { queueName: 'jobs' } },
        queueConsumers: { jobs: { maxBatchSize: 10, maxBatchTimeout: 0 } },
        analyticsEngineDatasets: { AE: { dataset: 'events' } },
      } as never,
    );
  });
  afterAll(async () => {
    await running.worker?.dispose();
    await running.collector?.close();
  });
  return running;
}

/** Requests `/route`, waits for its SERVER span and `count` spans below it; returns the body, the server span and its children in start order. */
export async function callRoute(
  running: { collector: Collector; worker: Miniflare },
  route: string,
  count: number,
): Promise<{ body: string; headers: Headers; server: StoredSpan; children: StoredSpan[]; all: StoredSpan[] }> {
  running.collector.clear();
  const res = await running.worker.dispatchFetch(`http://shop.test/${route}`);
  const body = await res.text();
  const isServer = (s: StoredSpan) => s.kind === 2 && s.attributesMap['url.path'] === `/${route}`;
  const all = await running.collector.waitForSpans((spans) => {
    const server = spans.find(isServer);
    return !!server && spans.filter((s) => s.parentSpanId === server.spanId).length >= count;
  });
  const server = all.find(isServer)!;
  const children = all.filter((s) => s.parentSpanId === server.spanId).sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
  for (const child of children) if (child.traceId !== server.traceId) throw new Error('a child in another trace');
  return { body, headers: res.headers as unknown as Headers, server, children, all };
}
