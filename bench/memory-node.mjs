// Node heap growth with the collector down: one process per measurement, run
// with --expose-gc. Each side exports OTLP/HTTP to a closed 127.0.0.1 port
// (a port bound then released, so connections are refused): tracelet
// createTracing({ endpoint }) versus OpenTelemetry BasicTracerProvider +
// BatchSpanProcessor + @opentelemetry/exporter-trace-otlp-http. After 1 000
// warm-up spans and gc: baseline heapUsed. Then 100 000 spans (start + 3
// attributes + end) in 100 chunks of 1 000, yielding to the event loop
// between chunks so exports (and their failures and retries) run; then
// SETTLE ms idle, gc twice, heapUsed again. Growth = after - baseline.
// "floor" runs the same loop over empty functions.
// Usage: node --expose-gc bench/memory-node.mjs <tracelet|otel|floor> [settleMs]; prints one JSON line.
import { createServer } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { createTracing } from '../dist/index.js';
import { emptyTracer, flatSpans } from './span-loops.mjs';

const impl = process.argv[2];
const SETTLE = Number(process.argv[3] ?? 1000);
const TOTAL = 100_000;
const CHUNK = 1000;

if (typeof gc !== 'function') throw new Error('run with --expose-gc');

const closedPort = await new Promise((resolve) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});
const url = `http://127.0.0.1:${closedPort}/v1/traces`;

let tracer;
if (impl === 'tracelet') {
  ({ tracer } = createTracing({ serviceName: 'bench', endpoint: url }));
} else if (impl === 'otel') {
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { diag } = await import('@opentelemetry/api');
  diag.disable();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  tracer = provider.getTracer('bench');
} else {
  tracer = emptyTracer;
}
// Export failures are expected here; keep stderr quiet for the runner.
console.warn = console.error = () => {};

async function settledHeap() {
  gc();
  await tick();
  gc();
  return process.memoryUsage().heapUsed;
}

flatSpans(tracer, 1000);
await new Promise((r) => setTimeout(r, 200));
const before = await settledHeap();
const t0 = performance.now();
for (let done = 0; done < TOTAL; done += CHUNK) {
  flatSpans(tracer, CHUNK);
  await tick();
}
const elapsed = performance.now() - t0;
await new Promise((r) => setTimeout(r, SETTLE));
const after = await settledHeap();
console.log(JSON.stringify({ impl, growthBytes: after - before, before, after, elapsedMs: elapsed }));
process.exit(0);
