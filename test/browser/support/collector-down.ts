import { startCollector } from '../../../demo/collector/collector.mjs';

/** A collector URL on a free port where nothing listens yet: the collector is down until a test starts one there. */
export async function collectorDown(): Promise<{ endpoint: string; port: number }> {
  const c = await startCollector({ port: 0, print: false });
  await c.close();
  return { endpoint: c.tracesUrl, port: c.port };
}
