#!/usr/bin/env node
// `npm run demo`: starts the dev collector, runs the demos against it, prints
// the traces the collector received, and exits 0 only if they all arrived.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector/collector.mjs';
import { buildTree, formatTrace } from './collector/tree.mjs';
import { runJourney } from './journey.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const keepOpen = process.argv.includes('--open');

async function collectorOnPreferredPort() {
  try {
    return await startCollector({ port: 4318, print: false });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    console.log('port 4318 is busy; the demo collector uses a free port instead');
    return startCollector({ port: 0, print: false });
  }
}

function runNode(script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${script} exited with code ${code}`))));
  });
}

const collector = await collectorOnPreferredPort();
let ok = false;
let journey;
let stopJourney = async () => {};
const stop = async () => {
  await stopJourney();
  await collector.close();
};
process.on('SIGINT', () => stop().then(() => process.exit(130)));
process.on('SIGTERM', () => stop().then(() => process.exit(143)));

try {
  console.log(`dev collector on ${collector.url} (OTLP/HTTP JSON at ${collector.tracesUrl})\n`);
  console.log('1. manual spans: foo > bar > baz from a Node script (demo/manual-spans.mjs)');
  await runNode(here('./manual-spans.mjs'), { TRACELET_ENDPOINT: collector.tracesUrl });
  const spans = await collector.waitForSpans(
    (all) => ['foo', 'bar', 'baz'].every((name) => all.some((s) => s.name === name && s.resource['service.name'] === 'demo-node')),
    { timeoutMs: 10_000 },
  );
  const traceId = spans.find((s) => s.name === 'foo').traceId;
  const trace = spans.filter((s) => s.traceId === traceId);
  console.log('\nthe collector received:\n');
  console.log(formatTrace(trace));
  const foo = trace.find((s) => s.name === 'foo');
  const bar = trace.find((s) => s.name === 'bar');
  const baz = trace.find((s) => s.name === 'baz');
  const nested = bar?.parentSpanId === foo?.spanId && baz?.parentSpanId === bar?.spanId;
  ok = trace.length === 3 && nested;
  console.log(`\n${ok ? 'OK' : 'FAILED'}: 1 trace: foo > bar > baz, ${trace.length} spans, ${nested ? 'correctly nested' : 'NOT nested as expected'}`);

  console.log('\n2. one trace from a click to the origin: browser (script tag) -> edge (tracelet/worker) -> cart (a Durable Object, + KV) -> origin (OpenTelemetry Node SDK)');
  journey = await runJourney(collector, console.log, { keepRunning: keepOpen });
  stopJourney = journey.stop;
  const { orphans } = buildTree(journey.trace);
  console.log('\nthe collector received:\n');
  console.log(formatTrace(journey.trace));
  const joinedOk = orphans.length === 0;
  console.log(`\n${joinedOk ? 'OK' : 'FAILED'}: 1 trace: browser -> edge -> durable object (+ KV) -> origin, ${journey.trace.length} spans, ${orphans.length} orphans`);

  console.log('\n3. an SPA route change (page bundled with tracelet/browser) -> edge -> durable object -> origin\n');
  const spa = journey.spaTrace;
  const spaOrphans = spa ? buildTree(spa).orphans : [];
  if (spa) console.log(formatTrace(spa));
  const spaOk = Boolean(spa) && spaOrphans.length === 0;
  console.log(`\n${spaOk ? 'OK' : 'FAILED'}: ${spa ? `1 trace: navigation -> edge -> durable object -> origin, ${spa.length} spans, ${spaOrphans.length} orphans` : 'the SPA route change trace did not arrive'}`);
  const shown = new Set([journey.trace[0].traceId, spa?.[0]?.traceId]);
  const others = new Set(journey.all.filter((s) => !shown.has(s.traceId)).map((s) => s.traceId));
  console.log(`\n(and ${others.size} other traces of the journey: page load, web vitals, the script-tag page's route change, the failing request)`);
  ok = ok && joinedOk && spaOk;
} catch (error) {
  console.error(`\nFAILED: ${error?.message ?? error}`);
}

if (keepOpen && ok) {
  const s = journey?.services ?? {};
  console.log(`\nstill running (Ctrl-C to stop):
  trace viewer   ${collector.url}/
  demo shop      ${s.site ?? '-'}   (click Buy, then watch the viewer)
  demo SPA       ${s.site ?? '-'}/spa/   (bundled with tracelet/browser)
  edge worker    ${s.worker ?? '-'}
  origin         ${s.origin ?? '-'}`);
} else {
  await stop();
  process.exit(ok ? 0 : 1);
}
