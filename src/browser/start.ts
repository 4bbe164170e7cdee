import type { ContextManager } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { fail, numberOption, warnOnce } from '../core/diag.js';
import { buildPipeline, checkParts, type PipelineOptions, type Tracing } from '../pipeline.js';
import { alwaysOn, parentBased, traceIdRatio } from '../core/sampler.js';
import { setSpan } from '../core/span-in-context.js';
import { CHECKED_LIMITS, type ResolvedSpanLimits, type SpanLimits } from '../core/limits.js';
import type { Sampler, Span } from '../core/types.js';
import type { TracingOptions } from '../tracing.js';
import { DEFAULT_REDACTED_QUERY_PARAMS, type UrlPattern } from '../http/urls.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { TraceContextInjector } from '../propagation/trace-context-inject.js';
import type { BrowserInstrumentation, InstallContext } from './instrumentations.js';
import { BrowserDelivery, type BrowserDeliveryOptions } from './unload-delivery.js';
import { VERSION } from '../version.js';

/** The options that mean the same as `createTracing`'s. */
type SharedOptions = Pick<TracingOptions, 'serviceName' | 'serviceVersion' | 'environment' | 'resource' | 'headers' | 'timeoutMillis' | 'retry' | 'spanProcessors' | 'registerGlobals'>;

export interface BrowserTracingOptions extends SharedOptions {
  /** OTLP/HTTP traces URL (default `http://localhost:4318/v1/traces`), absolute or relative to the page. */
  endpoint?: string;
  /** `'none'` (default: Content-Encoding is not CORS-safelisted) or `gzip` imported from `tracelet/browser`. */
  compression?: BrowserDeliveryOptions['compression'];
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
  /** Batch settings; `false` exports each span as it ends (a batch of one, up to 64 exports at once). */
  batch?: PipelineOptions['batch'];
  /** Span limits made by `spanLimits({...})` (an opt-in import); default 128 attributes, events and links. */
  spanLimits?: ResolvedSpanLimits | SpanLimits;
  /** Where the active span lives: a ContextManager (default the synchronous stack; `autoContextManager()` picks zone.js when loaded). */
  contextManager?: ContextManager;
  /** Headers to inject (default `TraceContextInjector`: traceparent, tracestate; `new W3CInjector()` adds baggage; `createPropagator('tracecontext,baggage,b3')`). */
  propagators?: TextMapPropagator;
  /** Keep undeliverable spans in localStorage until the collector answers again (default true). */
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

const KNOWN = 'serviceName serviceVersion environment resource endpoint headers compression timeoutMillis retry batch spanLimits spanProcessors instrumentations propagateTo ignoreUrls redactQueryParams sampler sampleRate contextManager propagators registerGlobals persist maxStoredBytes';

const isPatterns = (list: unknown) => Array.isArray(list) && list.every((p) => typeof p === 'string' || p instanceof RegExp);

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
  if (typeof o !== 'object' || !o) fail('E5', DEV && 'startBrowserTracing(options) takes an object');
  if (DEV) {
    // Typos are found while developing: the production build does not carry the list of names.
    for (const key of Object.keys(o)) if (!KNOWN.split(' ').includes(key)) warnOnce('W11', `unknown option "${key}" ignored; see the README for the options`, key);
    if (!o.contextManager && (globalThis as { Zone?: unknown }).Zone) {
      warnOnce('W12', 'zone.js is loaded but the synchronous context manager is in use: pass contextManager: autoContextManager() to follow async work');
    }
  }
  const { instrumentations = [], contextManager, sampleRate, propagateTo = [], ignoreUrls = [] } = o;
  if (!Array.isArray(instrumentations) || !instrumentations.every((i) => typeof i?.install === 'function')) {
    fail('E6', DEV && 'instrumentations must be an array such as [fetchInstrumentation(), xhrInstrumentation()] (or rumInstrumentations())');
  }
  if (contextManager !== undefined && typeof contextManager?.active !== 'function') {
    fail('E7', DEV && 'contextManager must be a ContextManager, e.g. autoContextManager() or new ZoneContextManager() from tracelet/zone');
  }
  if (sampleRate !== undefined) numberOption('sampleRate', sampleRate, undefined, '0-1');
  for (const [name, list] of [['propagateTo', propagateTo], ['ignoreUrls', ignoreUrls]] as const) {
    if (!isPatterns(list)) fail('E8', DEV && name + ' must be an array of strings and RegExps', name);
  }
  return startChecked(o, instrumentations, propagateTo, ignoreUrls, checkParts);
}

/**
 * `startBrowserTracing` after its checks: the lists are given (`[]` for
 * none) and every option has the right type. The script tag builds such
 * options from its attributes (checking data-sample-rate itself) and calls
 * this directly, so it carries none of the checks.
 */
export function startChecked(
  o: BrowserTracingOptions,
  instrumentations: BrowserInstrumentation[],
  propagateTo: UrlPattern[],
  ignoreUrls: UrlPattern[],
  check?: (parts: PipelineOptions) => void,
): BrowserTracing {
  // Relative endpoints are read against the page.
  const delivery = new BrowserDelivery({ baseUrl: globalThis.location?.href, ...pick(o, 'endpoint headers compression timeoutMillis retry persist maxStoredBytes') });
  let limits = o.spanLimits as ResolvedSpanLimits | undefined;
  if (limits && !CHECKED_LIMITS.has(limits)) {
    warnOnce('W13', DEV && "spanLimits takes spanLimits({...}) imported from 'tracelet/browser' (the checks are an opt-in import); using the default limits");
    limits = undefined;
  }
  const parts: PipelineOptions = {
    serviceName: o.serviceName,
    serviceVersion: o.serviceVersion,
    environment: o.environment,
    resource: o.resource,
    exporter: delivery,
    sampler: o.sampler ?? parentBased(o.sampleRate !== undefined ? traceIdRatio(o.sampleRate) : alwaysOn()),
    // `batch: false` is a batch of one sent at once, with up to 64 in flight: SimpleSpanProcessor is not bundled.
    batch: o.batch === false ? { maxExportBatchSize: 1, scheduledDelayMillis: 0, maxConcurrentExports: 64 } : o.batch,
    contextManager: o.contextManager,
    // The browser only injects: by default no extractor, tracestate parser or baggage code is bundled.
    propagator: o.propagators ?? new TraceContextInjector(),
    limits,
    spanProcessors: [...instrumentations.flatMap((i) => (i.processor ? [i.processor] : [])), ...(o.spanProcessors ?? [])],
    registerGlobals: o.registerGlobals,
    // telemetry.sdk.language: the pipeline's default, webjs.
  };
  check?.(parts);
  const tracing = buildPipeline(parts);
  const { propagator, contextManager: cm, batchProcessor } = tracing;
  const hideHooks = new Set<() => void>();
  const exporterUrl = delivery.endpoint;
  const install: InstallContext = {
    tracer: tracing.getTracer('tracelet.browser', VERSION),
    propagator,
    contextManager: cm,
    exporterUrl,
    policy: { propagator, contextManager: cm, propagateTo, ignoreUrls, exporterUrl, redactQueryParams: o.redactQueryParams ?? DEFAULT_REDACTED_QUERY_PARAMS },
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
      warnOnce('W14', DEV && `an instrumentation failed to install and is off: ${String(error)}`, DEV ? undefined : String(error));
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

/** The named options of `o` that are set, read as properties (getters and prototypes alike). */
function pick(o: object, names: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names.split(' ')) if ((o as Record<string, unknown>)[name] !== undefined) out[name] = (o as Record<string, unknown>)[name];
  return out;
}
