import type { Span } from '../core/types.js';
import { formatTraceparent } from '../propagation/trace-context.js';

/** A WebSocket upgrade (or anything not a Response): it cannot be copied, so it is never touched. */
export function isUpgrade(response: unknown): boolean {
  return !(response instanceof Response) || response.status === 101 || !!(response as { webSocket?: unknown }).webSocket;
}

/** Adds `traceparent;desc="00-…"` for `span` to `headers` (throws if they are immutable). */
export function addServerTiming(headers: Headers, span: Span): void {
  headers.append('Server-Timing', `traceparent;desc="${formatTraceparent(span.spanContext())}"`);
}

/**
 * Adds `Server-Timing: traceparent;desc="00-…"` so the page that made the
 * request can join this trace (read from PerformanceResourceTiming.serverTiming;
 * cross-origin pages need `Timing-Allow-Origin`). Responses that cannot be
 * copied (WebSocket upgrades) are returned untouched.
 */
export function withServerTiming(response: Response, span: Span): Response {
  try {
    if (isUpgrade(response)) return response;
    const copy = new Response(response.body, response);
    addServerTiming(copy.headers, span);
    return copy;
  } catch {
    return response;
  }
}
