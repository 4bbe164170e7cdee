import { SpanStatusCode, type Span } from '../core/types.js';
import { errorMessage } from '../core/attributes.js';
import { httpEntry, invocationSpan, pipelineFor, recordResponse, runInvocation, startServerSpan, type WorkerConfig } from './invocation.js';
import { addServerTiming, isUpgrade } from './server-timing.js';

/** The parts of Hono's Context this middleware uses (hono is a peer dependency; no runtime import). */
interface HonoContextLike {
  req: { raw: Request; method: string; matchedRoutes?: { path: string; method: string }[]; routeIndex?: number };
  env: unknown;
  executionCtx?: { waitUntil(p: Promise<unknown>): void };
  res: Response;
  error?: unknown;
}

/** The route that answered: Hono's matched route at the responding index, e.g. `/users/:id`. */
function matchedRoute(c: HonoContextLike): string | undefined {
  const routes = c.req.matchedRoutes ?? [];
  const responder = typeof c.req.routeIndex === 'number' ? routes[c.req.routeIndex] : undefined;
  const route = responder && responder.method !== 'ALL' ? responder : [...routes].reverse().find((r) => r.method !== 'ALL');
  return route?.path;
}

function nameByRoute(span: Span, c: HonoContextLike): void {
  const route = matchedRoute(c);
  if (!route) return;
  span.updateName(`${c.req.method.toUpperCase()} ${route}`);
  span.setAttribute('http.route', route);
}

/**
 * Adds our Server-Timing entry to `c.res` in place. Assigning `c.res` would
 * make Hono's setter copy the old headers over the new response, so an
 * app's own Server-Timing would replace ours, and a 101 upgrade cannot be
 * copied at all. Only immutable headers (a `fetch()` response passed through)
 * need a copy, which the entry is then added to.
 */
function serverTimingOnHonoResponse(c: HonoContextLike, span: Span): void {
  const res = c.res;
  if (isUpgrade(res)) return;
  try {
    addServerTiming(res.headers, span);
  } catch {
    try {
      c.res = new Response(res.body, res);
      addServerTiming(c.res.headers, span);
    } catch {
      // never break the response
    }
  }
}

// A route's error is one exception event on the request span, however many
// tracelet() middlewares see it in c.error (an app's and a sub-app's).
const recorded = new WeakMap<Span, unknown>();
function recordOnce(span: Span, error: unknown): void {
  // Called only with a c.error that is set, so an absent entry (undefined) never matches.
  if (recorded.get(span) === error) return;
  recorded.set(span, error);
  span.recordException(error);
}

/**
 * Hono middleware: a SERVER span per request named `{METHOD} {route}` from
 * Hono's matched route, continuing the caller's trace, exported with
 * `c.executionCtx.waitUntil`. Inside `instrument()` it only names the span.
 *
 * @example
 * import { Hono } from 'hono';
 * import { tracelet } from 'tracelet/hono';
 * const app = new Hono();
 * app.use(tracelet({ serviceName: 'shop-edge' }));
 * app.get('/users/:id', (c) => c.json({ id: c.req.param('id') }));
 * export default app;
 */
export function tracelet(config?: WorkerConfig | ((env: never) => WorkerConfig)) {
  return async function traceletMiddleware(c: HonoContextLike, next: () => Promise<void>): Promise<void> {
    // Inside instrument(): name its span by the route. Checked before any
    // pipeline lookup: c.env is then instrument()'s per-request wrapper, a new
    // object each time, which would build a new pipeline per request.
    const existing = invocationSpan();
    if (existing) {
      await next();
      nameByRoute(existing, c);
      // Hono caught it, so instrument() never sees it thrown: record it here.
      if (c.error) recordOnce(existing, c.error);
      return;
    }
    let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx; // throws outside Workers
    } catch {
      ctx = undefined;
    }
    const p = pipelineFor(c.env, config, ctx);
    if (!p) return next();
    const entry = httpEntry(p, c.req.raw);
    const span = startServerSpan(p, entry);
    await runInvocation(p, span, entry.parent, ctx, entry.host, async () => {
      await next();
      nameByRoute(span, c);
      recordResponse(span, c.res.status);
      // Hono catches what a handler throws, sets c.error and answers with its
      // error handler. An HTTPException(401) is a 401: "For HTTP status codes
      // in the 4xx range span status MUST be left unset in case of
      // SpanKind.SERVER" (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status).
      if (c.error) {
        recordOnce(span, c.error);
        if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(c.error) });
      }
      if (p.serverTiming) serverTimingOnHonoResponse(c, span);
    });
  };
}
