#!/usr/bin/env node
// `npm run bench`: tracelet side by side with OpenTelemetry JS, in one run on
// this machine, written to BENCHMARKS.md. Timings are medians of several
// rounds in fresh processes, the implementations alternated, never pass/fail.
// `npm run bench:size` (`--sizes-only`): only the bundle sizes, in about 3 min.
// `npm run bench:worker` (`--worker-only`): only the Worker overhead section (with the KV loop).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { bundle, bundleSize, esbuildBrowser, esbuildOptionsFor, esbuildSize, esbuildWorkerBrowserPlatform, fileGzip, isWorkerFixture } from './size.mjs';
import { browserSpanCost } from './browser-span-cost.mjs';
import { browserFetchOverhead } from './browser-fetch-overhead.mjs';
import { KV_GETS, kvLoop, workerOverhead } from './worker-overhead.mjs';
import { memoryBrowser } from './memory-browser.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const esbuildVersion = createRequire(`${root}/node_modules/@size-limit/esbuild/package.json`)('esbuild/package.json').version;
const pkg = (name) => JSON.parse(readFileSync(`${root}/node_modules/${name}/package.json`, 'utf8')).version;
const run = (script, args, nodeArgs = []) => JSON.parse(execFileSync(process.execPath, [...nodeArgs, `${root}/bench/${script}`, ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop());
const PROCESSES = 5;
// Chromium: fresh browser contexts per implementation, alternated.
const PAGES = 3;
const FETCH_SETS = 4;
const WORKER_ROUNDS = 5;
const MEMORY_PROCESSES = 3;
const started = performance.now();
// `--sizes-only` (npm run bench:size): the Bundle size section alone, no timings.
const SIZES_ONLY = process.argv.includes('--sizes-only');
// `--worker-only` (npm run bench:worker): the Worker overhead section alone (with the KV loop), about 6 min.
const WORKER_ONLY = process.argv.includes('--worker-only');

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

if (!SIZES_ONLY && !WORKER_ONLY) {
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
}

// Bundle size: both minifiers beside the field, the budgets, where the bytes go.
// `--sizes-only` runs this part alone and rewrites only this section of
// BENCHMARKS.md (and its "size" headline lines); no timings.
const sizeStart = lines.length;
if (!WORKER_ONLY) await sizeSection();
if (SIZES_ONLY) {
  writeSizesOnly(lines.slice(sizeStart), headline);
  console.log(`\nupdated the Bundle size section of BENCHMARKS.md in ${fmt((performance.now() - started) / 60000, 1)} min`);
  process.exit(0);
}

async function sizeSection() {
  say('## Bundle size');
  say();
  say(`Measured by \`node bench/run.mjs${SIZES_ONLY ? ' --sizes-only' : ''}\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, Node ${process.version}), size-limit ${pkg('size-limit')} with @size-limit/esbuild ${pkg('@size-limit/esbuild')} (esbuild ${esbuildVersion}) and @size-limit/file ${pkg('@size-limit/file')}, rollup ${pkg('rollup')}, terser ${pkg('terser')}.`);
  say();
  say("Method: each fixture in `bench/fixtures/` bundled two ways, tree-shaken, ESM. **rollup + terser**: node-resolve with browser conditions, @rollup/plugin-commonjs for the anchors' CommonJS dependencies, terser with its defaults (`bench/size.mjs` `bundle()`); this bundler treats every file under node_modules (zone.js excepted) as free of side effects. **esbuild --minify**: size-limit's @size-limit/esbuild (bundle, minify identifiers, syntax and whitespace, tree shaking) with platform browser and format esm; esbuild honours each package's `sideEffects` field. Worker fixtures: rollup with the `workerd`, `worker`, `browser` conditions; esbuild with platform neutral, the same conditions and main fields browser, module, main; both leave `node:*` / `cloudflare:*` imports to workerd. Dependencies as npm installs the pinned versions (nested duplicate @opentelemetry packages included, as an app would get them).");
  say();
  say('gzip is size-limit\'s, the method of the budgets: for a file (the rollup + terser output, the script tag) gzip -9 of its bytes, what `gzip -9 -c file | wc -c` prints; for an esbuild bundle @size-limit/esbuild subtracts 32 B from that, its constant for an empty esbuild project, so the esbuild gzip column reads 32 B less than gzip -9 of the same output. min = bytes of the minified output; brotli = quality 11 (rollup + terser only). "tracelet ÷ row" compares gzip with the tracelet row of the same scope (marked), per bundler.');
  say();
  const anchors = ['@opentelemetry/sdk-trace-web', '@opentelemetry/exporter-trace-otlp-http', '@opentelemetry/instrumentation', '@opentelemetry/instrumentation-fetch', '@opentelemetry/instrumentation-xml-http-request', '@opentelemetry/instrumentation-document-load', '@opentelemetry/instrumentation-user-interaction', '@opentelemetry/context-zone', '@grafana/faro-web-sdk', '@grafana/faro-web-tracing', '@elastic/apm-rum', '@honeycombio/opentelemetry-web', '@opentelemetry/auto-instrumentations-web', '@microlabs/otel-cf-workers'];
  say(`Anchor versions: ${anchors.map((a) => `${a} ${pkg(a)}`).join(', ')} (otel-cf-workers with @opentelemetry/semantic-conventions ${pkg('@microlabs/otel-cf-workers/node_modules/@opentelemetry/semantic-conventions')} by an npm override: 1.45 dropped the incubating \`ATTR_FAAS_TIME\` it imports).`);
  say();
  const { brotliCompressSync, constants } = await import('node:zlib');
  const scriptTagFile = `${root}/dist/tracelet.min.js`;
  const scriptTagCode = readFileSync(scriptTagFile);
  const scriptTag = {
    rollup: { min: scriptTagCode.length, gzip: await fileGzip(scriptTagFile), brotli: brotliCompressSync(scriptTagCode, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length },
    // The script tag is built by rollup from src/; esbuild's figure bundles the same source as an IIFE.
    esbuild: await esbuildSize(`${root}/src/script-tag.ts`, (config) => ({ ...esbuildBrowser(config), format: 'iife' })),
  };
  const measured = {};
  // The first error line, without esbuild's file:line prefix.
  const error = (e) => {
    const text = String(e?.message ?? e);
    return (text.match(/ERROR: (.*)/)?.[1] ?? text.split('\n')[0]).trim();
  };
  const size = async (file) => {
    if (file === 'script-tag') return scriptTag;
    if (!measured[file]) {
      const entry = `${root}/bench/fixtures/${file}`;
      const m = {};
      try {
        m.rollup = await bundleSize(entry);
      } catch (e) {
        m.rollup = { error: error(e).slice(0, 160) };
      }
      try {
        m.esbuild = await esbuildSize(entry, quiet(esbuildOptionsFor(entry)));
      } catch (e) {
        m.esbuild = { error: error(e).slice(0, 160) };
        if (isWorkerFixture(entry)) {
          // Platform neutral cannot resolve it: measure as wrangler bundles by default, and say so.
          try {
            m.esbuild = { ...(await esbuildSize(entry, quiet(esbuildWorkerBrowserPlatform))), note: m.esbuild.error };
          } catch {}
        }
      }
      measured[file] = m;
    }
    return measured[file];
  };
  const footnotes = [];
  // A bundle that fails is reported in its row: esbuild need not print its errors too.
  const quiet = (modify) => (config) => ({ ...modify(config), logLevel: 'silent' });
  const fileGzipOf = async (code) => {
    const dir = mkdtempSync(`${root}/node_modules/.cache/tracelet-bench-`);
    try {
      writeFileSync(`${dir}/bundle.js`, code);
      return await fileGzip(`${dir}/bundle.js`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const table = async (title, rows) => {
    say(`**${title}**`);
    say();
    say('| setup | rollup + terser: min | gzip | brotli | esbuild --minify: min | gzip | tracelet ÷ row, gzip: rollup + terser | esbuild |');
    say('|---|---|---|---|---|---|---|---|');
    for (const [label, file, cmp] of rows) {
      const s = await size(file);
      const t = cmp ? await size(cmp) : undefined;
      const ratio = (k) => (cmp === null ? '-' : !cmp ? '(tracelet)' : t[k].error || s[k].error ? 'n/a' : `${fmt(t[k].gzip / s[k].gzip, 2)}x`);
      const r = s.rollup.error ? [`could not be bundled: ${s.rollup.error.replaceAll('|', '\\|')}`, '', ''] : [fmt(s.rollup.min), fmt(s.rollup.gzip), fmt(s.rollup.brotli)];
      let mark = '';
      if (s.esbuild.note) {
        footnotes.push(`${'†'.repeat(footnotes.length + 1)} ${label.split(':')[0]}: esbuild with platform neutral stops at \`${s.esbuild.note.replaceAll('|', '\\|')}\` (in OpenTelemetry's Node platform files): the packages' \`browser\` field swaps those for browser ones, and esbuild applies that map only with platform browser (rollup's node-resolve, browser: true, applies it always). This figure: the same options with platform browser, as wrangler bundles a Worker by default (it sets no platform). tracelet's Worker bundle is byte for byte the same with either platform.`);
        mark = ` ${'†'.repeat(footnotes.length)}`;
      }
      const e = s.esbuild.error ? [`could not be bundled: ${s.esbuild.error.replaceAll('|', '\\|')}`, ''] : [fmt(s.esbuild.min), `${fmt(s.esbuild.gzip)}${mark}`];
      say(`| ${label} | ${r.join(' | ')} | ${e.join(' | ')} | ${ratio('rollup')} | ${ratio('esbuild')} |`);
      if (cmp && !s.rollup.error && !s.esbuild.error && !t.rollup.error && !t.esbuild.error) {
        note(`size (gzip, rollup + terser / esbuild): ${cmp === 'script-tag' ? 'script tag' : cmp.replace('.mjs', '')} ${fmt(t.rollup.gzip)} / ${fmt(t.esbuild.gzip)} B vs ${label.split(':')[0]} ${fmt(s.rollup.gzip)} / ${fmt(s.esbuild.gzip)} B (${ratio('rollup')} / ${ratio('esbuild')})`);
      }
    }
    say();
  };
  await table('Core: tracer + batch + OTLP/HTTP JSON export', [
    ['tracelet: createTracing, tracer + batch + OTLP/HTTP JSON (names resolved at runtime: all propagators, samplers, console exporter, tail sampler inside)', 'tracelet-core-otlp.mjs'],
    ['tracelet: createPipeline with OtlpHttpExporter (built parts only)', 'tracelet-pipeline-otlp.mjs'],
    ['tracelet: createPipeline with ZipkinExporter (tracelet/zipkin, opt-in; Zipkin v2 JSON instead of OTLP)', 'tracelet-zipkin.mjs'],
    ['OpenTelemetry JS: BasicTracerProvider + BatchSpanProcessor + OTLP/HTTP exporter', 'otel-core-otlp.mjs', 'tracelet-core-otlp.mjs'],
  ]);
  await table('Browser: tracer + fetch + export', [
    ['tracelet/browser: startBrowserTracing, fetch only, unload delivery', 'tracelet-browser-fetch.mjs'],
    ['OpenTelemetry web minimal: WebTracerProvider + BatchSpanProcessor + OTLPTraceExporter (http) + FetchInstrumentation', 'otel-web-minimal.mjs', 'tracelet-browser-fetch.mjs'],
  ]);
  await table('Browser: full RUM', [
    ['tracelet script tag: rollup + terser = the shipped dist/tracelet.min.js (full RUM, web-vitals inside); esbuild = src/script-tag.ts bundled as an IIFE', 'script-tag'],
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
  for (const f of footnotes) {
    say(f);
    say();
  }

  say('### Budgets');
  say();
  await guard(async () => {
    // The same run as `npm run size` and test/unit/bundle-size.test.ts: size-limit with .size-limit.mjs.
    const run = spawnSync(process.execPath, [`${root}/node_modules/size-limit/bin.js`, '--json'], { cwd: root, encoding: 'utf8' });
    const checks = JSON.parse(run.stdout);
    if (!Array.isArray(checks)) throw new Error(`size-limit: ${run.stdout}`);
    // The issue's bars are comments beside the budgets ("issue bar N B").
    // One per budget, in order; a budget without a bar (the opt-in Zipkin row) has none.
    const bars = [...readFileSync(`${root}/.size-limit.mjs`, 'utf8').matchAll(/limit: '[^']*',.*/g)].map((m) => /issue bar ([\d,]+) B/.exec(m[0])?.[1]);
    say('`.size-limit.mjs` holds one budget per bundle; `npm test` (test/unit/bundle-size.test.ts) runs size-limit with it and fails when a bundle is over, `npm run size` prints it. Each budget was set to the size measured when it was last changed, rounded up by at most 20 B: it holds the ground and is lowered as the bundle shrinks; the bar is the issue\'s target ("Lightweight by design"). Same gzip method as above.');
    say();
    say('| bundle | now, gzip | budget | issue bar | now ÷ bar |');
    say('|---|---|---|---|---|');
    checks.forEach((c, i) => {
      const bar = bars.length === checks.length && bars[i] ? Number(bars[i].replaceAll(',', '')) : undefined;
      say(`| ${c.name} | ${fmt(c.size)} | ${fmt(c.sizeLimit)}${c.passed ? '' : ' (over)'} | ${bar ? fmt(bar) : '-'} | ${bar ? `${fmt(c.size / bar, 2)}x` : '-'} |`);
    });
    say();
  });
  await guard(async () => {
    // What esbuild keeps of dist/ that the rollup measurement drops, found in this run's bundles.
    const fixture = `${root}/bench/fixtures/tracelet-browser-fetch.mjs`;
    const e = await esbuildSize(fixture);
    const vitalsBytes = Object.values(e.metafile.outputs).flatMap((o) => Object.entries(o.inputs)).filter(([input]) => input.includes('node_modules/web-vitals/')).reduce((a, [, v]) => a + v.bytesInOutput, 0);
    const tracestate = e.code.includes('@]{0,255}$/');
    const withDeps = await fileGzipOf(await bundle(fixture, { depsSideEffects: true }));
    const kept = [...(tracestate ? ['the tracestate parser (its key grammar is in the output)'] : []), ...(vitalsBytes ? [`${fmt(vitalsBytes)} B (minified) of web-vitals: its module-level statements, which esbuild must keep because web-vitals does not declare itself free of side effects (dist/browser.js imports it at its top)`] : [])];
    say(`What the bundles hold: an app's bundle holds only what it imports (instrumentations are values passed to startBrowserTracing; the page only injects headers). Through rollup + terser the fetch-only bundle holds no web-vitals, XHR, document-load, session, zone, B3, console-exporter or tracestate-parser code: test/unit/bundle-size.test.ts checks a marker of each. The rollup method assumes every file under node_modules free of side effects; at rollup's default, which keeps their top-level statements, the same fixture is ${fmt(withDeps)} B gzip (${withDeps >= measured['tracelet-browser-fetch.mjs'].rollup.gzip ? '+' : ''}${fmt(withDeps - measured['tracelet-browser-fetch.mjs'].rollup.gzip)} B). ${kept.length ? `esbuild, from the same dist/ files, keeps more in the fetch-only bundle: ${kept.join('; ')}.` : 'esbuild keeps none of those either.'} The breakdown below bundles src/, not dist/.`);
    say();
  });

  say('### Where the bytes go');
  say();
  say('Per source module of each budgeted bundle, built from src/ (not dist/), two ways. **esbuild, bytes in output**: the bundle built by esbuild --minify as above (size-limit), and for each input the bytes it left in the minified output (esbuild\'s metafile, `bytesInOutput`): exact, and the rows add up to the output less a few bytes of glue; but before compression, and gzip does not split by module (a module\'s share of the gzip bytes is roughly its share here). **rollup + terser, gzip it costs**: leave-one-out; the bundle built by rollup + terser + gzip -9, then again with one module replaced by no-op stubs of its exports; a row is the gzip bytes that module costs, including code only it pulls in. These rows do not add up to the total (code shared by several importers is counted under none of them, code one importer alone pulls in under both); entry modules, whose removal empties the bundle, show "-". A dependency is one row. Rows under 300 B in esbuild\'s output and under 100 B leave-one-out are summed in the last row.');
  say();
  await guard(async () => {
    const { bundles } = await import('./size-breakdown.mjs');
    for (const b of bundles) {
      const e = await b.esbuild();
      const r = await b.rollup();
      say(`**${b.title}**: esbuild ${fmt(e.min)} B min (${fmt(e.gzip)} B gzip); rollup + terser ${fmt(r.total)} B gzip, built this way`);
      say();
      say('| module | esbuild: bytes in output | share | rollup + terser: gzip it costs |');
      say('|---|---|---|---|');
      const loo = new Map(r.rows.filter((row) => row.gzip < r.total * 0.9).map((row) => [row.module, row.gzip]));
      const names = [...new Set([...e.rows.map((row) => row.module), ...loo.keys()])];
      const bytesOf = new Map(e.rows.map((row) => [row.module, row.bytes]));
      const rows = names.map((module) => ({ module, bytes: bytesOf.get(module) ?? 0, gzip: loo.get(module) }));
      rows.sort((a, b) => b.bytes - a.bytes || (b.gzip ?? 0) - (a.gzip ?? 0));
      const small = rows.filter((row) => row.bytes < 300 && (row.gzip ?? 0) < 100);
      for (const row of rows.filter((row) => !small.includes(row))) say(`| ${row.module} | ${fmt(row.bytes)} | ${fmt((100 * row.bytes) / e.min, 1)} % | ${row.gzip === undefined ? '-' : fmt(row.gzip)} |`);
      if (small.length) {
        const sb = small.reduce((a, row) => a + row.bytes, 0);
        say(`| ${small.length} smaller modules | ${fmt(sb)} | ${fmt((100 * sb) / e.min, 1)} % | ${fmt(small.reduce((a, row) => a + (row.gzip ?? 0), 0))} |`);
      }
      say();
    }
  });
}

/** The Worker overhead section: a minimal Worker, then the KV loop. */
async function workerSection() {
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
  await guard(async () => {
    const r = await kvLoop({ rounds: WORKER_ROUNDS });
    say('### KV loop');
    say();
    say(`Method: the same harness on a handler that calls \`env.KV.get('k')\` ${KV_GETS} times in a loop per request (an in-memory KV namespace in Miniflare, the key set, so every get finds it): \`worker-kv-loop-plain.mjs\` without tracing, \`tracelet-worker-kv-loop.mjs\` (each get a CLIENT span \`KV get\`), \`otel-cf-workers-kv-loop.mjs\` (its env instrumentation: each get a span). ${WORKER_ROUNDS} rounds alternated, a fresh workerd each; per round 20 warm-up requests, ${r.seq} sequential and ${r.conc} concurrent (${r.concurrency} at a time). Per get = per request ÷ ${KV_GETS}. Ratio = traced ÷ untraced, per request and so per get. Each request also exports its ${KV_GETS + 1} spans (in waitUntil), which the CPU column includes. Miniflare serves KV from a local simulator in the same workerd process (about 1 ms of wall and 0.4 ms of CPU per get here, more than a get served from the edge cache in production), so the ratios are diluted by that cost: the added µs per get is the figure that carries over.`);
    say();
    say('| Worker | wall µs per request, sequential | wall µs per get | ratio to untraced, wall | CPU µs per request | CPU µs per get | added CPU µs per get | ratio to untraced, CPU |');
    say('|---|---|---|---|---|---|---|---|');
    const plain = r.plain;
    for (const [label, key] of [['no tracing', 'plain'], ['tracelet/worker instrument()', 'tracelet'], ['@microlabs/otel-cf-workers instrument()', 'otel-cf-workers']]) {
      const x = r[key];
      if (x.error) {
        say(`| ${label} | could not run: ${x.error.replaceAll('|', '\\|')} | | | | | | |`);
        continue;
      }
      const traced = key !== 'plain' && !plain.error;
      say(`| ${label} | ${range(x.seq)} | ${fmt(x.seq.median / KV_GETS, 1)} | ${traced ? `${fmt(x.seq.median / plain.seq.median, 2)}x` : '-'} | ${range(x.cpu)} | ${fmt(x.cpu.median / KV_GETS, 1)} | ${traced ? fmt((x.cpu.median - plain.cpu.median) / KV_GETS, 1) : '-'} | ${traced ? `${fmt(x.cpu.median / plain.cpu.median, 2)}x` : '-'} |`);
    }
    const t = r.tracelet;
    const o = r['otel-cf-workers'];
    if (!t.error && !o.error && !plain.error) {
      say();
      say(`tracelet ÷ otel-cf-workers, added per get: CPU ${fmt((t.cpu.median - plain.cpu.median) / (o.cpu.median - plain.cpu.median), 2)}x, sequential wall ${fmt((t.seq.median - plain.seq.median) / (o.seq.median - plain.seq.median), 2)}x.`);
      note(`KV get in a loop, workerd: traced ÷ untraced per call ${fmt(t.seq.median / plain.seq.median, 2)}x wall, ${fmt(t.cpu.median / plain.cpu.median, 2)}x CPU (+${fmt((t.cpu.median - plain.cpu.median) / KV_GETS, 1)} µs CPU per get) vs ${fmt(o.seq.median / plain.seq.median, 2)}x wall, ${fmt(o.cpu.median / plain.cpu.median, 2)}x CPU (+${fmt((o.cpu.median - plain.cpu.median) / KV_GETS, 1)} µs) for otel-cf-workers`);
    }
    say();
  });
}

/** Replaces the section titled `title` of BENCHMARKS.md with the lines from it in `all`, and the headline lines starting with `prefixes`. */
function writeSectionOnly(title, all, notes, prefixes) {
  const path = `${root}/BENCHMARKS.md`;
  const section = all.slice(all.indexOf(title));
  const old = readFileSync(path, 'utf8').split('\n');
  const start = old.indexOf(title);
  if (start < 0) throw new Error(`BENCHMARKS.md has no "${title}" section: run the full \`npm run bench\``);
  let end = old.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = old.length;
  const out = [...old.slice(0, start), ...section, ...old.slice(end)];
  const ours = (l) => prefixes.some((p) => l.startsWith(p));
  const first = out.findIndex(ours);
  const kept = out.filter((l) => !ours(l));
  const at = first >= 0 ? first : kept.findIndex((l) => l.startsWith('- ')) + 1;
  kept.splice(at, 0, ...notes.map((h) => `- ${h}`));
  writeFileSync(path, kept.join('\n'));
}

// Replaces the "## Bundle size" section of BENCHMARKS.md (up to the next "## ")
// and the "- size (" lines of its headline; the rest of the file, timings
// included, stays as the last full run wrote it. README.md is left alone.
function writeSizesOnly(section, notes) {
  const path = `${root}/BENCHMARKS.md`;
  const old = readFileSync(path, 'utf8').split('\n');
  const start = old.indexOf('## Bundle size');
  if (start < 0) throw new Error('BENCHMARKS.md has no "## Bundle size" section: run the full `npm run bench`');
  let end = old.findIndex((l, i) => i > start && l.startsWith('## '));
  if (end < 0) end = old.length;
  const out = [...old.slice(0, start), ...section, ...old.slice(end)];
  const first = out.findIndex((l) => l.startsWith('- size ('));
  const kept = out.filter((l) => !l.startsWith('- size ('));
  if (first >= 0) kept.splice(first, 0, ...notes.map((h) => `- ${h}`));
  writeFileSync(path, kept.join('\n'));
}


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

if (WORKER_ONLY) {
  await workerSection();
  writeSectionOnly('## Worker overhead (workerd)', lines, headline, ['- Worker overhead', '- KV get']);
  console.log(`\nupdated the Worker overhead section of BENCHMARKS.md in ${fmt((performance.now() - started) / 60000, 1)} min`);
  process.exit(0);
}

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

await workerSection();

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
// Notes measured by hand (between <!-- notes:start --> and <!-- notes:end -->) are kept across runs, at the end.
const previous = readFileSync(`${root}/BENCHMARKS.md`, 'utf8');
for (const [, block] of previous.matchAll(/(<!-- notes:start -->[\s\S]*?<!-- notes:end -->)/g)) lines.push('', block);
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
