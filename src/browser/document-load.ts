import { ROOT_CONTEXT, type Context } from '../core/context.js';
import { isSpanContextValid, setSpan, setSpanContext } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import { SpanKind, type Attributes } from '../core/types.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { KNOWN_FLAGS } from '../propagation/trace-context-inject.js';

const NAV_EVENTS = [
  'fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'secureConnectionStart', 'connectEnd',
  'requestStart', 'responseStart', 'responseEnd', 'domInteractive', 'domContentLoadedEventStart',
  'domContentLoadedEventEnd', 'domComplete', 'loadEventStart', 'loadEventEnd',
] as const;

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? undefined;

/**
 * The server's trace for this document, if it told us: a
 * `Server-Timing: traceparent;desc="00-…"` on the navigation response (as
 * tracelet/worker sends), else `<meta name="traceparent" content="00-…">`.
 * Read with `propagator` when one is given (with `<meta name="tracestate">`),
 * else by the W3C Trace Context Level 2 traceparent rules
 * (https://www.w3.org/TR/trace-context-2/#traceparent-header-field-values):
 * version 2 lower-case hex digits, `ff` invalid
 * (https://www.w3.org/TR/trace-context-2/#version); version `00` exactly
 * `00-<32 hex>-<16 hex>-<2 hex>`, a higher version that layout followed by the
 * end or "-" (https://www.w3.org/TR/trace-context-2/#versioning-of-traceparent);
 * all-zero ids invalid (#trace-id, #parent-id); flag bits other than sampled
 * and random zeroed (#other-flags). An invalid value starts a new trace.
 */
export function documentParent(propagator: TextMapPropagator | undefined, nav: PerformanceNavigationTiming | undefined): Context {
  const traceparent = nav?.serverTiming?.find((t) => t.name === 'traceparent')?.description || meta('traceparent');
  if (!traceparent) return ROOT_CONTEXT;
  if (propagator) return propagator.extract(ROOT_CONTEXT, { traceparent, tracestate: meta('tracestate') });
  const m = /^([\da-f]{2})-([\da-f]{32})-([\da-f]{16})-([\da-f]{2})(-|$)/.exec(traceparent.trim());
  const sc = m && m[1] !== 'ff' && !(m[1] === '00' && m[5]) && { traceId: m[2]!, spanId: m[3]!, traceFlags: parseInt(m[4]!, 16) & KNOWN_FLAGS, isRemote: true };
  return sc && isSpanContextValid(sc) ? setSpanContext(ROOT_CONTEXT, sc) : ROOT_CONTEXT;
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
export function instrumentDocumentLoad(tracer: Tracer, options: { propagator?: TextMapPropagator } = {}): () => void {
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
