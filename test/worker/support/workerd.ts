import { Miniflare, type Response as MiniflareResponse } from 'miniflare';
import { afterAll, beforeAll, expect } from 'vitest';
import { startCollector, type Collector, type StoredSpan } from '../../../demo/collector/collector.mjs';
import { startSite, type Site } from '../../browser/support/servers.js';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { resolve } from 'node:path';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';

const fixtures = resolve(import.meta.dirname, '../fixtures');

/**
 * Fixtures import tracelet from dist/ (the production build); tests run the
 * development build (dist/dev/), whose diagnostics are sentences, unless
 * `build` is 'prod'.
 */
const dist = resolve(import.meta.dirname, '../../../dist') + '/';
const development = {
  name: 'development-build',
  resolveId(source: string, importer?: string) {
    const path = importer && source.startsWith('.') ? resolve(importer, '..', source) : '';
    return path.startsWith(dist) && !path.startsWith(dist + 'dev/') ? dist + 'dev/' + path.slice(dist.length) : null;
  },
};

/** Bundles a fixture (with tracelet from dist/) into one ES module, as wrangler would. */
export async function bundle(fixture: string, build: 'dev' | 'prod' = 'dev'): Promise<string> {
  const plugins = [...(build === 'dev' ? [development] : []), nodeResolve({ exportConditions: ['workerd', 'worker', 'browser', 'import'] })];
  const b = await rollup({ input: resolve(fixtures, fixture), plugins, onwarn: () => {} });
  const { output } = await b.generate({ format: 'es' });
  await b.close();
  return output[0].code;
}

/** Runs a worker in the real workerd runtime (Miniflare), on the given bindings and flags. */
export async function startWorker(
  fixture: string,
  bindings: Record<string, string>,
  flags: string[] = ['nodejs_compat'],
  output?: string[],
  extra: Partial<ConstructorParameters<typeof Miniflare>[0]> = {},
): Promise<Miniflare> {
  const mf = new Miniflare({
    ...(extra as object),
    // The worker's console output, for tests that check diagnostics.
    ...(output
      ? {
          handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
            stdout.on('data', (d) => output.push(String(d)));
            stderr.on('data', (d) => output.push(String(d)));
          },
        }
      : {}),
    modules: true,
    script: await bundle(fixture),
    compatibilityDate: '2026-04-26',
    compatibilityFlags: flags,
    bindings,
  });
  await mf.ready;
  return mf;
}

/**
 * For a test file: a fresh dev collector and a worker on `fixture` that
 * exports to it (configured by OTEL_* bindings only), started before the
 * file's tests and stopped after them. With `origin`, also a real origin
 * server (recording what it receives) whose URL the worker gets as ORIGIN_URL.
 */
export function workerWithCollector(fixture: string, serviceName: string, options: { origin?: boolean } = {}): { collector: Collector; worker: Miniflare; origin: Site } {
  const running = {} as { collector: Collector; worker: Miniflare; origin: Site };
  beforeAll(async () => {
    [running.collector, running.origin] = await Promise.all([startCollector({ port: 0, print: false }), options.origin ? startSite() : undefined]) as [Collector, Site];
    const bindings: Record<string, string> = { OTEL_SERVICE_NAME: serviceName, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: running.collector.tracesUrl };
    if (running.origin) bindings.ORIGIN_URL = running.origin.url;
    running.worker = await startWorker(fixture, bindings);
  });
  afterAll(async () => {
    await running.worker?.dispose();
    await Promise.all([running.collector?.close(), running.origin?.close()]);
  });
  return running;
}

/**
 * Requests `url`, whose route throws: Hono answers 500 and the one SERVER span
 * that arrives is ERROR with an `exception` event. Returns that span.
 */
export async function expectErrorSpanFor(running: { collector: Collector; worker: Miniflare }, url: string): Promise<StoredSpan> {
  running.collector.clear();
  const res = await running.worker.dispatchFetch(url);
  expect(res.status).toBe(500);
  const [span] = await running.collector.waitForSpans(1);
  expect(span!.status?.code).toBe(2);
  expect(span!.events?.some((e) => e.name === 'exception')).toBe(true);
  return span!;
}

/** Checks that a 101 response carries a working WebSocket (the fixtures' sockets echo `echo:` + message). */
export async function expectEchoingWebSocket(res: MiniflareResponse): Promise<void> {
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  ws.accept();
  const reply = new Promise<string>((r) => ws.addEventListener('message', (e) => r(String(e.data))));
  ws.send('hi');
  expect(await reply).toBe('echo:hi');
  ws.close();
}

let sentinels = 0;
/**
 * Event order for the worker's console, instead of a wait: requests the
 * fixture's `/console-sentinel` route, which prints one line with each of
 * console.log, console.warn and console.error, and waits until all three are
 * in `output`. Each of workerd's output streams is one pipe, read in order:
 * whatever the worker printed before that request is in `output` by then.
 */
export async function consoleSentinel(worker: Miniflare, output: string[]): Promise<void> {
  const id = `console-sentinel-${++sentinels}-end`;
  expect(await (await worker.dispatchFetch(`http://shop.test/console-sentinel?${id}`)).text()).toBe(id);
  await expect.poll(() => output.join('').split(id).length - 1, { timeout: 10_000, message: `the worker's console lines up to ${id} arrived` }).toBe(3);
}
