import { onCLS, onFCP, onINP, onLCP, onTTFB } from 'web-vitals';
import type { Tracer } from '../core/tracer.js';
import { recordVitals } from './lib/record-vitals.js';
import type { PagePolicy } from './lib/request-policy.js';
import { vitalsAttribution } from './lib/vitals-attribution.js';

/**
 * Core Web Vitals from Google's `web-vitals` (standard build): one span per
 * metric per page view, named by the metric (`LCP`, `INP`, `CLS`, `FCP`,
 * `TTFB`), with `browser.web_vital.*` attributes (name, value, rating, delta,
 * id, navigation_type) and `browser.web_vital.attribution.*`, the fields of
 * web-vitals' attribution build that explain the value, derived here from the
 * metric's entries at a fraction of its size (lib/vitals-attribution.ts): the
 * LCP element, URL and parts, the INP interaction target and its phases, the
 * largest layout shift and its element, FCP and TTFB split. web-vitals reports
 * final values when the page is hidden; a value that grows after the page was
 * shown again is not sent again. `instrumentWebVitalsAttribution`
 * (web-vitals-attribution.ts) sends every field of the attribution build instead.
 */
export function instrumentWebVitals(tracer: Tracer, policy: PagePolicy = {}): void {
  recordVitals(tracer, policy, [onLCP, onINP, onCLS, onFCP, onTTFB], vitalsAttribution());
}
