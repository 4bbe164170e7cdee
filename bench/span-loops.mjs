// The measured span loops, one copy for every bench (Node and the Chromium
// pages, which rollup bundles from here): the comparisons are only fair while
// every implementation runs exactly the same code.

/** `n` spans, each start + 3 attributes + end. */
export function flatSpans(tracer, n) {
  for (let i = 0; i < n; i++) {
    const span = tracer.startSpan('span');
    span.setAttribute('http.request.method', 'GET');
    span.setAttribute('http.response.status_code', 200);
    span.setAttribute('cache.hit', true);
    span.end();
  }
}

/** `n` active parents, each with one child (2n spans). */
export function nestedSpans(tracer, n) {
  for (let i = 0; i < n; i++) {
    tracer.startActiveSpan('parent', (parent) => {
      const child = tracer.startSpan('child');
      child.end();
      parent.end();
    });
  }
}

// The floor: the same loop shapes calling empty functions.
const emptySpan = { setAttribute() { return this; }, end() {} };
export const emptyTracer = { startSpan: () => emptySpan, startActiveSpan: (_n, fn) => fn(emptySpan) };
