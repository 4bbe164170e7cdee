import type { ContextManager } from '../core/context.js';
import { fail, numberOption, warnOnce } from '../core/diag.js';
import { createPipeline, type PipelineOptions, type Tracing } from '../pipeline.js';
import { alwaysOn, parentBased, traceIdRatio } from '../core/sampler.js';
import { setSpan } from '../core/span-in-context.js';
import type { Sampler, Span } from '../core/types.js';
import type { TracingOptions } from '../tracing.js';
import { DEFAULT_REDACTED_QUERY_PARAMS, type UrlPattern } from '../http/urls.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { W3CInjector } from '../propagation/trace-context-inject.js';
import type { BrowserInstrumentation, InstallContext } from './instrumentations.js';
import { BrowserDelivery } from './unload-delivery.js';
import { VERSION } from '../version.js';

/** The options that mean the same as `createTracing`'s. */
type SharedOptions = Pick<
  TracingOptions,
  'serviceName' | 'serviceVersion' | 'environment' | 'resource' | 'headers' | 'timeoutMillis' | 'retry' | 'batch' | 'spanLimits' | 'spanProcessors' | 'registerGlobals'
>;

export interface BrowserTracingOptions extends SharedOptions {
  /** OTLP/HTTP traces URL (default `http://localhost:4318/v1/traces`), absolute or relative to the page. */
  endpoint?: string;
  /** `'none'` (default: Content-Encoding is not CORS-safelisted) or `'gzip'`. */
  compression?: 'gzip' | 'none';
  /** What to record: `[fetchInstrumentation(), ...]`, or `rumInstrumentations()` for everything. Default none. */
  instrumentations?: BrowserInstrumentation[];
  /** Cross-origin URLs (prefixes or RegExps) that may receive trace headers; same-origin always does. */
  propagateTo?: UrlPattern[];
  /** URLs that get neither spans nor headers. */
  ignoreUrls?: UrlPattern[];
  /** Query parameters redacted in `url.full` (default: the semantic conventions' list). */
  redactQueryParams?: string[];
  /** A Sampler (default `parentBased(alwaysOn())`). */
  sampler?: Sampler;
  /** Shorthand for `sampler: parentBased(traceIdRatio(sampleRate))`. */
  sampleRate?: number;
  /** Where the active span lives: a ContextManager (default the synchronous stack; `autoContextManager()` picks zone.js when loaded). */
  contextManager?: ContextManager;
  /** Headers to inject (default `W3CInjector`: traceparent, tracestate, baggage; e.g. `createPropagator('tracecontext,baggage,b3')`). */
  propagators?: TextMapPropagator;
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

const KNOWN = 'serviceName serviceVersion environment resource endpoint headers compression timeoutMillis retry batch spanLimits spanProcessors instrumentations propagateTo ignoreUrls redactQueryParams sampler sampleRate contextManager propagators registerGlobals persist maxStoredBytes'.split(' ');

function patterns(name: string, list: UrlPattern[] | undefined): UrlPattern[] {
  list ??= [];
  return Array.isArray(list) && list.every((p) => typeof p === 'string' || p instanceof RegExp) ? list : fail(name + ' must be an array of strings and RegExps');
}

/**
 * Starts tracing in a page with the instrumentations passed in; export as
 * OTLP/HTTP JSON that survives the page being hidden or closed. Only what is
 * imported is bundled.
 *
 * @example
 * import { startBrowserTracing, fetchInstrumentation } from 'tracelet/browser';
 * const { tracer } = startBrowserTracing({
 *   serviceName: 'shop-web',
 *   endpoint: 'https://otel.example.com/v1/traces',
 *   propagateTo: ['https://api.example.com'],
 *   instrumentations: [fetchInstrumentation()],
 * });
 */
export function startBrowserTracing(o: BrowserTracingOptions = {}): BrowserTracing {
  if (typeof o !== 'object' || !o) fail('startBrowserTracing(options) takes an object');
  for (const key of Object.keys(o)) if (!KNOWN.includes(key)) warnOnce('unknown-option:' + key, `unknown option "${key}" ignored; see the README for the options`);
  // Only the known options go on to the parts (read through getters and prototypes alike).
  const known = Object.fromEntries(KNOWN.map((key) => [key, o[key as keyof BrowserTracingOptions]])) as BrowserTracingOptions;
  const { contextManager, sampleRate: rate } = known;
  const instrumentations = known.instrumentations ?? [];
  if (!Array.isArray(instrumentations) || !instrumentations.every((i) => typeof i?.install === 'function')) {
    fail('instrumentations must be an array such as [fetchInstrumentation(), xhrInstrumentation()] (or rumInstrumentations())');
  }
  if (contextManager !== undefined && typeof contextManager?.active !== 'function') {
    fail('contextManager must be a ContextManager, e.g. autoContextManager() or new ZoneContextManager() from tracelet/zone');
  }
  if (!contextManager && (globalThis as { Zone?: unknown }).Zone) {
    warnOnce('zone-unused', 'zone.js is loaded but the synchronous context manager is in use: pass contextManager: autoContextManager() to follow async work');
  }
  if (rate !== undefined) numberOption('sampleRate', rate, undefined, 'number from 0 to 1');
  return startChecked(known, instrumentations, patterns('propagateTo', known.propagateTo), patterns('ignoreUrls', known.ignoreUrls), createPipeline);
}

/**
 * `startBrowserTracing` after its checks: `known` holds only known options,
 * each of the right type, and the lists are given (`[]` for none); `pipeline`
 * is `createPipeline` (which checks the pipeline's parts) or, for parts valid
 * by construction, `buildPipeline`. The script tag builds such options from its
 * attributes (checking data-sample-rate itself) and passes `buildPipeline`, so
 * it carries none of the checks.
 */
export function startChecked(
  known: BrowserTracingOptions,
  instrumentations: BrowserInstrumentation[],
  propagateTo: UrlPattern[],
  ignoreUrls: UrlPattern[],
  pipeline: (options: PipelineOptions) => Tracing,
): BrowserTracing {
  const delivery = new BrowserDelivery({
    ...known,
    // Content-Encoding is not a CORS-safelisted header and collectors do not
    // allow it by default; compress only when asked.
    compression: known.compression ?? 'none',
    baseUrl: globalThis.location?.href,
  });
  const tracing = pipeline({
    ...known,
    exporter: delivery,
    sampler: known.sampler ?? parentBased(known.sampleRate !== undefined ? traceIdRatio(known.sampleRate) : alwaysOn()),
    // The browser only injects: by default no extractor and no tracestate or baggage parser are bundled.
    propagator: known.propagators ?? new W3CInjector(),
    spanProcessors: [...instrumentations.flatMap((i) => (i.processor ? [i.processor] : [])), ...(known.spanProcessors ?? [])],
    // telemetry.sdk.language: the pipeline's default, webjs.
  });
  const { propagator, contextManager: cm, batchProcessor } = tracing;
  const hideHooks = new Set<() => void>();
  const exporterUrl = delivery.endpoint;
  const install: InstallContext = {
    tracer: tracing.getTracer('tracelet.browser', VERSION),
    propagator,
    contextManager: cm,
    exporterUrl,
    policy: { propagator, contextManager: cm, propagateTo, ignoreUrls, exporterUrl, redactQueryParams: known.redactQueryParams ?? DEFAULT_REDACTED_QUERY_PARAMS },
    onHide: (fn) => hideHooks.add(fn),
  };
  const uninstalls: (() => void)[] = [];
  // Navigation first: fetch and XHR ask it for a parent. Web vitals are installed
  // before the hide listeners below: they report final values on hide, which must
  // be queued before we send.
  for (const i of [...instrumentations.filter((i) => i.first), ...instrumentations.filter((i) => !i.first)]) {
    try {
      const u = i.install(install);
      if (u) uninstalls.push(u);
    } catch (error) {
      warnOnce('install-failed', `an instrumentation failed to install and is off: ${String(error)}`);
    }
  }

  // Delivery while the page goes away (https://developer.chrome.com/docs/web-platform/page-lifecycle-api):
  // `visibilitychange` to hidden is the last event reliably fired on mobile;
  // `pagehide` covers navigations and bfcache on desktop.
  const onHide = (event: Event) => {
    try {
      if (event.type === 'securitypolicyviolation') {
        // Not a report-only policy: that one lets the request through.
        // Only connect-src governs fetch and beacons (https://www.w3.org/TR/CSP3/#directive-connect-src);
        // it is the effective directive also when default-src gave the rule.
        const { blockedURI: uri, disposition, effectiveDirective } = event as SecurityPolicyViolationEvent;
        // From then on the delivery sends nothing and keeps the spans for a later load.
        if (uri && exporterUrl.startsWith(uri) && disposition === 'enforce' && effectiveDirective === 'connect-src') delivery.refusedByPage();
      } else if (event.type === 'pagehide' || document.visibilityState === 'hidden') {
        for (const h of hideHooks) h();
        if (batchProcessor) delivery.sendNow(batchProcessor.takeAll());
      }
    } catch {
      // never throw from a page event
    }
  };
  const listen = (add: boolean) => {
    const m = add ? 'addEventListener' : 'removeEventListener';
    // A violation is fired at the document and bubbles to the window.
    for (const type of ['pagehide', 'securitypolicyviolation']) globalThis[m]?.(type, onHide);
    globalThis.document?.[m]('visibilitychange', onHide);
  };
  listen(true);
  uninstalls.push(() => listen(false));
  void delivery.sendStored();

  return {
    ...tracing,
    tracer: install.tracer,
    uninstall() {
      for (const u of uninstalls.splice(0)) u();
    },
    bind: (fn) => cm.bind(cm.active(), fn),
    withSpan: (span, fn) => cm.with(setSpan(cm.active(), span), fn),
  };
}
