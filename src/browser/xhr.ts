import { numberOption } from '../core/diag.js';
import type { Context, ContextManager } from '../core/context.js';
import { isTracingSuppressed } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import { SpanKind, SpanStatusCode, type Span } from '../core/types.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { clientSpanStart, recordClientStatus } from '../http/client-attributes.js';
import { endWithResourceTiming } from './lib/resource-timing.js';
import { shouldPropagate, shouldTrace, type RequestPolicy } from './lib/request-policy.js';
import { absoluteUrl } from '../http/urls.js';

export interface XhrInstrumentationOptions extends RequestPolicy {
  propagator: TextMapPropagator;
  contextManager: ContextManager;
  resourceTimingWaitMs?: number;
  /** A parent for requests made when no span is active (the SPA route change in progress). */
  parentFor?: (context: Context) => Context;
}

interface XhrState {
  method: string;
  url: string | URL;
  headers: Set<string>;
  span?: Span;
  /** error, abort or timeout, the first seen. */
  outcome?: string;
}

/**
 * Patches `XMLHttpRequest.prototype` (open, setRequestHeader, send) so each
 * traced request gets a CLIENT span ended on `loadend`, and trace headers
 * where allowed. Listeners are added, never replaced; XHR behaves as before.
 */
export function instrumentXhr(tracer: Tracer, options: XhrInstrumentationOptions): () => void {
  const wait = numberOption('xhr.resourceTimingWaitMs', options.resourceTimingWaitMs, 1000, 'number >= 0');
  const XHR = globalThis.XMLHttpRequest;
  if (typeof XHR !== 'function') return () => {};
  const proto = XHR.prototype;
  const { open, send, setRequestHeader } = proto;
  const states = new WeakMap<XMLHttpRequest, XhrState>();

  proto.open = function (this: XMLHttpRequest, method: string, url: string | URL) {
    states.set(this, { method: String(method), url, headers: new Set() });
    return (open as (...a: unknown[]) => void).apply(this, arguments as unknown as unknown[]);
  } as typeof proto.open;

  proto.setRequestHeader = function (this: XMLHttpRequest, name: string, value: string) {
    states.get(this)?.headers.add(String(name).toLowerCase());
    return setRequestHeader.call(this, name, value);
  };

  proto.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    try {
      const state = states.get(this);
      const active = options.contextManager.active();
      const context = options.parentFor ? options.parentFor(active) : active;
      const url = state && absoluteUrl(state.url, globalThis.location?.href);
      if (url && !state.span && !isTracingSuppressed(context) && shouldTrace(url, options)) {
        const { name, attributes } = clientSpanStart(state.method, url, options.redactQueryParams);
        const span = (state.span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context));
        const startTime = tracer.clock();
        if (shouldPropagate(url, options)) {
          const add: Record<string, string> = {};
          options.propagator.inject(setSpan(context, span), add);
          const appHasTraceparent = state.headers.has('traceparent');
          for (const [n, v] of Object.entries(add)) {
            if (!state.headers.has(n) && !(appHasTraceparent && n === 'tracestate')) setRequestHeader.call(this, n, v);
          }
        }
        const on = (event: Event) => {
          if (event.type !== 'loadend') return void (state.outcome ??= event.type);
          if (!state.span) return;
          state.span = undefined;
          try {
            if (state.outcome) {
              // A network error, abort or timeout: no HTTP status.
              span.setAttribute('error.type', state.outcome === 'error' ? 'network_error' : state.outcome);
              span.setStatus({ code: SpanStatusCode.ERROR, message: `XMLHttpRequest ${state.outcome}` });
              span.end();
            } else {
              recordClientStatus(span, this.status);
              endWithResourceTiming(span, url.href, startTime, tracer.clock(), wait);
            }
          } catch {
            // ignore
          }
        };
        for (const type of ['error', 'abort', 'timeout', 'loadend']) this.addEventListener(type, on);
      }
    } catch {
      // never break the request
    }
    return send.call(this, body);
  };

  return () => {
    proto.open = open;
    proto.send = send;
    proto.setRequestHeader = setRequestHeader;
  };
}
