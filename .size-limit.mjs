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

/** esbuild for the browser with @opentelemetry/api left out: the app's own (a peer dependency), not tracelet's bytes. */
const esbuildBrowserOtelApiExternal = (config) => ({ ...esbuildBrowser(config), external: [...(config.external ?? []), '@opentelemetry/api'] });

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
    limit: '10450 B', // measured 10,445 B on 2026-12-04 with @opentelemetry/api's context key names (10,428 B before; 11,838 B before the production build and opt-ins); issue bar 5,000 B
  },
  {
    name: 'fetch-only ESM, esbuild --minify',
    path: 'bench/fixtures/tracelet-browser-fetch.mjs',
    modifyEsbuildConfig: esbuildBrowser,
    gzip: true,
    limit: '10980 B', // measured 10,960 B on 2026-12-04 with @opentelemetry/api's context key names (10,945 B before; 13,120 B earlier); issue bar 5,500 B
  },
  {
    name: 'script tag dist/tracelet.min.js',
    path: 'dist/tracelet.min.js',
    disablePlugins: ['@size-limit/esbuild'],
    gzip: true,
    limit: '19545 B', // measured 19,528 B on 2026-12-04: +37 B for @opentelemetry/api's context key names, shared so one active span serves both APIs (19,491 B before; 21,198 B earlier); issue bar 14,000 B
  },
  {
    name: 'worker, esbuild --minify',
    path: 'bench/fixtures/tracelet-worker.mjs',
    modifyEsbuildConfig: esbuildWorker,
    gzip: true,
    // Durable Objects and Workers RPC (+1,475 B: instrument(Class) puts the class wrapper, the RPC stub
    // wrapper and bindingCall on every Worker's path) and binding spans (KV, R2, D1, Queues, Cache API:
    // +1,631 B), each measured alone against 15,619 B on 2026-12-04.
    limit: '18475 B', // measured 18,454 B on 2026-12-04 with both and @opentelemetry/api's context key names (was 15,755 B); issue bar 10,000 B
  },
  {
    // The opt-in Zipkin exporter (tracelet/zipkin) in a createPipeline app:
    // its own cost is this row less tracelet-pipeline-otlp.mjs (BENCHMARKS.md).
    name: 'zipkin: createPipeline + ZipkinExporter, rollup + terser',
    path: rollupZipkin,
    disablePlugins: ['@size-limit/esbuild'],
    gzip: true,
    limit: '8605 B', // measured 8,584 B on 2026-12-04 (8,566 B before @opentelemetry/api's context key names; the same app with OtlpHttpExporter: 8,287 B); no issue bar
  },
  {
    name: 'tracelet/otel-api alone, esbuild --minify',
    path: 'bench/fixtures/tracelet-otel-api.mjs',
    modifyEsbuildConfig: esbuildBrowserOtelApiExternal,
    gzip: true,
    limit: '4175 B', // measured 4,152 B on 2026-12-04: the bridge plus tracelet's global API with its default tracecontext + baggage propagator
  },
  {
    name: 'fetch-only ESM + tracelet/otel-api, esbuild --minify',
    path: 'bench/fixtures/tracelet-browser-fetch-otel-api.mjs',
    modifyEsbuildConfig: esbuildBrowserOtelApiExternal,
    gzip: true,
    limit: '13575 B', // measured 13,553 B on 2026-12-04: the bridge costs 2,593 B over fetch-only (W3C extract, tracestate, baggage, global API)
  },
];
