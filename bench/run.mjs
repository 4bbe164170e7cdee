#!/usr/bin/env node
// `npm run bench`: tracelet side by side with OpenTelemetry JS, in one run on
// this machine, written to BENCHMARKS.md. Timings are medians of several
// rounds in fresh processes, the implementations alternated, never pass/fail.
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { bundleSize } from './size.mjs';
import { browserSpanCost } from './browser-span-cost.mjs';
import { browserFetchOverhead } from './browser-fetch-overhead.mjs';
import { workerOverhead } from './worker-overhead.mjs';
import { memoryBrowser } from './memory-browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = (name) => JSON.parse(readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8')).version;
const run = (script, args, nodeArgs = []) => JSON.parse(execFileSync(process.execPath, [...nodeArgs, `${root}/bench/${script}`, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop());
const PROCESSES = 5;
// Chromium: fresh browser contexts per implementation, alternated.
const PAGES = 3;
const FETCH_SETS = 4;
const WORKER_ROUNDS = 5;
const MEMORY_PROCESSES = 3;
const started = performance.now();

function medianOf(results) {
  const medians = results.map((r) => r.median).sort((a, b) => a - b);
  return { median: medians[medians.length >> 1], min: Math.min(...results.map((r) => r.min)), max: Math.max(...results.map((r) => r.max)) };
}

function alternate(script, impls, args, { processes = PROCESSES, nodeArgs = [] } = {}) {
  const out = Object.fromEntries(impls.map((i) => [i, []]));
  for (let p = 0; p < processes; p++) for (const impl of impls) out[impl].push(run(script, [impl, ...args], nodeArgs));
  return out;
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const lines = [];
const say = (s = '') => {
  lines.push(s);
  console.log(s);
};

// One line per headline figure: the top of BENCHMARKS.md and the README's Benchmarks section.
const headline = [];
const note = (line) => headline.push(line);

say('# Benchmarks');
say();
say(`Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`);
say(`Versions: tracelet ${JSON.parse(readFileSync(`${root}/package.json`, 'utf8')).version}, @opentelemetry/sdk-trace-base ${pkg('@opentelemetry/sdk-trace-base')}, @opentelemetry/otlp-transformer ${pkg('@opentelemetry/otlp-transformer')}, @opentelemetry/exporter-trace-otlp-http ${pkg('@opentelemetry/exporter-trace-otlp-http')}.`);
say();
say('## Span cost (Node)');
say();
say(`Method: ${PROCESSES} fresh processes per implementation, alternated; in each, 15 rounds of 20 000 spans (3 warm-up rounds dropped), median per process, then the median of those; min-max over all rounds. Each side has a batch processor with a no-op exporter and a synchronous context manager. "flat" = startSpan + 3 setAttribute + end; "nested" = startActiveSpan parent with a child span, per span. Floor = the same loop calling empty functions.`);
say();
say('| scenario | tracelet ns/span | OpenTelemetry ns/span | ratio | floor ns |');
say('|---|---|---|---|---|');
for (const scenario of ['flat', 'nested']) {
  const r = alternate('span-cost.mjs', ['tracelet', 'otel', 'floor'], [scenario]);
  const t = medianOf(r.tracelet);
  const o = medianOf(r.otel);
  const f = medianOf(r.floor);
  say(`| ${scenario} | ${fmt(t.median)} (${fmt(t.min)}-${fmt(t.max)}) | ${fmt(o.median)} (${fmt(o.min)}-${fmt(o.max)}) | ${fmt(t.median / o.median, 2)}x | ${fmt(f.median, 1)} |`);
  if (scenario === 'flat') note(`span cost, Node: ${fmt(t.median)} ns vs ${fmt(o.median)} ns for OpenTelemetry sdk-trace-base (${fmt(t.median / o.median, 2)}x)`);
}
say();
say('## Export encoding (Node)');
say();
say(`Method: 512 finished CLIENT spans (5 attributes, 1 event) encoded to one OTLP/HTTP JSON request body, 35 timed rounds after 5 warm-up, ${PROCESSES} processes alternated. OpenTelemetry = \`JsonTraceSerializer.serializeRequest\` from @opentelemetry/otlp-transformer (returns bytes; tracelet returns a string that fetch encodes).`);
say();
say('| | tracelet | OpenTelemetry | ratio |');
say('|---|---|---|---|');
{
  const r = alternate('encode-cost.mjs', ['tracelet', 'otel'], []);
  const t = medianOf(r.tracelet);
  const o = medianOf(r.otel);
  say(`| µs per 512 spans | ${fmt(t.median)} (${fmt(t.min)}-${fmt(t.max)}) | ${fmt(o.median)} (${fmt(o.min)}-${fmt(o.max)}) | ${fmt(t.median / o.median, 2)}x |`);
  note(`OTLP JSON encoding of 512 spans: ${fmt(t.median / o.median, 2)}x the time of @opentelemetry/otlp-transformer`);
  say(`| bytes per span | ${fmt(r.tracelet[0].bytesPerSpan)} | ${fmt(r.otel[0].bytesPerSpan)} | ${fmt(r.tracelet[0].bytesPerSpan / r.otel[0].bytesPerSpan, 2)}x |`);
}
say();
say('## Bundle size');
say();
say('Method: each fixture in `bench/fixtures/` bundled by rollup (node-resolve with browser conditions, @rollup/plugin-commonjs for the anchors\' CommonJS dependencies, tree-shaking) and minified by terser; bytes of the minified code, gzip -9, brotli q11. Worker fixtures resolve with the `workerd`/`worker` conditions and leave `node:*` / `cloudflare:*` imports to workerd. Dependencies as npm installs the pinned versions (nested duplicate @opentelemetry packages included, as an app would get them). "tracelet ÷ row" compares gzip with the tracelet row of the same scope (marked).');
say();
const anchors = ['@opentelemetry/sdk-trace-web', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/instrumentation', '@opentelemetry/instrumentation-fetch', '@opentelemetry/instrumentation-xml-http-request', '@opentelemetry/instrumentation-document-load', '@opentelemetry/instrumentation-user-interaction', '@opentelemetry/context-zone', '@grafana/faro-web-sdk', '@grafana/faro-web-tracing', '@elastic/apm-rum', '@honeycombio/opentelemetry-web', '@opentelemetry/auto-instrumentations-web', '@microlabs/otel-cf-workers'];
say(`Anchor versions: ${anchors.map((a) => `${a} ${pkg(a)}`).join(', ')} (otel-cf-workers with @opentelemetry/semantic-conventions ${pkg('@microlabs/otel-cf-workers/node_modules/@opentelemetry/semantic-conventions')} by an npm override: 1.45 dropped the incubating \`ATTR_FAAS_TIME\` it imports).`);
say();
{
  const { gzipSync, brotliCompressSync, constants } = await import('node:zlib');
  const code = readFileSync(`${root}/dist/tracelet.min.js`);
  const scriptTag = { min: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length };
  const measured = {};
  const size = async (file) => {
    if (!measured[file]) {
      try {
        measured[file] = await bundleSize(`${root}/bench/fixtures/${file}`);
      } catch (e) {
        measured[file] = { error: String(e.message ?? e).split('\n')[0].slice(0, 160) };
      }
    }
    return measured[file];
  };
  const table = async (title, rows) => {
    say(`**${title}**`);
    say();
    say('| setup | min | gzip | brotli | tracelet ÷ row (gzip) |');
    say('|---|---|---|---|---|');
    for (const [label, file, cmp] of rows) {
      const s = file === 'script-tag' ? scriptTag : await size(file);
      if (s.error) {
        say(`| ${label} | could not be bundled by rollup: ${s.error.replaceAll('|', '\\|')} | | | |`);
        continue;
      }
      let ratio = cmp === null ? '-' : '(tracelet)';
      if (cmp) {
        const t = cmp === 'script-tag' ? scriptTag : await size(cmp);
        ratio = t.error ? 'n/a' : `${fmt(t.gzip / s.gzip, 2)}x`;
        if (!t.error) note(`size (gzip): ${cmp === 'script-tag' ? 'script tag' : cmp.replace('.mjs', '')} ${fmt(t.gzip)} B vs ${label.split(':')[0]} ${fmt(s.gzip)} B (${ratio})`);
      }
      say(`| ${label} | ${fmt(s.min)} | ${fmt(s.gzip)} | ${fmt(s.brotli)} | ${ratio} |`);
    }
    say();
  };
  await table('Core: tracer + batch + OTLP/HTTP JSON export', [
    ['tracelet: createTracing, tracer + batch + OTLP/HTTP JSON (names resolved at runtime: all propagators, samplers, console exporter, tail sampler inside)', 'tracelet-core-otlp.mjs'],
    ['tracelet: createPipeline with OtlpHttpExporter (built parts only)', 'tracelet-pipeline-otlp.mjs'],
    ['OpenTelemetry JS: BasicTracerProvider + BatchSpanProcessor + OTLP/HTTP exporter', 'otel-core-otlp.mjs', 'tracelet-core-otlp.mjs'],
  ]);
  await table('Browser: tracer + fetch + export', [
    ['tracelet/browser: startBrowserTracing, fetch only, unload delivery', 'tracelet-browser-fetch.mjs'],
    ['OpenTelemetry web minimal: WebTracerProvider + BatchSpanProcessor + OTLPTraceExporter (http) + FetchInstrumentation', 'otel-web-minimal.mjs', 'tracelet-browser-fetch.mjs'],
  ]);
  await table('Browser: full RUM', [
    ['tracelet script tag dist/tracelet.min.js (full RUM, web-vitals attribution inside)', 'script-tag'],
    ['OpenTelemetry web full: minimal + ZoneContextManager, XHR, document load, user interaction (no vitals)', 'otel-web-full.mjs', 'script-tag'],
    ['Grafana Faro: initializeFaro with getWebInstrumentations() + TracingInstrumentation', 'faro-web-tracing.mjs', 'script-tag'],
    ['Elastic RUM: @elastic/apm-rum init', 'elastic-rum.mjs', 'script-tag'],
    ['Honeycomb web: HoneycombWebSDK + getWebAutoInstrumentations()', 'honeycomb-web.mjs', 'script-tag'],
  ]);
  await table('Cloudflare Worker: instrument() on a minimal Worker', [
    ['tracelet/worker', 'tracelet-worker.mjs'],
    ['@microlabs/otel-cf-workers', 'otel-cf-workers.mjs', 'tracelet-worker.mjs'],
    ['no tracing (worker-plain.mjs), for reference', 'worker-plain.mjs', null],
  ]);
}
say('Budgets (DESIGN.md section 8; issue [5/7]): script tag <= 12 KB gzip, startBrowserTracing + fetch + OTLP <= 5 KB gzip, Worker bundle <= 6 KB gzip. tracelet is not within them: the figures above are the honest current state, and the next section shows where the bytes go. The browser bundles hold only what the app imports (instrumentations are values passed to startBrowserTracing; the page only injects headers, so no extractor and no tracestate or baggage parser is bundled, in the script tag neither); what remains is spread over the core every page needs (span with limits, tracer and samplers, batch queue, OTLP JSON encoder, the exporter with retry and Retry-After, unload delivery with localStorage, the fetch wrapper with URL policy and redaction, option checks with clear messages), none of it above 1.3 KB gzip on its own. test/unit/bundle-size.test.ts holds the gain and checks that tree-shaking drops what is not imported.');
say();
say('Runtime dependency: web-vitals 6.2.3 (attribution build), about 5.4 KB gzip on its own (onLCP, onINP, onCLS, onFCP, onTTFB bundled alone); it is in the script tag and in an ESM bundle only when the app imports webVitalsInstrumentation().');
say();

say('### Where the bytes go');
say();
say('Leave-one-out per source module: each bundle is built from src/ (TypeScript transpiled once, then rollup + terser + gzip -9 as above), then again with one module replaced by no-op stubs of its exports; a row is the gzip bytes that module costs, including code only it pulls in. Rows do not add up to the total (code shared by several importers is counted under none of them); the entry modules, whose removal empties the bundle, are left out. Modules under 100 B are summed in the last row.');
say();
await guard(async () => {
  const { sizeBreakdown } = await import('./size-breakdown.mjs');
  const src = `${root}/src`;
  const bundles = [
    ['startBrowserTracing + fetchInstrumentation (the fetch-only fixture)', await sizeBreakdown(`import { startBrowserTracing, fetchInstrumentation } from '${src}/browser.ts';\nstartBrowserTracing({ serviceName: 'size', endpoint: 'https://otel.example.com/v1/traces', instrumentations: [fetchInstrumentation()] });`)],
    ['script tag (src/script-tag.ts as an IIFE)', await sizeBreakdown(`import '${src}/script-tag.ts';`, { format: 'iife', sideEffects: (id) => id.endsWith('script-tag.ts') })],
  ];
  for (const [title, r] of bundles) {
    say(`**${title}**: ${fmt(r.total)} B gzip built this way`);
    say();
    say('| module | gzip bytes it costs |');
    say('|---|---|');
    const rows = r.rows.filter((row) => row.gzip < r.total * 0.9);
    const small = rows.filter((row) => row.gzip < 100);
    for (const row of rows.filter((row) => row.gzip >= 100)) say(`| ${row.module} | ${fmt(row.gzip)} |`);
    if (small.length) say(`| ${small.length} modules under 100 B each | ${fmt(small.reduce((a, row) => a + row.gzip, 0))} |`);
    say();
  }
});


const span = (a, b) => (a < 0 || b < 0 ? `${a} to ${b}` : `${a}-${b}`);
// A measurement that cannot run (a browser, workerd or an anchor missing) is
// reported in place, and the rest of the run goes on.
async function guard(fn) {
  try {
    await fn();
  } catch (e) {
    say(`Could not run: ${String(e?.message ?? e).split('\n')[0]}`);
    say();
  }
}
const range = (r, d = 0) => `${fmt(r.median, d)} (${span(fmt(r.min, d), fmt(r.max, d))})`;
const kib = (b) => fmt(b / 1024, 0);
const kibRange = (r) => `${kib(r.median)} (${span(kib(r.min), kib(r.max))})`;

say('## Span cost (Chromium)');
say();
await guard(async () => {
  const r = await browserSpanCost({ pages: PAGES });
  say(`Method: headless Chromium ${r.version} (Debian, playwright-core ${pkg('playwright-core')}), page served from 127.0.0.1. tracelet = \`createTracing\` from dist/index.js with a no-op exporter behind the default batch processor; OpenTelemetry = @opentelemetry/sdk-trace-web ${pkg('@opentelemetry/sdk-trace-web')} WebTracerProvider (StackContextManager) + BatchSpanProcessor with a no-op exporter; both bundled by rollup, not minified. ${PAGES} fresh browser contexts per implementation, alternated; in each, 15 rounds of 20 000 spans (3 warm-up dropped) timed in the page with performance.now(), median per context, then the median of those; min-max over all rounds. Same loops as the Node table. Floor = empty functions, run 50x longer to get past the page's 0.1 ms timer.`);
  say();
  say('| scenario | tracelet ns/span | OpenTelemetry ns/span | ratio | floor ns |');
  say('|---|---|---|---|---|');
  for (const sc of ['flat', 'nested']) say(`| ${sc} | ${range(r[sc].tracelet)} | ${range(r[sc].otel)} | ${fmt(r[sc].tracelet.median / r[sc].otel.median, 2)}x | ${fmt(r[sc].floor.median, 1)} |`);
  note(`span cost, Chromium: ${fmt(r.flat.tracelet.median)} ns vs ${fmt(r.flat.otel.median)} ns for OpenTelemetry sdk-trace-web (${fmt(r.flat.tracelet.median / r.flat.otel.median, 2)}x)`);
  say();
});

say('## fetch overhead (Chromium)');
say();
await guard(async () => {
  const r = await browserFetchOverhead({ sets: FETCH_SETS });
  say(`Method: ${FETCH_SETS} sets of three fresh browser contexts (one per implementation, open together); in each set 10 rounds (2 warm-up dropped) of 200 sequential same-origin \`fetch('/data')\` calls with the body read, to a Node server on 127.0.0.1 (keep-alive), the rounds interleaved across the three pages in rotating order; a sample is the mean per call of one round (${r.samples} per implementation). tracelet = \`startBrowserTracing\` (dist/browser.js) with only the fetch instrumentation; OpenTelemetry = WebTracerProvider + BatchSpanProcessor + OTLPTraceExporter + FetchInstrumentation ${pkg('@opentelemetry/instrumentation-fetch')}. Both export OTLP/HTTP to a same-origin sink that discards (${r.sink.requests} export requests, ${kib(r.sink.bytes)} KiB in this run). Added = per round, instrumented minus uninstrumented mean of the same rotation; median (min-max) over rounds. It includes span creation, header injection and the exports. Medians with min-max.`);
  say();
  say('| | µs per fetch | added µs per fetch | added, ratio to OpenTelemetry |');
  say('|---|---|---|---|');
  say(`| no instrumentation | ${range(r.none)} | - | - |`);
  say(`| tracelet | ${range(r.tracelet)} | ${range(r.tracelet.added)} | ${fmt(r.tracelet.added.median / r.otel.added.median, 2)}x |`);
  note(`fetch overhead, Chromium: +${fmt(r.tracelet.added.median)} µs vs +${fmt(r.otel.added.median)} µs for OpenTelemetry's FetchInstrumentation (noisy: ranges overlap)`);
  say(`| OpenTelemetry FetchInstrumentation | ${range(r.otel)} | ${range(r.otel.added)} | 1.00x |`);
  say();
  say("The local server answers in well under a millisecond, so most of the per-call time is Chromium's own; on this shared 2-core machine the rounds' ranges are wide and overlap: read the added figures as an order of magnitude, and differences smaller than their ranges as noise.");
  say();
});

say('## Worker overhead (workerd)');
say();
await guard(async () => {
  const r = await workerOverhead({ rounds: WORKER_ROUNDS });
  say(`Method: each Worker fixture (\`worker-plain.mjs\`, \`tracelet-worker.mjs\`, \`otel-cf-workers.mjs\`) bundled by rollup (worker conditions, not minified) and run by Miniflare ${pkg('miniflare')} / workerd ${pkg('workerd')} (compatibility date 2026-04-26, nodejs_compat) on 127.0.0.1, exporting OTLP/HTTP to a local sink that discards. ${WORKER_ROUNDS} rounds, implementations alternated, a fresh workerd each time; per round 200 warm-up requests, then ${r.seq} sequential and ${r.conc} concurrent (${r.concurrency} at a time) GET requests from Node's fetch. Wall = client-observed latency, median per round, then the median of rounds (min-max over rounds). CPU = utime+stime of the workerd process from /proc/<pid>/stat (all threads, 10 ms ticks) over the ${r.requests} measured requests and the exports they trigger (read once the sink has been idle 300 ms), divided by ${r.requests}; it includes Miniflare's entry worker, hence the "added" column against the plain Worker.`);
  say();
  say('| Worker | wall µs, sequential | wall µs, concurrent | CPU µs per request | added CPU µs | exports per round |');
  say('|---|---|---|---|---|---|');
  const plain = r.plain;
  for (const [label, key] of [['no tracing', 'plain'], ['tracelet/worker instrument()', 'tracelet'], ['@microlabs/otel-cf-workers instrument()', 'otel-cf-workers']]) {
    const x = r[key];
    if (x.error) {
      say(`| ${label} | could not run: ${x.error.replaceAll('|', '\\|')} | | | | |`);
      continue;
    }
    const added = key === 'plain' || plain.error ? '-' : fmt(x.cpu.median - plain.cpu.median);
    say(`| ${label} | ${range(x.seq)} | ${range(x.conc)} | ${range(x.cpu)} | ${added} | ${fmt(x.exportsPerRound)} |`);
  }
  const t = r.tracelet;
  const o = r['otel-cf-workers'];
  if (!t.error && !o.error && !plain.error) {
    say();
    say(`Ratios tracelet ÷ otel-cf-workers: added CPU ${fmt((t.cpu.median - plain.cpu.median) / (o.cpu.median - plain.cpu.median), 2)}x, added sequential wall ${fmt((t.seq.median - plain.seq.median) / (o.seq.median - plain.seq.median), 2)}x.`);
    note(`Worker overhead, workerd: +${fmt(t.cpu.median - plain.cpu.median)} µs CPU per request vs +${fmt(o.cpu.median - plain.cpu.median)} µs for otel-cf-workers (${fmt((t.cpu.median - plain.cpu.median) / (o.cpu.median - plain.cpu.median), 2)}x)`);
  }
  say();
});

say('## Memory');
say();
await guard(async () => {
  const r = alternate('memory-node.mjs', ['tracelet', 'otel', 'floor'], [], { processes: MEMORY_PROCESSES, nodeArgs: ['--expose-gc'] });
  const m = (xs) => ({ median: [...xs].sort((a, b) => a - b)[xs.length >> 1], min: Math.min(...xs), max: Math.max(...xs) });
  const t = m(r.tracelet.map((x) => x.growthBytes));
  const o = m(r.otel.map((x) => x.growthBytes));
  const f = m(r.floor.map((x) => x.growthBytes));
  say(`Node, collector down. Method: \`node --expose-gc\`, ${MEMORY_PROCESSES} fresh processes per implementation, alternated. Each exports OTLP/HTTP to a closed 127.0.0.1 port (connections refused): tracelet \`createTracing({ endpoint })\` versus BasicTracerProvider + BatchSpanProcessor + @opentelemetry/exporter-trace-otlp-http ${pkg('@opentelemetry/exporter-trace-otlp-http')}. Baseline heapUsed after 1 000 warm-up spans and gc; then 100 000 spans (start + 3 attributes + end) in chunks of 1 000 with an event-loop turn between chunks; 1 s idle, gc twice, heapUsed again. Median (min-max) over processes.`);
  say();
  say('| | tracelet | OpenTelemetry | ratio | floor (empty functions) |');
  say('|---|---|---|---|---|');
  say(`| heap growth, KiB | ${kibRange(t)} | ${kibRange(o)} | ${fmt(t.median / o.median, 2)}x | ${kibRange(f)} |`);
  note(`heap growth after 100 000 spans with the collector down, Node: ${fmt(t.median / o.median, 2)}x OpenTelemetry's (bounded queue)`);
  say();
});
await guard(async () => {
  const r = await memoryBrowser({ pages: PAGES });
  say(`Chromium, over a page lifetime. Method: ${PAGES} fresh browser contexts per implementation and case, alternated. tracelet = \`startBrowserTracing\` with only the fetch instrumentation (default delivery); OpenTelemetry = the "web minimal" setup above. After the SDK starts and 100 warm-up spans: CDP \`HeapProfiler.collectGarbage\` twice, \`Runtime.getHeapUsage\` usedSize; then 10 000 spans (start + 3 attributes + end) in 100 chunks of 100, 20 ms apart; 1 s idle; gc twice and usedSize again. Collector up = same-origin sink that discards; down = a closed 127.0.0.1 port. Median (min-max) of the growth.`);
  say();
  say('| collector | tracelet KiB | OpenTelemetry KiB | ratio | floor (empty functions) KiB |');
  say('|---|---|---|---|---|');
  for (const c of ['up', 'down']) say(`| ${c} | ${kibRange(r[`tracelet/${c}`])} | ${kibRange(r[`otel/${c}`])} | ${fmt(r[`tracelet/${c}`].median / r[`otel/${c}`].median, 2)}x | ${c === 'up' ? kibRange(r['none/up']) : '-'} |`);
  note(`heap growth after 10 000 spans in a page, Chromium: ${fmt(r['tracelet/down'].median / r['otel/down'].median, 2)}x OpenTelemetry web's with the collector down`);
  say();
});

say(`Timings are measurements on this machine, never tests. This run of \`node bench/run.mjs\` took ${fmt((performance.now() - started) / 60000, 1)} min (plus the build).`);
// Headline figures: after the title line of BENCHMARKS.md, and in the README between its markers.
const headlineText = ['Headline (tracelet against the field, this run; ratios below 1 favour tracelet):', '', ...headline.map((h) => `- ${h}`)].join('\n');
lines.splice(lines.indexOf('## Span cost (Node)'), 0, headlineText, '');
writeFileSync(`${root}/BENCHMARKS.md`, lines.join('\n') + '\n');
const readmePath = `${root}/README.md`;
const readme = readFileSync(readmePath, 'utf8');
const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';
if (readme.includes(START) && readme.includes(END)) {
  const stamp = `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, Node ${process.version}); methods, ranges and every row in [BENCHMARKS.md](BENCHMARKS.md).`;
  writeFileSync(readmePath, readme.slice(0, readme.indexOf(START) + START.length) + '\n' + stamp + '\n\n' + headline.map((h) => `- ${h}`).join('\n') + '\n' + readme.slice(readme.indexOf(END)));
}
console.log('\nwrote BENCHMARKS.md');
