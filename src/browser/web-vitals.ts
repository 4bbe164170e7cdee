import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import type { Tracer } from '../core/tracer.js';
import type { Attributes } from '../core/types.js';
import { redactHref, type PagePolicy } from './lib/request-policy.js';

/**
 * Core Web Vitals from Google's `web-vitals` (attribution build): one span per
 * metric per page view, named by the metric (`LCP`, `INP`, `CLS`, `FCP`,
 * `TTFB`), with `browser.web_vital.*` attributes (name, value, rating, delta,
 * id, navigation_type) and the attribution that explains the value: the LCP
 * element, the INP interaction target and its phases, the largest layout
 * shift's source. web-vitals reports final values when the page is hidden;
 * a value that grows after the page was shown again is not sent again.
 */
export function instrumentWebVitals(tracer: Tracer, policy: PagePolicy = {}): void {
  const P = 'browser.web_vital.';
  // The attribution fields sent per metric, as `browser.web_vital.attribution.{snake_case}` (LCP's `target` as `element`).
  const ATTRIBUTION: Record<string, string> = {
    LCP: 'target url timeToFirstByte resourceLoadDelay resourceLoadDuration elementRenderDelay',
    INP: 'interactionTarget interactionType inputDelay processingDuration presentationDelay',
    CLS: 'largestShiftTarget largestShiftValue',
    FCP: 'timeToFirstByte firstByteToFCP',
    TTFB: 'waitingDuration dnsDuration connectionDuration requestDuration',
  };
  const snake = (k: string) => (k === 'target' ? 'element' : k.replace(/[A-Z]+/g, (c) => '_' + c.toLowerCase()));
  // web-vitals reports CLS and INP again, with the same id, when they grow after
  // the page was hidden and shown again; a span is final once sent, so the first
  // report per id is the one recorded (a bfcache restore is a new id).
  const seen = new Set<string>();
  const report = (metric: MetricWithAttribution) => {
    try {
      if (seen.has(metric.id)) return;
      seen.add(metric.id);
      const m = metric as unknown as Record<string, string | number>;
      const at = metric.attribution as unknown as Record<string, unknown>;
      const a: Attributes = {};
      for (const k of ['name', 'value', 'rating', 'delta', 'id', 'navigationType']) a[P + snake(k)] = m[k]!;
      for (const k of ATTRIBUTION[metric.name]!.split(' ')) {
        const v = at[k];
        // LCP's `url` is a resource URL: redacted like every url.full.
        if (typeof v === 'string' || typeof v === 'number') a[P + 'attribution.' + snake(k)] = k === 'url' && typeof v === 'string' ? redactHref(v, policy) : v;
      }
      const now = tracer.clock();
      tracer.startSpan(metric.name, { attributes: a, startTime: now, root: true }).end(now);
    } catch {
      // never break the page
    }
  };
  for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(report);
}
