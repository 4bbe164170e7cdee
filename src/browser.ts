/** tracelet/browser: tracing for web pages. Import the instrumentations you use; the rest is not bundled. */
export { startBrowserTracing, type BrowserTracing, type BrowserTracingOptions } from './browser/start.js';
export {
  fetchInstrumentation,
  xhrInstrumentation,
  interactionsInstrumentation,
  errorsInstrumentation,
  navigationInstrumentation,
  sessionInstrumentation,
  documentLoadInstrumentation,
  webVitalsInstrumentation,
  resourceTimingInstrumentation,
  type BrowserInstrumentation,
  type InstallContext,
  type RequestInstrumentationOptions,
} from './browser/instrumentations.js';
export { resourceTimingDetails, type TimingDetails } from './browser/lib/resource-timing.js';
export { gzip, type Compressor } from './export/gzip.js';
export { spanLimits } from './core/limits.js';
export { rumInstrumentations, autoContextManager, RUM_NAMES, type RumSelection } from './browser/rum.js';
export { instrumentFetch, type FetchInstrumentationOptions } from './browser/fetch.js';
export { instrumentXhr, type XhrInstrumentationOptions } from './browser/xhr.js';
export { BrowserDelivery, type BrowserDeliveryOptions } from './browser/unload-delivery.js';
export type { UrlPattern } from './http/urls.js';
export * from './index.js';
export { instrumentInteractions, type InteractionOptions } from './browser/interactions.js';
export { instrumentErrors, type ErrorOptions } from './browser/errors.js';
export { instrumentNavigation, type NavigationOptions } from './browser/navigation.js';
export { sessionProcessor, type SessionOptions } from './browser/session.js';
export { instrumentDocumentLoad } from './browser/document-load.js';
export { instrumentWebVitals } from './browser/web-vitals.js';
export { webVitalsAttributionInstrumentation, instrumentWebVitalsAttribution } from './browser/web-vitals-attribution.js';
export { instrumentResourceTiming, type ResourceTimingOptions } from './browser/resource-timing.js';
