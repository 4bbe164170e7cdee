// Span cost in Chromium: tracelet (createTracing, no-op exporter) versus
// OpenTelemetry sdk-trace-web (WebTracerProvider + BatchSpanProcessor, no-op
// exporter), flat and nested, plus the empty-function floor.
// Each "process" is a fresh browser context (its own renderer) per
// implementation, alternated; in it ROUNDS rounds of N spans, WARMUP dropped,
// median per page, then the median of those; min-max over all rounds. The
// floor runs 50x N so the 0.1 ms timer of an unisolated page resolves it.
// Usage: node bench/browser-span-cost.mjs  (prints JSON)
import { fileURLToPath } from 'node:url';
import { bundlePage, startServer, launch, openPage, median } from './browser-harness.mjs';

export const IMPLS = ['tracelet', 'otel', 'floor'];

export async function browserSpanCost({ pages = 3, rounds = 15, warmup = 3, n = 20_000 } = {}) {
  const bundles = {};
  for (const impl of IMPLS) bundles[impl] = await bundlePage(`span-${impl}`);
  const server = await startServer(bundles);
  const browser = await launch();
  const out = {};
  try {
    for (const scenario of ['flat', 'nested']) {
      out[scenario] = Object.fromEntries(IMPLS.map((i) => [i, { perPage: [], all: [] }]));
      for (let p = 0; p < pages; p++) {
        for (const impl of IMPLS) {
          const pg = await openPage(browser, `${server.url}/${impl}`);
          const samples = [];
          for (let r = 0; r < rounds; r++) {
            const ns = await pg.page.evaluate(async ([s, count]) => {
              const v = window.bench.run(s, count);
              // Let the batch processor's scheduled work run between rounds, as in an app.
              await new Promise((res) => setTimeout(res, 5));
              return v;
            }, [scenario, impl === 'floor' ? n * 50 : n]);
            if (r >= warmup) samples.push(ns);
          }
          await pg.close();
          out[scenario][impl].perPage.push(median(samples));
          out[scenario][impl].all.push(...samples);
        }
      }
      for (const impl of IMPLS) {
        const r = out[scenario][impl];
        out[scenario][impl] = { median: median(r.perPage), min: Math.min(...r.all), max: Math.max(...r.all) };
      }
    }
    out.version = await (async () => {
      const pg = await openPage(browser, `${server.url}/floor`);
      const v = await pg.page.evaluate(() => navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1]);
      await pg.close();
      return v;
    })();
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await browserSpanCost({ pages: Number(process.argv[2] ?? 3) })));
}
