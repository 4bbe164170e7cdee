import { numberOption } from '../core/diag.js';
import type { Tracer } from '../core/tracer.js';
import { SpanKind } from '../core/types.js';
import { resourceAttributes } from './lib/resource-timing.js';
import { isRecordedResource, redactHref, type PagePolicy } from './lib/request-policy.js';

export interface ResourceTimingOptions extends PagePolicy {
  /** Share of resources recorded (default 0.1). */
  sampleRate?: number;
}

/**
 * Resources loaded after the page load (images, scripts, styles; fetch and XHR
 * have their own spans) as `resourceFetch` spans, sampled. Opt-in: a busy
 * page loads many resources. https://www.w3.org/TR/resource-timing/
 */
export function instrumentResourceTiming(tracer: Tracer, options: ResourceTimingOptions = {}): () => void {
  const rate = numberOption('resourceTiming.sampleRate', options.sampleRate, 0.1, 'number from 0 to 1');
  if (typeof PerformanceObserver !== 'function') return () => {};
  const observer = new PerformanceObserver((list) => {
    const origin = performance.timeOrigin;
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      if (!isRecordedResource(entry, options) || Math.random() >= rate) continue;
      tracer
        .startSpan('resourceFetch', {
          kind: SpanKind.CLIENT,
          startTime: origin + entry.startTime,
          attributes: { 'url.full': redactHref(entry.name, options), 'browser.resource.initiator_type': entry.initiatorType, ...resourceAttributes(entry) },
        })
        .end(origin + entry.responseEnd);
    }
  });
  try {
    observer.observe({ type: 'resource' });
  } catch {
    return () => {};
  }
  return () => observer.disconnect();
}
