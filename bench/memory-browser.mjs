// Chromium JS heap growth over a page lifetime: 10 000 spans (start + 3
// attributes + end) in 100 chunks of 100, 20 ms apart, with tracelet/browser
// (fetch instrumentation only) or OpenTelemetry web minimal, exporting to the
// same-origin sink (collector up) or to a closed 127.0.0.1 port (collector
// down). Heap = CDP HeapProfiler.collectGarbage (twice) then
// Runtime.getHeapUsage().usedSize, in a fresh browser context per measurement:
// baseline after the SDK started and 100 warm-up spans, again SETTLE ms after
// the last span. Growth = after - baseline; "none" runs the loop over empty
// functions.
// Usage: node bench/memory-browser.mjs [pages]  (prints JSON)
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { bundlePage, startServer, launch, openPage, median } from './browser-harness.mjs';

export const IMPLS = ['none', 'tracelet', 'otel'];

async function closedPort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function heapUsed(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

export async function memoryBrowser({ pages = 3, total = 10_000, chunk = 100, pauseMs = 20, settleMs = 1000 } = {}) {
  const bundles = {};
  for (const impl of IMPLS) bundles[impl] = await bundlePage(`mem-${impl}`);
  const server = await startServer(bundles);
  const down = await closedPort();
  const browser = await launch();
  const acc = {};
  try {
    for (let p = 0; p < pages; p++) {
      for (const collector of ['up', 'down']) {
        for (const impl of IMPLS) {
          if (impl === 'none' && collector === 'down') continue;
          const pg = await openPage(browser, `${server.url}/${impl}${collector === 'down' ? `?down=${down}` : ''}`);
          const cdp = await pg.context.newCDPSession(pg.page);
          await cdp.send('HeapProfiler.enable');
          await pg.page.evaluate(() => window.bench.run(100, 100, 0));
          await new Promise((r) => setTimeout(r, 200));
          const before = await heapUsed(cdp);
          await pg.page.evaluate(([t, c, ms]) => window.bench.run(t, c, ms), [total, chunk, pauseMs]);
          await new Promise((r) => setTimeout(r, settleMs));
          const after = await heapUsed(cdp);
          await cdp.detach();
          await pg.close();
          (acc[`${impl}/${collector}`] ??= []).push(after - before);
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const out = { sink: { ...server.sink } };
  for (const [k, xs] of Object.entries(acc)) out[k] = { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await memoryBrowser({ pages: Number(process.argv[2] ?? 3) })));
}
