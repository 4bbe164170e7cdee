// One measurement process: ns per span for one implementation and scenario.
// Usage: node bench/span-cost.mjs <tracelet|otel|floor> <flat|nested>
// Prints one JSON line { impl, scenario, nsPerSpan }.
import { createTracing } from '../dist/index.js';
import { emptyTracer, flatSpans, nestedSpans } from './span-loops.mjs';

const [impl, scenario] = process.argv.slice(2);
const N = 20_000;
const ROUNDS = 15;

async function makeTracer() {
  if (impl === 'tracelet') {
    // A no-op exporter behind the default batch processor: what users run.
    const { tracer } = createTracing({ exporter: { export() {} } });
    return tracer;
  }
  if (impl === 'otel') {
    const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { context, trace, ROOT_CONTEXT } = await import('@opentelemetry/api');
    // A synchronous stack context manager, the same semantics as tracelet's
    // default (and as sdk-trace-web's StackContextManager), so startActiveSpan
    // really nests on both sides.
    let current = ROOT_CONTEXT;
    context.setGlobalContextManager({
      active: () => current,
      with(ctx, fn, thisArg, ...args) {
        const previous = current;
        current = ctx;
        try {
          return fn.call(thisArg, ...args);
        } finally {
          current = previous;
        }
      },
      bind: (_ctx, target) => target,
      enable() { return this; },
      disable() { return this; },
    });
    const noop = { export: (_s, cb) => cb({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(noop)] });
    trace.setGlobalTracerProvider(provider);
    return trace.getTracer('bench');
  }
  return undefined;
}

const tracer = (await makeTracer()) ?? emptyTracer;
const body = scenario === 'nested' ? nestedSpans : flatSpans;
const samples = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  body(tracer, N);
  const t1 = performance.now();
  // Let the batch processor's scheduled work run between rounds, as in an app.
  await new Promise((resolve) => setTimeout(resolve, 5));
  if (r >= 3) samples.push(((t1 - t0) * 1e6) / (N * (scenario === 'nested' ? 2 : 1)));
}
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ impl, scenario, median: samples[samples.length >> 1], min: samples[0], max: samples[samples.length - 1] }));
process.exit(0);
