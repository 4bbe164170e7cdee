import { SUPPRESS_TRACING, isTracingSuppressed, type Context, type ContextManager } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import { SpanKind, type Span } from '../core/types.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import { clientSpanStart, recordClientError, recordClientStatus } from '../http/client-attributes.js';
import type { TimingDetails } from './lib/resource-timing.js';
import { requestBase, shouldPropagate, shouldTrace, type RequestPolicy } from './lib/request-policy.js';
import { absoluteUrl } from '../http/urls.js';
import { newAttributes } from '../core/attributes.js';
import { copyInit } from '../http/request-init.js';

export interface FetchInstrumentationOptions extends RequestPolicy {
  propagator: TextMapPropagator;
  contextManager: ContextManager;
  /** Adds the request's Resource Timing (phases, sizes) to its span: `resourceTimingDetails()`, an opt-in import. */
  details?: TimingDetails;
  /** A parent for requests made when no span is active (the SPA route change in progress). */
  parentFor?: (context: Context) => Context;
}

/** The members of RequestInit (https://fetch.spec.whatwg.org/#requestinit). */
const INIT_MEMBERS = 'method headers body referrer referrerPolicy mode credentials cache redirect integrity keepalive signal duplex priority window'.split(' ');

/**
 * `init` with other headers, every member read as fetch reads it (`copyInit`).
 * A non-empty init resets a Request's referrer and referrer policy (Fetch,
 * Request constructor, "If init is not empty"): a Request given alone keeps them.
 */
function withHeaders(init: RequestInit | undefined, request: Request | undefined, headers: Headers): RequestInit {
  const next = copyInit(init, INIT_MEMBERS);
  if (request && !Object.keys(next).length) {
    next.referrer = request.referrer;
    next.referrerPolicy = request.referrerPolicy;
  }
  next.headers = headers;
  return next;
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
    let span: Span | undefined;
    let startTime = 0;
    let href = '';
    try {
      const active = options.contextManager.active();
      const context = options.parentFor ? options.parentFor(active) : active;
      const url = absoluteUrl(input, requestBase());
      if (
        url &&
        (init as Record<symbol, unknown> | undefined)?.[SUPPRESS_TRACING] !== true &&
        !isTracingSuppressed(context) &&
        shouldTrace(url, options)
      ) {
        // A Request from this realm or another (an iframe's): its brand, not instanceof.
        const request = Object.prototype.toString.call(input) == '[object Request]' ? (input as Request) : undefined;
        const { name, attributes } = clientSpanStart(init?.method ?? request?.method ?? 'GET', url, options.redactQueryParams);
        span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context);
        startTime = tracer.clock();
        href = url.href;
        if (shouldPropagate(url, options)) {
          // Copy, never mutate, the caller's headers. When init has no headers a
          // Request's own headers apply, so start from those.
          const headers = new Headers(init?.headers ?? request?.headers);
          // No prototype: a page's enumerable Object.prototype additions must not become headers.
          const add = newAttributes() as Record<string, string>;
          options.propagator.inject(setSpan(context, span), add);
          // The app's own trace headers win: a header it set stays, and if it set
          // traceparent itself, none of our W3C Trace Context headers are added.
          if (headers.has('traceparent')) delete add.tracestate;
          let changed = false;
          for (const n in add) if (!headers.has(n)) headers.set(n, add[n]!), (changed = true);
          if (changed) init = withHeaders(init, request, headers);
        }
      }
    } catch {
      // Tracing must never break the request: fall through untraced.
    }
    const s = span;
    /** The request failed: the span ended with the error, and the same error thrown on. */
    const failed = (error: unknown): never => {
      try {
        if (s) recordClientError(s, error), s.end();
      } catch {
        // never let tracing change the outcome
      }
      throw error;
    };
    let result: Promise<Response>;
    try {
      result = original.call(this, input, init);
    } catch (error) {
      // A fetch that throws synchronously (a polyfill, another wrapper): the same error, the span ended.
      return failed(error);
    }
    return s
      ? result.then((response) => {
          try {
            recordClientStatus(s, response.status);
            if (options.details) options.details.end(s, href, startTime, tracer.clock());
            else s.end();
          } catch {
            // never let tracing change the outcome
          }
          return response;
        }, failed)
      : result;
  }

  // Look like the original to code that inspects it (length, name).
  for (const k of ['name', 'length'] as const) Object.defineProperty(tracedFetch, k, { value: original[k] });
  globalThis.fetch = tracedFetch as typeof fetch;
  return () => {
    if (globalThis.fetch === (tracedFetch as typeof fetch)) globalThis.fetch = original;
  };
}
