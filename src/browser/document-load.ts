import { ROOT_CONTEXT, type Context } from '../core/context.js';
import { getSpanContext, setSpan, setSpanContext } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { parseTraceparent } from '../propagation/traceparent.js';
import { FETCH_PHASES, resourceSpan } from './lib/resource-timing.js';
import { isRecordedResource, redactHref, type PagePolicy } from './lib/request-policy.js';
import { afterLoad } from './lib/after-load.js';

// Navigation Timing phases recorded as events of `documentLoad`: those of any fetch, then the document's own.
const NAV_EVENTS = /* @__PURE__ */ (FETCH_PHASES as readonly string[]).concat(
  /* @__PURE__ */ 'domInteractive domContentLoadedEventStart domContentLoadedEventEnd domComplete loadEventStart loadEventEnd'.split(' '),
) as (keyof PerformanceNavigationTiming)[];

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;

/**
 * The server's trace for this document, if it told us: a
 * `Server-Timing: traceparent;desc="00-…"` on the navigation response (as
 * tracelet/worker sends), else `<meta name="traceparent" content="00-…">`.
 * Read with `propagator` when one is given (with `<meta name="tracestate">`),
 * else by `parseTraceparent` (W3C Trace Context Level 2 rules, without the
 * tracestate parser). Invalid values are skipped; with none valid, a new trace.
 */
export function documentParent(propagator: TextMapPropagator | undefined, nav: PerformanceNavigationTiming | undefined): Context {
  // Each Server-Timing traceparent in order, then the meta tag: the first valid one wins.
  const candidates = [...(nav?.serverTiming ?? []).filter((t) => t.name === 'traceparent').map((t) => t.description), meta('traceparent')?.trim()];
  for (const traceparent of candidates) {
    if (!traceparent) continue;
    if (propagator) {
      const context = propagator.extract(ROOT_CONTEXT, { traceparent, tracestate: meta('tracestate') });
      if (getSpanContext(context)) return context;
    } else {
      const parsed = parseTraceparent(traceparent);
      if (parsed) return setSpanContext(ROOT_CONTEXT, { traceId: parsed.traceId, spanId: parsed.spanId, traceFlags: parsed.traceFlags, isRemote: true });
    }
  }
  return ROOT_CONTEXT;
}

/**
 * A `documentLoad` span from Navigation Timing (https://www.w3.org/TR/navigation-timing-2/),
 * its phases as events, with a `documentFetch` child and one `resourceFetch`
 * child per resource loaded before the load event. Recorded once the load
 * event has finished; in the server's trace when the document says so.
 */
export function instrumentDocumentLoad(tracer: Tracer, options: { propagator?: TextMapPropagator } & PagePolicy = {}): () => void {
  const record = () => {
    try {
      const origin = performance.timeOrigin;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const parent = documentParent(options.propagator, nav);
      const root = tracer.startSpan('documentLoad', { startTime: origin, attributes: { 'url.full': redactHref(location.href, options), 'user_agent.original': navigator.userAgent } }, parent);
      const ctx = setSpan(parent, root);
      if (nav) {
        for (const name of NAV_EVENTS) {
          const t = nav[name] as number;
          if (t > 0) root.addEvent(name, origin + t);
        }
        const status = nav.responseStatus;
        resourceSpan(tracer, 'documentFetch', nav, options, ctx, nav.fetchStart, status ? { 'http.response.status_code': status } : undefined);
      }
      const loadEnd = nav?.loadEventEnd || Infinity;
      // Not the collector's requests, nor ignored URLs, nor fetch/XHR/beacons (they have their own spans).
      for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
        if (e.startTime <= loadEnd && isRecordedResource(e, options)) resourceSpan(tracer, 'resourceFetch', e, options, ctx);
      }
      root.end(origin + (nav?.loadEventEnd || performance.now()));
    } catch {
      // never break the page
    }
  };
  // loadEventEnd is only set after the load event's handlers return.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const off = afterLoad(() => (timer = setTimeout(record, 0)));
  return () => (off(), clearTimeout(timer));
}
