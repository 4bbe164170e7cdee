/**
 * The `<script>` tag build (dist/tracelet.min.js): starts itself from its own
 * `data-*` attributes and exposes `window.tracelet`. No eval, no inline code:
 * it runs under `script-src 'self'` (or a hash/SRI allow-list).
 *
 * <script src="/tracelet.min.js" data-endpoint="https://otel.example.com/v1/traces"
 *         data-service-name="shop-web" data-propagate-to="https://api.example.com"></script>
 */
import { startChecked, type BrowserTracingOptions } from './browser/start.js';
import type { BrowserInstrumentation } from './browser/instrumentations.js';
import { pickContextManager, rumInstrumentations, RUM_NAMES, type RumSelection } from './browser/rum.js';
import type { Attributes } from './core/types.js';
import { startProcessor } from './browser/session.js';
import { DEV } from './core/dev.js';
import { numberOption, warnOnce } from './core/diag.js';
import { buildPipeline } from './pipeline.js';
import { alwaysOff } from './core/sampler.js';
import { B3Injector } from './propagation/b3.js';
import { BAGGAGE_HEADER, injectBaggage } from './propagation/baggage.js';
import type { TextMapPropagator } from './propagation/carrier.js';
import { TraceContextInjector } from './propagation/trace-context-inject.js';
import { fromNames, PROPAGATOR_NAMES } from './propagation/names.js';

type Call = [string, ...unknown[]];
interface Queue {
  q?: Call[];
}

const list = (v: string | undefined) => (v ? v.split(/[\s,]+/).filter(Boolean) : undefined);

/**
 * `data-propagate-to` / `data-ignore-urls` entries: URLs, or paths (`/health`)
 * read against the page, both as `new URL` writes them (`https://API.example.com`
 * matches as `https://api.example.com/`). Anything else (`api.example.com`, a
 * `*` wildcard) matches no request and is named once.
 */
const urls = (attribute: string, v: string) =>
  list(v)!.map((p) => {
    try {
      if (/^(\/|https?:\/\/)[^*]*$/i.test(p)) return new URL(p, document.baseURI).href;
    } catch {
      // not a URL after all: as below
    }
    warnOnce('W24', DEV && `data-${attribute}: "${p}" is no URL or /path; it matches nothing`, attribute + ' ' + p);
    return p;
  });

/**
 * `data-propagators="tracecontext,baggage,b3"`: the `OTEL_PROPAGATORS` names
 * (tracecontext, baggage, b3, b3multi, none; default tracecontext,baggage).
 * The page only ever injects, so these are injectors: no header parser is
 * bundled. An unknown name is skipped with a one-time warning.
 */
function propagatorFrom(names = 'tracecontext,baggage'): TextMapPropagator {
  const make = {
    tracecontext: () => new TraceContextInjector(),
    baggage: () => ({ inject: injectBaggage, fields: () => [BAGGAGE_HEADER] }),
    b3: () => new B3Injector({ injectEncoding: 'single' }),
    b3multi: () => new B3Injector({ injectEncoding: 'multi' }),
  };
  let parts = fromNames<Pick<TextMapPropagator, 'inject' | 'fields'>>(names, make, (name) =>
    warnOnce('W25', DEV && `data-propagators: unknown name "${name}" ignored; use ${PROPAGATOR_NAMES.join(', ')}`, name),
  );
  // Only unknown names (and no explicit none): the default, as an unknown OTEL_PROPAGATORS gets, not a page without headers.
  if (!parts.length && !/(^|[\s,])none([\s,]|$)/i.test(names)) parts = fromNames('tracecontext,baggage', make, () => {});
  return {
    inject: (context, carrier, setter) => parts.forEach((p) => p.inject(context, carrier, setter)),
    extract: (context) => context,
    fields: () => parts.flatMap((p) => p.fields()),
  };
}

function start(): void {
  const w = globalThis as unknown as { tracelet?: Queue & Record<string, unknown> };
  // Included twice (a tag manager and the page): the first copy is running; a second would trace everything twice.
  if (w.tracelet?.tracer) return warnOnce('W26', DEV && 'dist/tracelet.min.js is included more than once; the second copy does nothing');
  // Loaded as type="module" there is no currentScript: the tag is the script that carries our attributes.
  const doc = globalThis.document;
  const tag = (doc?.currentScript ?? doc?.querySelector('script[data-endpoint]')) as HTMLScriptElement | null;
  // Values trimmed: a blank one (a tag manager variable that came out empty) counts as not given.
  const d: DOMStringMap = Object.fromEntries(Object.entries(tag?.dataset ?? {}).map(([k, v]) => [k, v?.trim()]));
  if (!d.endpoint) warnOnce('W27', DEV && 'no data-endpoint: sending to http://localhost:4318/v1/traces');
  const globalAttributes: Attributes = {};
  let tracing;
  try {
    // data-instrumentations="fetch xhr errors": only those; default all but resourceTiming; an unknown name is skipped with a warning.
    const only = list(d.instrumentations);
    for (const name of only ?? []) if (!(RUM_NAMES as readonly string[]).includes(name)) warnOnce('W28', DEV && `data-instrumentations: unknown name "${name}" ignored; use ${RUM_NAMES.join(', ')}`, name);
    const config: Record<string, unknown> = {
      propagators: propagatorFrom(d.propagators || undefined),
      instrumentations: rumInstrumentations(only ? (Object.fromEntries(RUM_NAMES.map((k) => [k, only.includes(k)])) as RumSelection) : {}),
      contextManager: pickContextManager(),
      spanProcessors: [startProcessor((span) => span.setAttributes(globalAttributes))],
    };
    // data-endpoint, data-service-name, ... as given; data-propagate-to and data-ignore-urls as lists;
    // data-sample-rate a number from 0 to 1 (checked as startBrowserTracing checks sampleRate: the
    // options built here are otherwise valid by construction, so startChecked checks nothing).
    'endpoint serviceName serviceVersion environment propagateTo ignoreUrls sampleRate'.split(' ').forEach((k, i) => {
      const v = d[k];
      if (v) config[k] = i > 5 ? numberOption('sampleRate', Number(v), undefined, '0-1') : i > 3 ? urls(i > 4 ? 'ignore-urls' : 'propagate-to', v) : v;
    });
    tracing = startChecked(config as BrowserTracingOptions, config.instrumentations as BrowserInstrumentation[], (config.propagateTo ?? []) as string[], (config.ignoreUrls ?? []) as string[]);
  } catch (error) {
    warnOnce('W29', DEV && 'not started: ' + String((error as Error)?.message ?? error), DEV ? undefined : String((error as Error)?.message ?? error), 'error');
    // window.tracelet stays, recording nothing, so page code that calls it never breaks: an always-off
    // sampler makes every span non-recording (https://opentelemetry.io/docs/specs/otel/trace/sdk/#alwaysoff),
    // and nothing reaches the processor (a no-op one: no queue is allocated).
    tracing = {
      ...buildPipeline({ exporter: { export() {} }, propagator: propagatorFrom('none'), sampler: alwaysOff(), registerGlobals: false }, { onStart() {}, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} }),
      bind: <F>(fn: F) => fn,
      withSpan: <T>(_: unknown, fn: () => T) => fn(),
    };
  }
  const api: Record<string, unknown> = {
    tracer: tracing.tracer,
    flush: tracing.flush,
    shutdown: tracing.shutdown,
    bind: tracing.bind,
    withSpan: tracing.withSpan,
    /** Attributes added to every span from now on. */
    setAttributes(attributes: Attributes) {
      Object.assign(globalAttributes, attributes);
    },
    /** `user.id` on every span from now on (an opaque id, never an e-mail address); null, undefined or '' (a logout) removes it. */
    setUser(id: unknown) {
      (globalAttributes as Record<string, unknown>)['user.id'] = id == null || id === '' ? undefined : String(id);
    },
  };
  /**
   * The snippet's calls, `tracelet.q.push(['setUser', 'u1'])`: replayed now if
   * queued before this script loaded, run at once after (a bad call is skipped).
   */
  const push = (call: Call) => {
    try {
      const fn = api[call[0]];
      if (typeof fn === 'function') fn(...call.slice(1));
    } catch {
      // a bad queued call must not stop the others, nor throw into the page
    }
  };
  const queued = Array.isArray(w.tracelet?.q) ? w.tracelet.q : [];
  api.q = { push };
  api.push = push;
  w.tracelet = api as Queue & Record<string, unknown>;
  for (const call of queued) push(call);
}

start();
