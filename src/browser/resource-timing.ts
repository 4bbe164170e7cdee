import { numberOption } from '../core/diag.js';
import type { Tracer } from '../core/tracer.js';
import { resourceSpan } from './lib/resource-timing.js';
import { isRecordedResource, type PagePolicy } from './lib/request-policy.js';

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
  const rate = numberOption('resourceTiming.sampleRate', options.sampleRate, 0.1, '0-1');
  if (typeof PerformanceObserver !== 'function') return () => {};
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
      if (isRecordedResource(entry, options) && Math.random() < rate) resourceSpan(tracer, 'resourceFetch', entry, options);
    }
  });
  try {
    observer.observe({ type: 'resource' });
  } catch {
    return () => {};
  }
  return () => observer.disconnect();
}
