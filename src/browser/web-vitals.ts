import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution';
import type { Tracer } from '../core/tracer.js';
import type { Attributes } from '../core/types.js';

/**
 * Core Web Vitals from Google's `web-vitals` (attribution build): one span per
 * metric per page view, named by the metric (`LCP`, `INP`, `CLS`, `FCP`,
 * `TTFB`), with `browser.web_vital.*` attributes (name, value, rating, delta,
 * id, navigation_type) and the attribution that explains the value: the LCP
 * element, the INP interaction target and its phases, the largest layout
 * shift's source. web-vitals reports final values when the page is hidden.
 */
export function instrumentWebVitals(tracer: Tracer): void {
  const report = (metric: MetricWithAttribution) => {
    try {
      const a: Attributes = {
        'browser.web_vital.name': metric.name,
        'browser.web_vital.value': metric.value,
        'browser.web_vital.rating': metric.rating,
        'browser.web_vital.delta': metric.delta,
        'browser.web_vital.id': metric.id,
        'browser.web_vital.navigation_type': metric.navigationType,
      };
      const at = metric.attribution as unknown as Record<string, unknown>;
      const copy = (from: string, to: string) => {
        const v = at[from];
        if (typeof v === 'string' || typeof v === 'number') a['browser.web_vital.attribution.' + to] = v;
      };
      switch (metric.name) {
        case 'LCP':
          copy('target', 'element');
          copy('url', 'url');
          copy('timeToFirstByte', 'time_to_first_byte');
          copy('resourceLoadDelay', 'resource_load_delay');
          copy('resourceLoadDuration', 'resource_load_duration');
          copy('elementRenderDelay', 'element_render_delay');
          break;
        case 'INP':
          copy('interactionTarget', 'interaction_target');
          copy('interactionType', 'interaction_type');
          copy('inputDelay', 'input_delay');
          copy('processingDuration', 'processing_duration');
          copy('presentationDelay', 'presentation_delay');
          break;
        case 'CLS':
          copy('largestShiftTarget', 'largest_shift_target');
          copy('largestShiftValue', 'largest_shift_value');
          break;
        case 'FCP':
          copy('timeToFirstByte', 'time_to_first_byte');
          copy('firstByteToFCP', 'first_byte_to_fcp');
          break;
        case 'TTFB':
          copy('waitingDuration', 'waiting_duration');
          copy('dnsDuration', 'dns_duration');
          copy('connectionDuration', 'connection_duration');
          copy('requestDuration', 'request_duration');
          break;
      }
      const now = tracer.clock();
      tracer.startSpan(metric.name, { attributes: a, startTime: now, root: true }).end(now);
    } catch {
      // never break the page
    }
  };
  onLCP(report);
  onINP(report);
  onCLS(report);
  onFCP(report);
  onTTFB(report);
}
