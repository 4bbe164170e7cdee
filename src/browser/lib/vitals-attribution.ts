import type { CLSMetric, FCPMetric, INPMetric, LCPMetric, MetricType, TTFBMetric } from 'web-vitals';
import { describeElement } from './selector.js';

/** Fields of web-vitals' `metric.attribution`, named as tracelet sends them (`time_to_first_byte`; LCP's `target` as `element`). */
export type VitalAttribution = Record<string, string | number | undefined>;

/**
 * The navigation entry, when its `responseStart` can be trusted: browsers report
 * 0 for some navigations, and have reported negative or future values
 * (https://github.com/GoogleChrome/web-vitals/issues/137, /162, /275).
 */
function navigationEntry(): PerformanceNavigationTiming | undefined {
  const nav = performance.getEntriesByType('navigation')[0];
  return nav && nav.responseStart > 0 && nav.responseStart < performance.now() ? nav : undefined;
}

/** A time of the navigation measured as web-vitals does: from activation (a prerendered page counts from when it was shown), never below 0. */
const sinceActivation = (nav: PerformanceNavigationTiming, time: number) => Math.max(time - (nav.activationStart || 0), 0);

/** TTFB split into waiting, cache (service worker included), DNS, connection and request; they add up to TTFB. */
function ttfbAttribution(metric: TTFBMetric): VitalAttribution {
  const nav = metric.entries[0] as PerformanceNavigationTiming | undefined;
  // A bfcache restore has no entry: all 0, as in web-vitals.
  if (!nav) return { waiting_duration: 0, cache_duration: 0, dns_duration: 0, connection_duration: 0, request_duration: 0 };
  const waitEnd = sinceActivation(nav, nav.workerStart || nav.fetchStart);
  const dnsStart = sinceActivation(nav, nav.domainLookupStart);
  const connectStart = sinceActivation(nav, nav.connectStart);
  const connectEnd = sinceActivation(nav, nav.connectEnd);
  return {
    waiting_duration: waitEnd,
    cache_duration: dnsStart - waitEnd,
    dns_duration: connectStart - dnsStart,
    connection_duration: connectEnd - connectStart,
    // The gap between connectEnd and requestStart counts as request time, as in web-vitals.
    request_duration: metric.value - connectEnd,
  };
}

/** FCP split at the first byte of the document. */
function fcpAttribution(metric: FCPMetric): VitalAttribution {
  const nav = metric.entries[0] && navigationEntry();
  const ttfb = nav ? sinceActivation(nav, nav.responseStart) : 0;
  return { time_to_first_byte: ttfb, first_byte_to_fcp: metric.value - ttfb };
}

/**
 * LCP's element and resource URL, and LCP split into its four parts
 * (https://web.dev/articles/optimize-lcp#lcp-breakdown): time to first byte,
 * resource load delay and duration (from the LCP resource's Resource Timing
 * entry; 0 for text), element render delay. They add up to LCP.
 */
function lcpAttribution(metric: LCPMetric): VitalAttribution {
  const lcp = metric.entries[metric.entries.length - 1];
  const nav = lcp && navigationEntry();
  // The latest request for the LCP URL that started before the element was painted (later ones did not paint it).
  const resource =
    nav && lcp.url ? performance.getEntriesByType('resource').reverse().find((r) => r.name === lcp.url && (r.requestStart || r.startTime) <= lcp.startTime) : undefined;
  const ttfb = nav ? sinceActivation(nav, nav.responseStart) : 0;
  // requestStart is 0 cross-origin without Timing-Allow-Origin: startTime then.
  const requestStart = Math.max(ttfb, resource ? sinceActivation(nav!, resource.requestStart || resource.startTime) : 0);
  // Capped at LCP: a video goes on loading after it is painted.
  const responseEnd = Math.min(metric.value, Math.max(requestStart, resource ? sinceActivation(nav!, resource.responseEnd) : 0));
  return {
    // Described when reported, not when painted: an element removed since is known by its id only.
    element: lcp?.element ? describeElement(lcp.element) : lcp?.id ? '#' + lcp.id : undefined,
    url: lcp?.url || undefined,
    time_to_first_byte: ttfb,
    resource_load_delay: requestStart - ttfb,
    resource_load_duration: responseEnd - requestStart,
    element_render_delay: metric.value - responseEnd,
  };
}

/** The largest layout shift of the CLS window and the element it moved most (an element before text nodes). */
function clsAttribution(metric: CLSMetric): VitalAttribution {
  let largest: LayoutShift | undefined;
  // On a tie the later shift, as in web-vitals.
  for (const shift of metric.entries) if (!largest || shift.value >= largest.value) largest = shift;
  const sources = largest?.sources ?? [];
  const node = (sources.find((s) => s.node?.nodeType === 1) ?? sources[0])?.node;
  return {
    // A text node is described by its element; a node removed from the page since has no description.
    largest_shift_target: node ? describeElement(node.nodeType === 1 ? (node as Element) : node.parentElement) : undefined,
    largest_shift_value: sources[0] && largest!.value,
  };
}

/**
 * INP's target and type, and its three phases (https://web.dev/articles/inp#what-is-in-an-interaction):
 * input delay, processing, presentation delay. As in web-vitals, processing runs
 * over every event presented in the interaction's frame (its entries have the
 * same render time, within the 8 ms rounding of Event Timing durations), so a
 * slow `input` handler after a fast `keydown` counts. The phases add up to INP.
 */
function inpAttribution(metric: INPMetric, frameEvents: () => PerformanceEventTiming[]): VitalAttribution {
  const entries = metric.entries;
  const first = entries[0];
  // No entry (a bfcache restore's INP): all of it is presentation, as in web-vitals.
  if (!first) return { input_delay: 0, processing_duration: 0, presentation_delay: metric.value };
  const renderTime = first.startTime + first.duration;
  const frame = [...entries, ...frameEvents()].filter((e) => Math.abs(e.startTime + e.duration - renderTime) <= 8);
  // A handler of an earlier event may still run when this one starts: input delay is never negative.
  const processingStart = Math.max(first.startTime, Math.min(...frame.map((e) => e.processingStart)));
  const nextPaint = Math.max(renderTime, processingStart);
  // A sync modal (alert()) can make processing outlast the paint: capped at it.
  const processingEnd = Math.min(Math.max(...frame.map((e) => e.processingEnd)), nextPaint);
  const target = entries.find((e) => e.target)?.target;
  return {
    // Described when reported: a target removed since falls back to the browser's own selector, where it has one.
    interaction_target: target ? describeElement(target as Element) : entries.find((e) => e.targetSelector)?.targetSelector,
    interaction_type: first.name.startsWith('key') ? 'keyboard' : 'pointer',
    input_delay: processingStart - first.startTime,
    processing_duration: processingEnd - processingStart,
    presentation_delay: nextPaint - processingEnd,
  };
}

/**
 * What web-vitals' attribution build (node_modules/web-vitals/src/attribution/)
 * adds to a metric, derived instead from the standard build's `metric.entries`
 * and the page's Navigation and Resource Timing entries: the string and number
 * fields tracelet sends, named as sent, for a fraction of the bytes.
 * Where the values differ in form: elements are described by `describeElement`
 * (`button#buy`, `p.lead`), not web-vitals' `getSelector` (`#buy`, `html>body>p.lead`),
 * and when the metric is reported rather than when its entry arrived. Starts an
 * Event Timing observer at once, for INP's frame (the events presented with the
 * interaction).
 */
export function vitalsAttribution(): (metric: MetricType) => VitalAttribution {
  // The latest 50 slow events: the INP interaction's frame unless 50 slow events came after it
  // (web-vitals keeps the frames of its 10 longest interactions; then only the interaction's own entries count).
  let events: PerformanceEventTiming[] = [];
  let observer: PerformanceObserver | undefined;
  const keep = (list: PerformanceEntryList) => (events = [...events, ...(list as PerformanceEventTiming[])].slice(-50));
  try {
    observer = new PerformanceObserver((list) => keep(list.getEntries()));
    // web-vitals' threshold: it groups only the events it observes.
    observer.observe({ type: 'event', buffered: true, durationThreshold: 40 });
  } catch {
    // No Event Timing: web-vitals reports no INP either.
  }
  // On hide web-vitals reports before our observer's callback has run: take what is queued.
  const frameEvents = () => keep(observer?.takeRecords() ?? []);
  return (metric) =>
    metric.name === 'LCP'
      ? lcpAttribution(metric)
      : metric.name === 'INP'
        ? inpAttribution(metric, frameEvents)
        : metric.name === 'CLS'
          ? clsAttribution(metric)
          : metric.name === 'FCP'
            ? fcpAttribution(metric)
            : ttfbAttribution(metric);
}
