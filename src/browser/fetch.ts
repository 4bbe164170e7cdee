import { SUPPRESS_TRACING, isTracingSuppressed, type Context, type ContextManager } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import { SpanKind } from '../core/types.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { clientSpanStart, recordClientError, recordClientStatus } from '../http/client-attributes.js';
import { endWithResourceTiming } from './lib/resource-timing.js';
import { shouldPropagate, shouldTrace, type RequestPolicy } from './lib/request-policy.js';
import { absoluteUrl } from '../http/urls.js';

export interface FetchInstrumentationOptions extends RequestPolicy {
  propagator: TextMapPropagator;
  contextManager: ContextManager;
  /** Wait this long for the Resource Timing entry before ending the span without it (default 1000 ms). */
  resourceTimingWaitMs?: number;
  /** A parent for requests made when no span is active (the SPA route change in progress). */
  parentFor?: (context: Context) => Context;
}

/** Headers to add: the propagator's output minus any header the request already has. */
function traceHeaders(options: FetchInstrumentationOptions, context: ReturnType<ContextManager['active']>, existing: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  options.propagator.inject(context, out);
  // The app's own trace headers win: if it set traceparent itself, we add nothing of ours
  // that belongs to the same propagation format.
  for (const name of Object.keys(out)) if (existing.has(name)) delete out[name];
  if (existing.has('traceparent')) {
    delete out.traceparent;
    delete out.tracestate;
  }
  return out;
}

/**
 * Wraps `fetch` so each traced request gets a CLIENT span and, where allowed,
 * trace headers. What fetch returns or throws is untouched: the same
 * `Response`, the same error object, a native Promise. Returns the uninstall.
 *
 * @example
 * const uninstall = instrumentFetch(tracer, { propagator, contextManager, propagateTo: ['https://api.example.com'], ignoreUrls: [], redactQueryParams: [] });
 */
export function instrumentFetch(tracer: Tracer, options: FetchInstrumentationOptions): () => void {
  const original = globalThis.fetch;
  if (typeof original !== 'function') return () => {};

  function tracedFetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let span;
    let startTime = 0;
    let url: URL | undefined;
    try {
      const active = options.contextManager.active();
      const context = options.parentFor ? options.parentFor(active) : active;
      url = absoluteUrl(input, globalThis.location?.href);
      const suppressed = (init as Record<symbol, unknown> | undefined)?.[SUPPRESS_TRACING] === true || isTracingSuppressed(context);
      if (!suppressed && url && (url.protocol === 'http:' || url.protocol === 'https:') && shouldTrace(url, options)) {
        const request = typeof Request === 'function' && input instanceof Request ? input : undefined;
        const method = init?.method ?? request?.method ?? 'GET';
        const { name, attributes } = clientSpanStart(method, url, options.redactQueryParams);
        span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context);
        startTime = tracer.clock();
        if (shouldPropagate(url, options)) {
          // Copy, never mutate, the caller's headers. When init has no headers a
          // Request's own headers apply, so start from those.
          const headers = new Headers(init?.headers ?? request?.headers);
          const add = traceHeaders(options, setSpan(context, span), headers);
          const names = Object.keys(add);
          if (names.length > 0) {
            for (const n of names) headers.set(n, add[n]!);
            init = { ...init, headers };
          }
        }
      }
    } catch {
      // Tracing must never break the request: fall through untraced.
    }
    const result = original.call(this, input, init);
    if (!span) return result;
    const s = span;
    const href = url!.href;
    return result.then(
      (response) => {
        try {
          recordClientStatus(s, response.status);
          endWithResourceTiming(s, href, startTime, tracer.clock(), options.resourceTimingWaitMs);
        } catch {
          // never let tracing change the outcome
        }
        return response;
      },
      (error: unknown) => {
        try {
          recordClientError(s, error);
          s.end();
        } catch {
          // same
        }
        throw error;
      },
    );
  }

  // Look like the original to code that inspects it (length, name).
  Object.defineProperty(tracedFetch, 'name', { value: 'fetch' });
  globalThis.fetch = tracedFetch as typeof fetch;
  return () => {
    if (globalThis.fetch === (tracedFetch as typeof fetch)) globalThis.fetch = original;
  };
}
