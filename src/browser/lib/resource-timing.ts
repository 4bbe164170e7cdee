import type { Context } from '../../core/context.js';
import { numberOption } from '../../core/diag.js';
import type { Tracer } from '../../core/tracer.js';
import { SpanKind, type Attributes, type Span } from '../../core/types.js';
import { redactHref, type PagePolicy } from './request-policy.js';

/**
 * Enriches a finished HTTP client span from the Resource Timing entry of its
 * request (https://www.w3.org/TR/resource-timing/), read from the browser's
 * performance timeline: never by cloning or reading the body. The entry
 * appears once the body has been read, which may be never; the span is ended
 * (with its real end time) when the entry arrives, after `waitMs`, or when the
 * page is hidden, whichever comes first.
 */
export const FETCH_PHASES = ['fetchStart', 'domainLookupStart', 'domainLookupEnd', 'connectStart', 'secureConnectionStart', 'connectEnd', 'requestStart', 'responseStart', 'responseEnd'] as const;

/**
 * The sizes and protocol of a Resource Timing entry as span attributes
 * (HTTP semantic conventions: `http.response.body.size`, `http.response.size`,
 * `network.protocol.name`); zero sizes, which a cross-origin resource without
 * `Timing-Allow-Origin` reports, are left out. Shared by fetch/XHR spans,
 * documentLoad's children and resources after load.
 */
export function resourceAttributes(entry: PerformanceResourceTiming): Attributes {
  const a: Attributes = {};
  const protocol = entry.nextHopProtocol;
  const values: [string, number | string][] = [
    ['http.response.body.size', entry.encodedBodySize],
    ['http.response.size', entry.transferSize],
    ['http.response.decoded_body.size', entry.decodedBodySize],
    ['network.protocol.name', protocol && (protocol[0] == 'h' ? 'http' : protocol)],
  ];
  for (const [key, value] of values) if (value) a[key] = value;
  return a;
}

/**
 * Records a Resource Timing entry as a finished CLIENT span (documentLoad's
 * `documentFetch` and `resourceFetch` children, resources after load): from
 * `start` (default the entry's startTime) to its responseEnd, with `url.full`
 * (redacted), the initiator type, `resourceAttributes` and `extra`.
 */
export function resourceSpan(tracer: Tracer, name: string, entry: PerformanceResourceTiming, policy: PagePolicy, context?: Context, start = entry.startTime, extra?: Attributes): void {
  const origin = performance.timeOrigin;
  const attributes = { 'url.full': redactHref(entry.name, policy), 'browser.resource.initiator_type': entry.initiatorType, ...resourceAttributes(entry), ...extra };
  tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: origin + start, attributes }, context).end(origin + entry.responseEnd);
}

interface Pending {
  span: Span;
  url: string;
  startOffset: number;
  endTime: number;
  timer?: ReturnType<typeof setTimeout>;
}

const pending = new Set<Pending>();
const claimed = new WeakSet<PerformanceEntry>();
let observer: PerformanceObserver | undefined;

/** Ends the span of `p`, with the timing of `entry` when there is one. */
function apply(p: Pending, entry?: PerformanceResourceTiming): void {
  pending.delete(p);
  clearTimeout(p.timer);
  if (entry) {
    claimed.add(entry);
    for (const phase of FETCH_PHASES) if (entry[phase] > 0) p.span.addEvent(phase, performance.timeOrigin + entry[phase]);
    p.span.setAttributes(resourceAttributes(entry));
  }
  p.span.end(p.endTime);
  if (!pending.size) observer = void observer?.disconnect();
}

/** Finds and applies the entry of `p` among `entries`. */
function claim(p: Pending, entries: PerformanceEntryList): boolean {
  const entry = entries.find((e) => e.name === p.url && e.startTime >= p.startOffset - 1 && !claimed.has(e));
  if (entry) apply(p, entry as PerformanceResourceTiming);
  return !!entry;
}

/** Ends `span` at `endTime` once its resource timing entry is known (or after `waitMs`). */
export function endWithResourceTiming(span: Span, url: string, startTime: number, endTime: number, waitMs = 1000): void {
  const perf = globalThis.performance;
  if (typeof perf?.getEntriesByName !== 'function' || typeof PerformanceObserver !== 'function') return span.end(endTime);
  const p: Pending = { span, url, startOffset: startTime - perf.timeOrigin, endTime };
  if (claim(p, perf.getEntriesByName(url, 'resource'))) return;
  p.timer = setTimeout(() => apply(p), waitMs);
  pending.add(p);
  if (!observer) {
    observer = new PerformanceObserver((list) => {
      const entries = list.getEntries();
      for (const q of [...pending]) claim(q, entries);
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
  for (const p of [...pending]) if (!claim(p, performance.getEntriesByName(p.url, 'resource'))) apply(p);
}

/** How fetch and XHR spans get their Resource Timing details (see `resourceTimingDetails`). */
export interface TimingDetails {
  /** Ends `span` (at `endTime`) once the request's Resource Timing entry is read, or after the wait. */
  end(span: Span, url: string, startTime: number, endTime: number): void;
  /** Ends every span still waiting (the page is being hidden). */
  flush(): void;
}

/**
 * Resource Timing details for fetch and XHR spans: the request's phases
 * (`fetchStart` ... `responseEnd`) as events and its sizes and protocol as
 * attributes, read from the browser's timeline once the body has been read.
 * An opt-in import (on in the script tag and `rumInstrumentations()`); a span
 * waits at most `waitMs` (default 1000) for its entry.
 *
 * @example
 * import { fetchInstrumentation, resourceTimingDetails } from 'tracelet/browser';
 * fetchInstrumentation({ details: resourceTimingDetails() });
 */
export function resourceTimingDetails(options: { waitMs?: number } = {}): TimingDetails {
  const wait = numberOption('resourceTimingDetails.waitMs', options.waitMs, 1000, '>=0');
  return { end: (span, url, start, end) => endWithResourceTiming(span, url, start, end, wait), flush: endPendingResourceSpans };
}
