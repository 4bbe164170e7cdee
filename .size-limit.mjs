// Size budgets: the one place they live. `npm run size` prints the table
// (size-limit); `npm test` fails when a bundle exceeds its budget
// (test/unit/bundle-size.test.ts runs size-limit with this file).
//
// Method, the same for every row and for BENCHMARKS.md: size-limit's gzip
// (`gzip: true`). A file (rollup + terser output, the script tag) is measured
// as gzip -9 of its bytes; for an esbuild row @size-limit/esbuild then
// subtracts 32 B, its constant for an empty esbuild project, so those rows
// read 32 B less than `gzip -9 -c bundle.js | wc -c`.
//
// The budgets are today's sizes rounded up by at most 25 B: they hold the
// ground, they do not meet the bars ("Lightweight by design"), written
// beside each. Lower a budget when its bundle shrinks.
import { esbuildBrowser, esbuildWorker, writeRollupBundle } from './bench/size.mjs';

// size-limit bundles with esbuild or webpack, never rollup, so the rollup row
// is bundled here (bench/size.mjs `bundle()`: node-resolve with browser
// conditions, terser, as BENCHMARKS.md) and size-limit measures the written
// file like the script tag. Built when this config loads, from dist/.
const rollupFetchOnly = await writeRollupBundle('bench/fixtures/tracelet-browser-fetch.mjs');
const rollupZipkin = await writeRollupBundle('bench/fixtures/tracelet-zipkin.mjs');

export default [
  {
    name: 'fetch-only ESM, rollup + terser',
    path: rollupFetchOnly,
    disablePlugins: ['@size-limit/esbuild'],
    gzip: true,
    limit: '10450 B', // measured 10,428 B on 2026-12-04 after the production build and opt-ins (was 11,838 B); issue bar 5,000 B
  },
  {
    name: 'fetch-only ESM, esbuild --minify',
    path: 'bench/fixtures/tracelet-browser-fetch.mjs',
    modifyEsbuildConfig: esbuildBrowser,
    gzip: true,
    limit: '10960 B', // measured 10,945 B on 2026-12-04 (was 13,120 B); issue bar 5,500 B
  },
  {
    name: 'script tag dist/tracelet.min.js',
    path: 'dist/tracelet.min.js',
    disablePlugins: ['@size-limit/esbuild'],
    gzip: true,
    limit: '19510 B', // measured 19,491 B on 2026-12-04 (was 21,198 B); issue bar 14,000 B
  },
  {
    name: 'worker, esbuild --minify',
    path: 'bench/fixtures/tracelet-worker.mjs',
    modifyEsbuildConfig: esbuildWorker,
    gzip: true,
    // Durable Objects and Workers RPC (+1,475 B: instrument(Class) puts the class wrapper, the RPC stub
    // wrapper and bindingCall on every Worker's path) and binding spans (KV, R2, D1, Queues, Cache API:
    // +1,631 B), each measured alone against 15,619 B on 2026-12-04.
    limit: '18460 B', // measured 18,436 B on 2026-12-04 with both (was 15,755 B); issue bar 10,000 B
  },
  {
    // The opt-in Zipkin exporter (tracelet/zipkin) in a createPipeline app:
    // its own cost is this row less tracelet-pipeline-otlp.mjs (BENCHMARKS.md).
    name: 'zipkin: createPipeline + ZipkinExporter, rollup + terser',
    path: rollupZipkin,
    disablePlugins: ['@size-limit/esbuild'],
    gzip: true,
    limit: '8585 B', // measured 8,566 B on 2026-12-04 (the same app with OtlpHttpExporter: 8,287 B); no issue bar
  },
];
