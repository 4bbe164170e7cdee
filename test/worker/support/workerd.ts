import { Miniflare } from 'miniflare';
import { afterAll, beforeAll } from 'vitest';
import { startCollector, type Collector } from '../../../demo/collector/collector.mjs';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { resolve } from 'node:path';

process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
process.env.WRANGLER_SEND_METRICS = 'false';

const fixtures = resolve(import.meta.dirname, '../fixtures');

/** Bundles a fixture (with tracelet from dist/) into one ES module, as wrangler would. */
export async function bundle(fixture: string): Promise<string> {
  const b = await rollup({ input: resolve(fixtures, fixture), plugins: [nodeResolve({ exportConditions: ['workerd', 'worker', 'browser', 'import'] })], onwarn: () => {} });
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
 * file's tests and stopped after them.
 */
export function workerWithCollector(fixture: string, serviceName: string): { collector: Collector; worker: Miniflare } {
  const running = {} as { collector: Collector; worker: Miniflare };
  beforeAll(async () => {
    running.collector = await startCollector({ port: 0, print: false });
    running.worker = await startWorker(fixture, { OTEL_SERVICE_NAME: serviceName, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: running.collector.tracesUrl });
  });
  afterAll(async () => {
    await running.worker?.dispose();
    await running.collector?.close();
  });
  return running;
}
