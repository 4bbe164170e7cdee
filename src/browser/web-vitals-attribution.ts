import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import type { Tracer } from '../core/tracer.js';
import type { BrowserInstrumentation } from './instrumentations.js';
import { recordVitals } from './lib/record-vitals.js';
import type { PagePolicy } from './lib/request-policy.js';

/**
 * Core Web Vitals from web-vitals' attribution build (about 1.2 KB gzip more in an
 * app bundle than `instrumentWebVitals`): its spans with every string and
 * number field of `metric.attribution` as `browser.web_vital.attribution.{snake_case}`
 * (LCP's `target` as `element`, its `url` redacted): also INP's `interaction_time`,
 * `next_paint_time`, `load_state` and Long Animation Frame totals
 * (`total_script_duration`, ...), CLS's `largest_shift_time`, FCP's `load_state`;
 * elements as web-vitals' selectors (`#buy`, `html>body>p.lead`). Install it instead
 * of `instrumentWebVitals`, not beside it.
 */
export function instrumentWebVitalsAttribution(tracer: Tracer, policy: PagePolicy = {}): void {
  recordVitals(tracer, policy, [onLCP, onINP, onCLS, onFCP, onTTFB], (metric: MetricWithAttribution) => metric.attribution);
}

/**
 * LCP, INP, CLS, FCP and TTFB with all of web-vitals' attribution, one span each
 * per page view: `webVitalsInstrumentation()` with the attribution build, for
 * apps that want every field. In place of `webVitalsInstrumentation()`.
 *
 * @example
 * import { startBrowserTracing, webVitalsAttributionInstrumentation } from 'tracelet/browser';
 * startBrowserTracing({ endpoint, instrumentations: [webVitalsAttributionInstrumentation()] });
 */
export function webVitalsAttributionInstrumentation(): BrowserInstrumentation {
  return { install: (c) => instrumentWebVitalsAttribution(c.tracer, c.policy) };
}
