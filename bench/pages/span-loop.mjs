// The measured loops of the Chromium span-cost bench, shared by every page:
// the same code as bench/span-cost.mjs runs in Node. Returns ns per span.
import { flatSpans, nestedSpans } from '../span-loops.mjs';

export { emptyTracer } from '../span-loops.mjs';

export function spanBench(tracer) {
  return {
    run(scenario, n) {
      const body = scenario === 'nested' ? nestedSpans : flatSpans;
      const t0 = performance.now();
      body(tracer, n);
      const t1 = performance.now();
      return ((t1 - t0) * 1e6) / (n * (scenario === 'nested' ? 2 : 1));
    },
  };
}
