import type { Context, ContextManager } from '../core/context.js';
import { warnOnce } from '../core/diag.js';
import { setSpan } from '../core/span-in-context.js';
import { SyncContextManager } from '../core/sync-context-manager.js';
import type { Span } from '../core/types.js';
import { AsyncContextManager, nativeAsyncContext } from '../context/async-context.js';
import { ZoneContextManager, getZone } from '../context/zone.js';
import { createTracing, type Tracing, type TracingOptions } from '../tracing.js';
import { instrumentFetch } from './fetch.js';
import { DEFAULT_REDACTED_QUERY_PARAMS, type UrlPattern } from '../http/urls.js';
import { endPendingResourceSpans } from './lib/resource-timing.js';
import { BrowserDelivery } from './unload-delivery.js';
import { instrumentXhr } from './xhr.js';
import { instrumentInteractions } from './interactions.js';
import { instrumentErrors, type ErrorOptions } from './errors.js';
import { instrumentNavigation } from './navigation.js';
import { sessionProcessor, type SessionOptions } from './session.js';
import { instrumentDocumentLoad } from './document-load.js';
import { instrumentWebVitals } from './web-vitals.js';
import { instrumentResourceTiming } from './resource-timing.js';

type InteractionOptionsPublic = { events?: string[] };

export interface BrowserTracingOptions extends Omit<TracingOptions, 'exporter' | 'contextManager' | 'baseUrl' | 'sdkLanguage' | 'clock'> {
  /** Cross-origin URLs (prefixes or RegExps) that may receive trace headers; same-origin always does. */
  propagateTo?: UrlPattern[];
  /** URLs that get neither spans nor headers. */
  ignoreUrls?: UrlPattern[];
  /** Query parameters redacted in `url.full` (default: the semantic conventions' list). */
  redactQueryParams?: string[];
  /** Shorthand for `sampler: 'parentbased_traceidratio', samplerArg: sampleRate`. */
  sampleRate?: number;
  /** `'auto'` (default: zone.js if loaded, then AsyncContext, then sync), a name, or a ContextManager. */
  contextManager?: 'auto' | 'zone' | 'async-context' | 'sync' | ContextManager;
  /** Which instrumentations to install (default: all on; console errors off). */
  instrumentations?: {
    fetch?: boolean;
    xhr?: boolean;
    interactions?: boolean | InteractionOptionsPublic;
    errors?: boolean | ErrorOptions;
    navigation?: boolean;
    session?: boolean | SessionOptions;
    documentLoad?: boolean;
    webVitals?: boolean;
    /** Resources loaded after the page load, sampled (default off; `{ sampleRate: 0.1 }`). */
    resourceTiming?: boolean | { sampleRate?: number };
  };
  /** Keep undeliverable spans in localStorage for the next load (default true). */
  persist?: boolean;
  maxStoredBytes?: number;
}

export interface BrowserTracing extends Tracing {
  /** Removes every patch and listener tracelet installed. */
  uninstall(): void;
  /** `fn` bound to the context active now: call it after an `await` to keep the parent. */
  bind<F extends (...args: never[]) => unknown>(fn: F): F;
  /** Runs `fn` with `span` active. */
  withSpan<T>(span: Span, fn: () => T): T;
}

function pickContextManager(choice: BrowserTracingOptions['contextManager']): ContextManager {
  if (choice && typeof choice === 'object') return choice;
  const wanted = choice ?? 'auto';
  if (wanted === 'zone' || (wanted === 'auto' && getZone())) {
    if (getZone()) return new ZoneContextManager();
    warnOnce('no-zone', 'contextManager "zone" needs zone.js loaded before tracelet; using the synchronous context manager');
  }
  if (wanted === 'async-context' || wanted === 'auto') {
    const storage = nativeAsyncContext();
    if (storage) return new AsyncContextManager(storage);
    if (wanted === 'async-context') warnOnce('no-async-context', 'this browser has no AsyncContext; using the synchronous context manager');
  }
  if (!['auto', 'zone', 'async-context', 'sync'].includes(wanted)) {
    throw new TypeError(`tracelet: contextManager must be 'auto', 'zone', 'async-context', 'sync' or a ContextManager, got ${String(wanted)}`);
  }
  return new SyncContextManager();
}

/**
 * Starts tracing in a page: fetch and XHR spans with W3C trace headers to
 * same-origin and allow-listed URLs, OTLP/HTTP JSON export that survives the
 * page being hidden or closed.
 *
 * @example
 * import { startBrowserTracing } from 'tracelet/browser';
 * const { tracer } = startBrowserTracing({
 *   serviceName: 'shop-web',
 *   endpoint: 'https://otel.example.com/v1/traces',
 *   propagateTo: ['https://api.example.com'],
 * });
 */
export function startBrowserTracing(options: BrowserTracingOptions = {}): BrowserTracing {
  const {
    propagateTo = [],
    ignoreUrls = [],
    redactQueryParams = DEFAULT_REDACTED_QUERY_PARAMS,
    sampleRate,
    contextManager: cmChoice,
    propagators,
    instrumentations = {},
    persist,
    maxStoredBytes,
    ...core
  } = options;
  for (const [name, list] of [['propagateTo', propagateTo], ['ignoreUrls', ignoreUrls]] as const) {
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string' || p instanceof RegExp)) {
      throw new TypeError(`tracelet: ${name} must be an array of strings and RegExps`);
    }
  }
  const contextManager = pickContextManager(cmChoice);
  const delivery = new BrowserDelivery({
    endpoint: core.endpoint,
    baseUrl: globalThis.location?.href,
    headers: core.headers,
    // Content-Encoding is not a CORS-safelisted header and collectors do not
    // allow it by default; compress only when asked.
    compression: core.compression ?? 'none',
    timeoutMillis: core.timeoutMillis,
    retry: core.retry,
    persist,
    maxStoredBytes,
  });
  const session = instrumentations.session === false ? undefined : sessionProcessor(typeof instrumentations.session === 'object' ? instrumentations.session : {});
  const tracing = createTracing({
    ...core,
    spanProcessors: [...(session ? [session] : []), ...(core.spanProcessors ?? [])],
    ...(sampleRate !== undefined ? { sampler: 'parentbased_traceidratio', samplerArg: sampleRate } : {}),
    exporter: delivery,
    contextManager,
    propagators: propagators ?? 'tracecontext,baggage',
    sdkLanguage: 'webjs',
  });
  const propagator = tracing.propagator;
  const tracer = tracing.getTracer('tracelet.browser');
  const uninstalls: (() => void)[] = [];
  const navigation = instrumentations.navigation === false ? undefined : instrumentNavigation(tracer, { contextManager });
  if (navigation) uninstalls.push(navigation.uninstall);
  const policy = { propagator, contextManager, propagateTo, ignoreUrls, exporterUrl: delivery.otlp.endpoint, redactQueryParams, parentFor: navigation?.parentFor };
  if (instrumentations.interactions !== false) {
    const o = typeof instrumentations.interactions === 'object' ? instrumentations.interactions : {};
    uninstalls.push(instrumentInteractions(tracer, { ...o, contextManager }));
  }
  if (instrumentations.errors !== false) uninstalls.push(instrumentErrors(tracer, typeof instrumentations.errors === 'object' ? instrumentations.errors : {}));
  if (instrumentations.documentLoad !== false) uninstalls.push(instrumentDocumentLoad(tracer, { propagator }));
  if (instrumentations.resourceTiming) {
    const o = typeof instrumentations.resourceTiming === 'object' ? instrumentations.resourceTiming : {};
    const after = () => uninstalls.push(instrumentResourceTiming(tracer, { ...o, exporterUrl: delivery.otlp.endpoint }));
    if (document.readyState === 'complete') after();
    else addEventListener('load', after, { once: true });
  }
  // Before the hide listeners below: web-vitals reports final values on hide, and they must be queued before we send.
  if (instrumentations.webVitals !== false) instrumentWebVitals(tracer);
  if (instrumentations.fetch !== false) uninstalls.push(instrumentFetch(tracer, policy));
  if (instrumentations.xhr !== false) uninstalls.push(instrumentXhr(tracer, policy));

  // Delivery while the page goes away (https://developer.chrome.com/docs/web-platform/page-lifecycle-api):
  // `visibilitychange` to hidden is the last event reliably fired on mobile;
  // `pagehide` covers navigations and bfcache on desktop.
  const onHide = () => {
    try {
      endPendingResourceSpans();
      navigation?.endPending();
      if (tracing.batchProcessor) delivery.sendNow(tracing.batchProcessor.takeAll());
    } catch {
      // never throw from a page event
    }
  };
  const onVisibility = () => {
    if (globalThis.document?.visibilityState === 'hidden') onHide();
  };
  globalThis.addEventListener?.('pagehide', onHide);
  globalThis.document?.addEventListener?.('visibilitychange', onVisibility);
  uninstalls.push(() => {
    globalThis.removeEventListener?.('pagehide', onHide);
    globalThis.document?.removeEventListener?.('visibilitychange', onVisibility);
  });
  void delivery.sendStored();

  return {
    ...tracing,
    tracer,
    uninstall() {
      for (const u of uninstalls.splice(0)) u();
    },
    bind(fn) {
      return contextManager.bind(contextManager.active(), fn);
    },
    withSpan(span, fn) {
      return contextManager.with(setSpan(contextManager.active() as Context, span), fn);
    },
  };
}
