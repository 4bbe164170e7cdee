/**
 * Browser instrumentations as values the app passes to `startBrowserTracing`:
 * what is not imported is not bundled.
 *
 * @example
 * import { startBrowserTracing, fetchInstrumentation, errorsInstrumentation } from 'tracelet/browser';
 * startBrowserTracing({ endpoint, instrumentations: [fetchInstrumentation(), errorsInstrumentation()] });
 */
import type { Context, ContextManager } from '../core/context.js';
import type { Tracer } from '../core/tracer.js';
import type { SpanProcessor } from '../core/types.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { instrumentDocumentLoad } from './document-load.js';
import { instrumentErrors, type ErrorOptions } from './errors.js';
import { instrumentFetch } from './fetch.js';
import { instrumentInteractions } from './interactions.js';
import type { PagePolicy, RequestPolicy } from './lib/request-policy.js';
import type { TimingDetails } from './lib/resource-timing.js';
import { numberOption } from '../core/diag.js';
import { afterLoad } from './lib/after-load.js';
import { instrumentNavigation } from './navigation.js';
import { instrumentResourceTiming } from './resource-timing.js';
import { sessionProcessor, type SessionOptions } from './session.js';
import { instrumentWebVitals } from './web-vitals.js';
import { instrumentXhr } from './xhr.js';

/** What an instrumentation gets when `startBrowserTracing` installs it. */
export interface InstallContext {
  tracer: Tracer;
  propagator: TextMapPropagator;
  contextManager: ContextManager;
  /** Shared by fetch and XHR; the navigation instrumentation sets `parentFor`. */
  policy: RequestPolicy & { propagator: TextMapPropagator; contextManager: ContextManager; parentFor?: (context: Context) => Context };
  /** The collector URL (never traced). */
  exporterUrl: string;
  /** Runs when the page is hidden, before the queued spans are sent. */
  onHide(fn: () => void): void;
}

export interface BrowserInstrumentation {
  /** Sees every span (the session instrumentation adds `session.id`). */
  processor?: SpanProcessor;
  /** Installed before the others (navigation: fetch and XHR ask it for a parent). */
  first?: boolean;
  /** Installs; returns the uninstall. */
  install(context: InstallContext): (() => void) | void;
}

/**
 * What a page-level instrumentation is installed with: from the shared policy
 * the collector, ignored URLs and redaction, then its own `options`, then the
 * context manager (interactions and navigation make their spans active with it).
 */
const pageOptions = <O>({ policy, contextManager }: InstallContext, options?: O): PagePolicy & O & { contextManager: ContextManager } => ({
  exporterUrl: policy.exporterUrl,
  ignoreUrls: policy.ignoreUrls,
  redactQueryParams: policy.redactQueryParams,
  ...(options as O),
  contextManager,
});

/** Options of `fetchInstrumentation` and `xhrInstrumentation`. */
export interface RequestInstrumentationOptions {
  /** Resource Timing details on each span: `resourceTimingDetails()` (an opt-in import). */
  details?: TimingDetails;
}

/**
 * Installs fetch or XHR instrumentation with a view of the shared policy
 * (later parentFor settings show through) plus `options`; spans that wait for
 * their Resource Timing entry end when the page is hidden.
 */
const requests =
  (instrument: typeof instrumentFetch | typeof instrumentXhr) =>
  (options: RequestInstrumentationOptions = {}): BrowserInstrumentation => ({
    install(c) {
      if (options.details) c.onHide(options.details.flush);
      return instrument(c.tracer, Object.assign(Object.create(c.policy) as InstallContext['policy'], options));
    },
  });

/** fetch: a CLIENT span per request, trace headers to same-origin and allow-listed URLs. */
export const fetchInstrumentation = /* @__PURE__ */ requests(instrumentFetch);

/** XMLHttpRequest: as fetch. */
export const xhrInstrumentation = /* @__PURE__ */ requests(instrumentXhr);

/** Clicks and submits (configurable) as spans that parent the requests their handlers make. */
export function interactionsInstrumentation(options: { events?: string[] } = {}): BrowserInstrumentation {
  return { install: (c) => instrumentInteractions(c.tracer, pageOptions(c, options)) };
}

/** `error` and `unhandledrejection` (console errors opt-in), deduplicated and rate-limited. */
export function errorsInstrumentation(options: ErrorOptions = {}): BrowserInstrumentation {
  // Checked here, at the app's call: a bad value is a TypeError at startup, not an instrumentation that is off.
  numberOption('errors.maxPerMinute', options.maxPerMinute, 10, '>=0');
  return { install: (c) => instrumentErrors(c.tracer, pageOptions(c, options)) };
}

/** SPA route changes (pushState, replaceState, popstate, hashchange) as `navigation` spans. */
export function navigationInstrumentation(options: { settleMs?: number } = {}): BrowserInstrumentation {
  numberOption('navigation.settleMs', options.settleMs, 1000, '>=0');
  return {
    first: true,
    install(c) {
      const n = instrumentNavigation(c.tracer, pageOptions(c, options));
      c.policy.parentFor = n.parentFor;
      c.onHide(n.endPending);
      return n.uninstall;
    },
  };
}

/** `session.id` (kept in localStorage) and `browser.page_view.id` on every span. */
export function sessionInstrumentation(options: SessionOptions = {}): BrowserInstrumentation {
  return { processor: sessionProcessor(options), install() {} };
}

/**
 * `documentLoad` from Navigation Timing with `documentFetch` and `resourceFetch` children.
 * Server-Timing and `<meta name="traceparent">` carry W3C Trace Context whatever the app
 * injects, read by a small built-in parser; pass `{ propagator: new W3CTraceContextPropagator() }`
 * to also take the `tracestate` of `<meta name="tracestate">` (it bundles the tracestate parser).
 */
export function documentLoadInstrumentation(options: { propagator?: TextMapPropagator } = {}): BrowserInstrumentation {
  return { install: (c) => instrumentDocumentLoad(c.tracer, pageOptions(c, options)) };
}

/**
 * LCP, INP, CLS, FCP and TTFB from web-vitals (standard build), one span each per page view,
 * with the attribution that explains each value derived from the metric's entries.
 * `webVitalsAttributionInstrumentation()` uses web-vitals' attribution build instead, every field.
 */
export function webVitalsInstrumentation(): BrowserInstrumentation {
  return { install: (c) => instrumentWebVitals(c.tracer, pageOptions(c)) };
}

/** Resources loaded after the page load, sampled (default 10 %). */
export function resourceTimingInstrumentation(options: { sampleRate?: number } = {}): BrowserInstrumentation {
  // Installed after the load event: a bad value checked only then would throw from that event.
  numberOption('resourceTiming.sampleRate', options.sampleRate, 0.1, '0-1');
  return {
    install(c) {
      let uninstall: (() => void) | undefined;
      const off = afterLoad(() => (uninstall = instrumentResourceTiming(c.tracer, pageOptions(c, options))));
      return () => (off(), uninstall?.());
    },
  };
}
