import type { Span } from '../core/types.js';
import { formatTraceparent } from '../propagation/trace-context.js';

/** A WebSocket upgrade (or anything not a Response): it cannot be copied, so it is never touched. */
export function isUpgrade(response: unknown): boolean {
  return !(response instanceof Response) || response.status === 101 || !!(response as { webSocket?: unknown }).webSocket;
}

/** The metrics of a Server-Timing value: split at commas outside quoted strings (RFC 9110 section 5.6.4). */
function metrics(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) out.push(value.slice(start, i)), (start = i + 1);
  }
  out.push(value.slice(start));
  return out.map((m) => m.trim()).filter(Boolean);
}

/**
 * Adds `traceparent;desc="00-…"` for `span` to `headers` (throws if they are
 * immutable). A `traceparent` metric already there (an origin's response
 * passed through) is replaced: pages read the first one.
 */
export function addServerTiming(headers: Headers, span: Span): void {
  const ours = `traceparent;desc="${formatTraceparent(span.spanContext())}"`;
  const existing = headers.get('Server-Timing');
  const others = existing ? metrics(existing).filter((m) => m.split(';')[0]!.trim().toLowerCase() !== 'traceparent') : [];
  headers.set('Server-Timing', [...others, ours].join(', '));
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
