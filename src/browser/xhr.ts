import type { Context, ContextManager } from '../core/context.js';
import { isTracingSuppressed } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import { SpanKind, SpanStatusCode, type Span } from '../core/types.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { clientSpanStart, recordClientStatus } from '../http/client-attributes.js';
import type { TimingDetails } from './lib/resource-timing.js';
import { requestBase, shouldPropagate, shouldTrace, type RequestPolicy } from './lib/request-policy.js';
import { absoluteUrl } from '../http/urls.js';
import { newAttributes } from '../core/attributes.js';
import { patch } from './lib/patch.js';

export interface XhrInstrumentationOptions extends RequestPolicy {
  propagator: TextMapPropagator;
  contextManager: ContextManager;
  /** Adds the request's Resource Timing (phases, sizes) to its span: `resourceTimingDetails()`, an opt-in import. */
  details?: TimingDetails;
  /** A parent for requests made when no span is active (the SPA route change in progress). */
  parentFor?: (context: Context) => Context;
}

interface XhrState {
  method: string;
  url: string | URL;
  headers: Set<string>;
  span?: Span;
  startTime?: number;
  href?: string;
  /** error, abort or timeout, the first seen. */
  outcome?: string;
}

/**
 * Patches `XMLHttpRequest.prototype` (open, setRequestHeader, send) so each
 * traced request gets a CLIENT span ended on `loadend`, and trace headers
 * where allowed. Listeners are added (once per XHR object, however often it is
 * reused), never replaced; XHR behaves as before, errors included.
 */
export function instrumentXhr(tracer: Tracer, options: XhrInstrumentationOptions): () => void {
  const XHR = globalThis.XMLHttpRequest;
  if (typeof XHR !== 'function') return () => {};
  const proto = XHR.prototype;
  const { open, send, setRequestHeader } = proto;
  const states = new WeakMap<XMLHttpRequest, XhrState>();
  const listening = new WeakSet<XMLHttpRequest>();

  /** Ends the request's span: with its status, or as failed (`outcome`: error, abort, timeout). */
  function finish(xhr: XMLHttpRequest, state: XhrState, outcome = state.outcome): void {
    const span = state.span;
    if (!span) return;
    state.span = undefined;
    try {
      if (outcome) {
        // A network error, abort or timeout: no HTTP status.
        span.setAttribute('error.type', outcome === 'error' ? 'network_error' : outcome);
        span.setStatus({ code: SpanStatusCode.ERROR, message: `XMLHttpRequest ${outcome}` });
        span.end();
      } else {
        recordClientStatus(span, xhr.status);
        if (options.details) options.details.end(span, state.href!, state.startTime!, tracer.clock());
        else span.end();
      }
    } catch {
      // ignore
    }
  }

  function on(this: XMLHttpRequest, event: Event): void {
    const state = states.get(this);
    if (!state) return;
    if (event.type !== 'loadend') state.outcome ??= event.type;
    else finish(this, state);
  }

  const openPatch = function (this: XMLHttpRequest, method: string, url: string | URL) {
    const result = (open as (...a: unknown[]) => void).apply(this, arguments as unknown as unknown[]);
    // open() succeeded: it cancels a request in flight without any event.
    const previous = states.get(this);
    if (previous) finish(this, previous, 'abort');
    states.set(this, { method: String(method), url, headers: new Set() });
    return result;
  } as typeof proto.open;

  const setRequestHeaderPatch = function (this: XMLHttpRequest, name: string, value: string) {
    // What the method it wraps returns goes back as is (another library's patch may return something).
    const result = setRequestHeader.call(this, name, value);
    states.get(this)?.headers.add(String(name).toLowerCase());
    return result;
  };

  const sendPatch = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const state = states.get(this);
    let started: Span | undefined;
    try {
      const active = options.contextManager.active();
      const context = options.parentFor ? options.parentFor(active) : active;
      const url = state && absoluteUrl(state.url, requestBase());
      // Only a request that send() will start: opened and not yet sent.
      if (url && this.readyState === 1 && !state.span && !isTracingSuppressed(context) && shouldTrace(url, options)) {
        const { name, attributes } = clientSpanStart(state.method, url, options.redactQueryParams);
        const span = (started = state.span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context));
        state.startTime = tracer.clock();
        state.href = url.href;
        state.outcome = undefined;
        if (shouldPropagate(url, options)) {
          // No prototype: a page's enumerable Object.prototype additions must not become headers.
          const add = newAttributes() as Record<string, string>;
          options.propagator.inject(setSpan(context, span), add);
          // As fetch: the app's own trace headers win, and if it set traceparent
          // itself, no tracestate of ours goes with it.
          if (state.headers.has('traceparent')) delete add.tracestate;
          // Header names are case-insensitive (https://fetch.spec.whatwg.org/#concept-header-list-contains); the app's are kept lower-cased.
          for (const n in add) if (!state.headers.has(n.toLowerCase())) setRequestHeader.call(this, n, add[n]!);
        }
        if (!listening.has(this)) {
          listening.add(this);
          for (const type of ['error', 'abort', 'timeout', 'loadend']) this.addEventListener(type, on);
        }
      }
    } catch {
      // never break the request
    }
    try {
      return send.call(this, body);
    } catch (error) {
      // A synchronous request that failed throws and fires no loadend.
      if (started && state?.span === started) finish(this, state, 'error');
      throw error;
    }
  };

  // Restore only what is still ours: a library that wrapped us later keeps its wrapper.
  const undo = [patch(proto, 'open', openPatch), patch(proto, 'setRequestHeader', setRequestHeaderPatch), patch(proto, 'send', sendPatch)];
  return () => undo.forEach((u) => u());
}
