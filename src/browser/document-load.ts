import { ROOT_CONTEXT, type Context } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import { SpanKind, type Attributes } from '../core/types.js';
import type { TextMapPropagator } from '../propagation/carrier.js';

const NAV_EVENTS = [
  'fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'secureConnectionStart', 'connectEnd',
  'requestStart', 'responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventStart',
  'domContentLoadedEventEnd', 'domComplete', 'loadEventStart', 'loadEventEnd',
] as const;

/**
 * The server's trace for this document, if it told us: a
 * `Server-Timing: traceparent;desc="00-…"` on the navigation response (as
 * tracelet/worker sends), else `<meta name="traceparent" content="00-…">`.
 */
export function documentParent(propagator: TextMapPropagator, nav: PerformanceNavigationTiming | undefined): Context {
  const fromTiming = nav?.serverTiming?.find((t) => t.name === 'traceparent')?.description;
  const fromMeta = document.querySelector('meta[name="traceparent"]')?.getAttribute('content') ?? undefined;
  const traceparent = fromTiming || fromMeta;
  if (!traceparent) return ROOT_CONTEXT;
  const tracestate = document.querySelector('meta[name="tracestate"]')?.getAttribute('content') ?? undefined;
  return propagator.extract(ROOT_CONTEXT, tracestate ? { traceparent, tracestate } : { traceparent });
}

function resourceAttributes(entry: PerformanceResourceTiming): Attributes {
  const a: Attributes = { 'url.full': entry.name, 'browser.resource.initiator_type': entry.initiatorType };
  if (entry.encodedBodySize > 0) a['http.response.body.size'] = entry.encodedBodySize;
  if (entry.transferSize > 0) a['http.response.size'] = entry.transferSize;
  if (entry.nextHopProtocol) a['network.protocol.name'] = entry.nextHopProtocol.startsWith('h') ? 'http' : entry.nextHopProtocol;
  return a;
}

/**
 * A `documentLoad` span from Navigation Timing (https://www.w3.org/TR/navigation-timing-2/),
 * its phases as events, with a `documentFetch` child and one `resourceFetch`
 * child per resource loaded before the load event. Recorded once the load
 * event has finished; in the server's trace when the document says so.
 */
export function instrumentDocumentLoad(tracer: Tracer, options: { propagator: TextMapPropagator }): () => void {
  let done = false;
  const record = () => {
    if (done) return;
    done = true;
    try {
      const origin = performance.timeOrigin;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      const parent = documentParent(options.propagator, nav);
      const end = origin + (nav?.loadEventEnd || performance.now());
      const root = tracer.startSpan(
        'documentLoad',
        { kind: SpanKind.INTERNAL, startTime: origin, attributes: { 'url.full': location.href, 'user_agent.original': navigator.userAgent } },
        parent,
      );
      const ctx = setSpan(parent, root);
      if (nav) {
        for (const name of NAV_EVENTS) if (nav[name] > 0) root.addEvent(name, origin + nav[name]);
        const fetchSpan = tracer.startSpan('documentFetch', { kind: SpanKind.CLIENT, startTime: origin + nav.fetchStart, attributes: resourceAttributes(nav) }, ctx);
        if (nav.responseStatus) fetchSpan.setAttribute('http.response.status_code', nav.responseStatus);
        fetchSpan.end(origin + nav.responseEnd);
      }
      const loadEnd = nav?.loadEventEnd || Infinity;
      for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
        if (entry.startTime > loadEnd) continue;
        tracer.startSpan('resourceFetch', { kind: SpanKind.CLIENT, startTime: origin + entry.startTime, attributes: resourceAttributes(entry) }, ctx).end(origin + entry.responseEnd);
      }
      root.end(end);
    } catch {
      // never break the page
    }
  };
  // loadEventEnd is only set after the load event's handlers return.
  const onLoad = () => setTimeout(record, 0);
  if (document.readyState === 'complete') onLoad();
  else addEventListener('load', onLoad, { once: true });
  return () => removeEventListener('load', onLoad);
}
