import type { Span } from '../../core/types.js';

/**
 * Enriches a finished HTTP client span from the Resource Timing entry of its
 * request (https://www.w3.org/TR/resource-timing/), read from the browser's
 * performance timeline: never by cloning or reading the body. The entry
 * appears once the body has been read, which may be never; the span is ended
 * (with its real end time) when the entry arrives, after `waitMs`, or when the
 * page is hidden, whichever comes first.
 */
const PHASES = ['fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'secureConnectionStart', 'connectEnd', 'requestStart', 'responseStart', 'responseEnd'] as const;

interface Pending {
  span: Span;
  url: string;
  startOffset: number;
  endTime: number;
  timer: ReturnType<typeof setTimeout>;
}

const pending = new Set<Pending>();
const claimed = new WeakSet<PerformanceEntry>();
let observer: PerformanceObserver | undefined;

function apply(p: Pending, entry: PerformanceResourceTiming | undefined): void {
  pending.delete(p);
  clearTimeout(p.timer);
  if (entry) {
    claimed.add(entry);
    const origin = performance.timeOrigin;
    for (const phase of PHASES) {
      const t = entry[phase];
      if (t > 0) p.span.addEvent(phase, origin + t);
    }
    const attributes: Record<string, number | string> = {};
    if (entry.encodedBodySize > 0) attributes['http.response.body.size'] = entry.encodedBodySize;
    if (entry.transferSize > 0) attributes['http.response.size'] = entry.transferSize;
    if (entry.decodedBodySize > 0) attributes['http.response.decoded_body.size'] = entry.decodedBodySize;
    if (entry.nextHopProtocol) attributes['network.protocol.name'] = entry.nextHopProtocol.startsWith('h') ? 'http' : entry.nextHopProtocol;
    p.span.setAttributes(attributes);
  }
  p.span.end(p.endTime);
  if (pending.size === 0 && observer) {
    observer.disconnect();
    observer = undefined;
  }
}

function matches(p: Pending, entry: PerformanceEntry): entry is PerformanceResourceTiming {
  return entry.name === p.url && entry.startTime >= p.startOffset - 1 && !claimed.has(entry);
}

function look(p: Pending): boolean {
  const entries = performance.getEntriesByName(p.url, 'resource');
  for (const entry of entries) {
    if (matches(p, entry)) {
      apply(p, entry);
      return true;
    }
  }
  return false;
}

/** Ends `span` at `endTime` once its resource timing entry is known (or after `waitMs`). */
export function endWithResourceTiming(span: Span, url: string, startTime: number, endTime: number, waitMs = 1000): void {
  const perf = globalThis.performance;
  if (!perf || typeof perf.getEntriesByName !== 'function' || typeof PerformanceObserver !== 'function') {
    span.end(endTime);
    return;
  }
  const p: Pending = { span, url, startOffset: startTime - perf.timeOrigin, endTime, timer: undefined as unknown as ReturnType<typeof setTimeout> };
  if (look(p)) return;
  p.timer = setTimeout(() => apply(p, undefined), waitMs);
  pending.add(p);
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        for (const q of pending) {
          if (matches(q, entry)) {
            apply(q, entry);
            break;
          }
        }
      }
    });
    try {
      observer.observe({ type: 'resource' });
    } catch {
      // An old browser: the timer ends the span.
    }
  }
}

/** Ends every span still waiting for its entry (the page is being hidden). */
export function endPendingResourceSpans(): void {
  for (const p of [...pending]) if (!look(p)) apply(p, undefined);
}
