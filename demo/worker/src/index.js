// The demo edge worker. `instrument` adds a SERVER span per request that
// continues the browser's trace, CLIENT spans for its RPC calls, bindings and
// outbound fetches, and exports in ctx.waitUntil. Configuration comes from the
// OTEL_* vars in wrangler.toml.
//
// POST /api/buy goes through a Durable Object (the shop's cart): the edge calls
// its RPC method `checkout`, the cart takes the item from the stock kept in KV
// and places the order at the origin. One trace: browser -> edge -> cart
// (+ KV) -> origin.
import { DurableObject } from 'cloudflare:workers';
import { instrument } from 'tracelet/worker';

class Cart extends DurableObject {
  /** Takes one item from the stock (KV) and places the order at the origin. */
  async checkout(body) {
    const stock = Number((await this.env.STOCK.get('stock')) ?? 100);
    await this.env.STOCK.put('stock', String(stock - 1));
    const origin = await fetch(`${this.env.ORIGIN_URL}/orders`, { method: 'POST', body });
    return { status: origin.status, body: await origin.text() };
  }
}

// The traced class, exported under the name wrangler.toml binds. Its spans
// carry their own service name, so the viewer shows the cart apart.
const TracedCart = instrument(Cart, { serviceName: 'demo-cart' });
export { TracedCart as Cart };

const cors = { 'access-control-allow-origin': '*', 'timing-allow-origin': '*' };

export default instrument(
  {
    async fetch(request, env) {
      const url = new URL(request.url);
      if (request.method === 'OPTIONS') {
        return new Response(null, {
          status: 204,
          headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, traceparent, tracestate, baggage' },
        });
      }
      if (url.pathname === '/api/buy') {
        const order = await env.CART.getByName('demo').checkout(await request.text());
        return new Response(order.body, { status: order.status, headers: { 'content-type': 'application/json', ...cors } });
      }
      if (url.pathname === '/api/fail') {
        const origin = await fetch(`${env.ORIGIN_URL}/fail`);
        return new Response(await origin.text(), { status: 502, headers: cors });
      }
      return new Response('tracelet demo edge: POST /api/buy', { headers: { 'content-type': 'text/plain' } });
    },
  },
  // Calls to the cart carry the trace context (both sides are instrumented):
  // README, "Durable Objects and RPC".
  { propagateRpcTo: ['CART'] },
);
