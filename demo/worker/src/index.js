// The demo edge worker. `instrument` adds a SERVER span per request that
// continues the browser's trace, CLIENT spans for calls to the origin, and
// exports in ctx.waitUntil. Configuration comes from the OTEL_* vars in wrangler.toml.
import { instrument } from 'tracelet/worker';

export default instrument({
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, traceparent, tracestate, baggage' },
      });
    }
    if (url.pathname === '/api/buy') {
      const origin = await fetch(`${env.ORIGIN_URL}/orders`, { method: 'POST', body: await request.text() });
      return new Response(await origin.text(), {
        status: origin.status,
        headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'timing-allow-origin': '*' },
      });
    }
    if (url.pathname === '/api/fail') {
      const origin = await fetch(`${env.ORIGIN_URL}/fail`);
      return new Response(await origin.text(), { status: 502, headers: { 'access-control-allow-origin': '*', 'timing-allow-origin': '*' } });
    }
    return new Response('tracelet demo edge: POST /api/buy', { headers: { 'content-type': 'text/plain' } });
  },
});
