import type { Metric } from 'web-vitals';
import type { Tracer } from '../../core/tracer.js';
import type { Attributes } from '../../core/types.js';
import { redactHref, type PagePolicy } from './request-policy.js';

/** web-vitals' `onLCP`, `onINP`, ...: each calls `report` with its metric. */
type OnMetric<M> = (report: (metric: M) => void) => void;

const P = 'browser.web_vital.';
// `navigationType` -> `navigation_type`, `firstByteToFCP` -> `first_byte_to_fcp`; LCP's `target` is sent as `element`.
const snake = (k: string) => (k === 'target' ? 'element' : k.replace(/[A-Z]+/g, (c) => '_' + c.toLowerCase()));

/**
 * Records web-vitals metrics as spans: one per metric id, named by the metric
 * (`LCP`, `INP`, `CLS`, `FCP`, `TTFB`), with `browser.web_vital.*` (name,
 * value, rating, delta, id, navigation_type) and, for each string or number
 * field of `attribution(metric)`, `browser.web_vital.attribution.{snake_case}`.
 */
export function recordVitals<M extends Metric>(tracer: Tracer, policy: PagePolicy, ons: OnMetric<M>[], attribution: (metric: M) => object): void {
  // web-vitals reports CLS and INP again, with the same id, when they grow after
  // the page was hidden and shown again; a span is final once sent, so the first
  // report per id is the one recorded (a bfcache restore is a new id).
  const seen = new Set<string>();
  const report = (metric: M) => {
    try {
      if (seen.has(metric.id)) return;
      seen.add(metric.id);
      const m = metric as unknown as Record<string, string | number>;
      const a: Attributes = {};
      for (const k of ['name', 'value', 'rating', 'delta', 'id', 'navigationType']) a[P + snake(k)] = m[k]!;
      // The registry's values for browser.web_vital.name are lower case (lcp, inp, cls, fcp, ttfb); the span keeps web-vitals' name.
      a[P + 'name'] = String(m.name).toLowerCase();
      // Own keys only: a page may have extended Object.prototype.
      for (const [k, v] of Object.entries(attribution(metric))) {
        // LCP's `url` is a resource URL: redacted like every url.full.
        if (typeof v === 'string' || typeof v === 'number') a[P + 'attribution.' + snake(k)] = k === 'url' ? redactHref(String(v), policy) : v;
      }
      const now = tracer.clock();
      tracer.startSpan(metric.name, { attributes: a, startTime: now, root: true }).end(now);
    } catch {
      // never break the page
    }
  };
  for (const on of ons) on(report);
}
