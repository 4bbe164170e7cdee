// Worker overhead in workerd: an uninstrumented Worker, tracelet/worker
// instrument() and @microlabs/otel-cf-workers instrument(), each bundled by
// rollup (worker conditions, not minified) from bench/fixtures/ and run by
// Miniflare (real workerd) on 127.0.0.1, exporting OTLP/HTTP to a local sink
// that discards. Per round and implementation: a fresh workerd, WARM requests
// dropped, then SEQ sequential requests and CONC requests CONCURRENCY at a time
// from this Node process (undici fetch).
// Wall = client-observed latency per request (median of the sequential ones;
// median of the concurrent ones). CPU = utime+stime of the workerd process
// (/proc/<pid>/stat, all its threads, 10 ms ticks) over the measured requests
// and the exports they trigger (read after the sink has been idle 300 ms),
// divided by the request count. It includes Miniflare's own entry worker,
// which is the same for every row: compare the deltas to the plain row.
// KV loop (kvLoop): the same three ways on a handler that calls KV get 100
// times per request (an in-memory KV namespace with the key set), so the
// per-call cost of a binding span shows: wall and CPU per request, per get =
// that divided by 100, and the traced ÷ untraced ratio.
// Usage: node bench/worker-overhead.mjs [rounds] [--kv-loop]  (prints JSON)
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundle } from './size.mjs';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const IMPLS = { plain: 'worker-plain.mjs', tracelet: 'tracelet-worker.mjs', 'otel-cf-workers': 'otel-cf-workers.mjs' };
export const KV_LOOP_IMPLS = { plain: 'worker-kv-loop-plain.mjs', tracelet: 'tracelet-worker-kv-loop.mjs', 'otel-cf-workers': 'otel-cf-workers-kv-loop.mjs' };
/** KV gets per request in the KV loop fixtures. */
export const KV_GETS = 100;
const TICK_US = 1e6 / 100; // CLK_TCK is 100 on Linux

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function workerdPids() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (stat.includes('(workerd)') && Number(rest[1]) === process.pid) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]); // utime + stime (fields 14, 15)
}

async function startSink() {
  const sink = { requests: 0, bytes: 0, last: 0 };
  const server = createServer((req, res) => {
    req.on('data', (c) => (sink.bytes += c.length));
    req.on('end', () => {
      sink.requests++;
      sink.last = performance.now();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  sink.url = `http://127.0.0.1:${server.address().port}/v1/traces`;
  sink.close = () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); });
  return sink;
}

async function hit(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  await res.text();
  if (res.status !== 200) throw new Error(`status ${res.status}`);
  return (performance.now() - t0) * 1000;
}

async function waitIdle(sink, ms = 300, max = 5000) {
  const start = performance.now();
  sink.last = Math.max(sink.last, performance.now());
  while (performance.now() - sink.last < ms && performance.now() - start < max) await new Promise((r) => setTimeout(r, 50));
}

export async function workerOverhead({ rounds = 3, warm = 200, seq = 300, conc = 1200, concurrency = 8, impls = IMPLS, extra = {} } = {}) {
  const IMPLS = impls;
  const scripts = {};
  for (const [impl, file] of Object.entries(IMPLS)) {
    try {
      scripts[impl] = await bundle(`${fixtures}${file}`, { minify: false, worker: true, inline: true });
    } catch (e) {
      scripts[impl] = e;
    }
  }
  const sink = await startSink();
  const acc = Object.fromEntries(Object.keys(IMPLS).map((i) => [i, { seq: [], conc: [], cpu: [], exports: [] }]));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const impl of Object.keys(IMPLS)) {
        if (scripts[impl] instanceof Error) continue;
        const before = new Set(workerdPids());
        const mf = new Miniflare({
          modules: true,
          script: scripts[impl],
          compatibilityDate: '2026-04-26',
          compatibilityFlags: ['nodejs_compat'],
          host: '127.0.0.1',
          port: 0,
          bindings: { OTEL_SERVICE_NAME: 'bench', OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_ENDPOINT: sink.url },
          ...extra.options,
        });
        try {
          const url = (await mf.ready).href;
          await extra.setup?.(mf);
          const pids = workerdPids().filter((p) => !before.has(p));
          if (pids.length !== 1) throw new Error(`expected one new workerd process, found ${pids.length}`);
          for (let i = 0; i < warm; i++) await hit(url);
          await waitIdle(sink);
          const exports0 = sink.requests;
          const cpu0 = cpuTicks(pids[0]);
          const seqLat = [];
          for (let i = 0; i < seq; i++) seqLat.push(await hit(url));
          const concLat = [];
          let next = 0;
          await Promise.all(Array.from({ length: concurrency }, async () => {
            while (next++ < conc) concLat.push(await hit(url));
          }));
          await waitIdle(sink);
          const cpu1 = cpuTicks(pids[0]);
          acc[impl].seq.push(median(seqLat));
          acc[impl].conc.push(median(concLat));
          acc[impl].cpu.push(((cpu1 - cpu0) * TICK_US) / (seq + conc));
          acc[impl].exports.push(sink.requests - exports0);
        } finally {
          await mf.dispose();
        }
      }
    }
  } finally {
    await sink.close();
  }
  const out = { requests: seq + conc, seq, conc, concurrency, rounds };
  for (const impl of Object.keys(IMPLS)) {
    if (scripts[impl] instanceof Error) {
      out[impl] = { error: String(scripts[impl].message).split('\n')[0] };
      continue;
    }
    const a = acc[impl];
    const s = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
    out[impl] = { seq: s(a.seq), conc: s(a.conc), cpu: s(a.cpu), exportsPerRound: median(a.exports), bytes: Buffer.byteLength(scripts[impl]) };
  }
  return out;
}

/**
 * The KV loop: workerOverhead on the KV loop fixtures, with a KV namespace
 * `KV` holding the key the loop reads. Fewer requests: each makes 100 gets.
 */
export function kvLoop({ rounds = 3, warm = 20, seq = 60, conc = 120, concurrency = 4 } = {}) {
  return workerOverhead({
    rounds,
    warm,
    seq,
    conc,
    concurrency,
    impls: KV_LOOP_IMPLS,
    extra: {
      options: { kvNamespaces: { KV: 'bench-kv' } },
      setup: async (mf) => (await mf.getKVNamespace('KV')).put('k', 'v'),
    },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
  console.log(JSON.stringify(await (process.argv.includes('--kv-loop') ? kvLoop({ rounds }) : workerOverhead({ rounds })), null, 1));
}
