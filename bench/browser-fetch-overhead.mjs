// fetch() overhead in Chromium: per-call time of sequential same-origin
// fetch('/data') (body read) to a local 127.0.0.1 server, with no
// instrumentation, tracelet/browser (fetch instrumentation only) and
// OpenTelemetry FetchInstrumentation; both export OTLP/HTTP to a local sink
// that discards. SETS times: one fresh browser context per implementation,
// open together, ROUNDS rounds of M calls (WARMUP dropped) interleaved across
// them in rotating order; a sample is the mean per call of one round.
// Added time = median over rounds of (impl round - uninstrumented round of
// the same rotation), so drift of this shared machine cancels out.
// Usage: node bench/browser-fetch-overhead.mjs  (prints JSON)
import { fileURLToPath } from 'node:url';
import { bundlePage, startServer, launch, openPage, median } from './browser-harness.mjs';

export const IMPLS = ['none', 'tracelet', 'otel'];

export async function browserFetchOverhead({ sets = 4, rounds = 10, warmup = 2, m = 200 } = {}) {
  const bundles = {};
  for (const impl of IMPLS) bundles[impl] = await bundlePage(`fetch-${impl}`);
  const server = await startServer(bundles);
  const browser = await launch();
  const all = Object.fromEntries(IMPLS.map((i) => [i, []]));
  const added = Object.fromEntries(IMPLS.map((i) => [i, []]));
  try {
    for (let set = 0; set < sets; set++) {
      // One fresh context per implementation, open together; rounds interleaved
      // (the order rotates) so drift on this machine hits every side alike.
      const pages = {};
      for (const impl of IMPLS) pages[impl] = await openPage(browser, `${server.url}/${impl}`);
      try {
        for (let r = 0; r < rounds; r++) {
          const round = {};
          for (let k = 0; k < IMPLS.length; k++) {
            const impl = IMPLS[(k + r + set) % IMPLS.length];
            round[impl] = await pages[impl].page.evaluate((count) => window.bench.run(count), m);
          }
          if (r < warmup) continue;
          for (const impl of IMPLS) {
            all[impl].push(round[impl]);
            added[impl].push(round[impl] - round.none);
          }
        }
        for (const impl of IMPLS) if (pages[impl].errors.length) throw new Error(`${impl}: ${pages[impl].errors.join('; ')}`);
      } finally {
        for (const impl of IMPLS) await pages[impl].close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const out = { samples: all.none.length };
  for (const impl of IMPLS) {
    out[impl] = { median: median(all[impl]), min: Math.min(...all[impl]), max: Math.max(...all[impl]), added: { median: median(added[impl]), min: Math.min(...added[impl]), max: Math.max(...added[impl]) } };
  }
  out.sink = { ...server.sink };
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await browserFetchOverhead({ sets: Number(process.argv[2] ?? 4) })));
}
