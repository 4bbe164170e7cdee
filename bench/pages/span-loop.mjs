// The measured loops of the Chromium span-cost bench, shared by every page:
// the same code as bench/span-cost.mjs runs in Node. Returns ns per span.
export function spanBench(tracer) {
  const flat = (n) => {
    for (let i = 0; i < n; i++) {
      const span = tracer.startSpan('span');
      span.setAttribute('http.request.method', 'GET');
      span.setAttribute('http.response.status_code', 200);
      span.setAttribute('cache.hit', true);
      span.end();
    }
  };
  const nested = (n) => {
    for (let i = 0; i < n; i++) {
      tracer.startActiveSpan('parent', (parent) => {
        const child = tracer.startSpan('child');
        child.end();
        parent.end();
      });
    }
  };
  return {
    run(scenario, n) {
      const body = scenario === 'nested' ? nested : flat;
      const t0 = performance.now();
      body(n);
      const t1 = performance.now();
      return ((t1 - t0) * 1e6) / (n * (scenario === 'nested' ? 2 : 1));
    },
  };
}

// The floor: the same loop shape calling empty functions.
const emptySpan = { setAttribute() { return this; }, end() {} };
export const emptyTracer = { startSpan: () => emptySpan, startActiveSpan: (_n, fn) => fn(emptySpan) };
