import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { plainAndTraced, startHarness, type Harness } from './support/harness.js';

// Each scenario runs in a page without tracelet and in one with it; the
// observable outcome must be identical. Spans are checked separately.
let h: Harness;
let plain: Page;
let traced: Page;

beforeAll(async () => {
  h = await startHarness();
  ({ plain, traced } = await plainAndTraced(h, { propagateTo: [h.api.url] }));
});
afterAll(async () => {
  await h?.close();
});

async function both<T>(fn: (arg: string) => Promise<T>, arg: string): Promise<[T, T]> {
  return Promise.all([plain.evaluate(fn, arg), traced.evaluate(fn, arg)]);
}

describe('fetch behaves exactly as without tracelet', () => {
  it('returns a native Promise resolving to a real Response of the same shape', async () => {
    const [a, b] = await both(async (base) => {
      const p = fetch(base + '/api/echo');
      const isPromise = p instanceof Promise && Object.getPrototypeOf(p) === Promise.prototype;
      const r = await p;
      return { isPromise, isResponse: r instanceof Response, status: r.status, type: r.type, ok: r.ok, bodyUsed: r.bodyUsed, ct: r.headers.get('content-type') };
    }, h.site.url);
    expect(b).toEqual(a);
    expect(b.isPromise && b.isResponse).toBe(true);
  });

  it('hands back the very Response, and the very error, that the fetch it wraps produced', async () => {
    // A fetch installed before tracelet (another library's wrapper) records what it returns.
    const page = await h.browser.newPage();
    await page.addInitScript(() => {
      const native = window.fetch;
      const produced: unknown[] = ((window as unknown as { produced: unknown[] }).produced = []);
      window.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
        const p = native.apply(this, args);
        p.then((r) => produced.push(r), (e) => produced.push(e));
        return p;
      } as typeof fetch;
    });
    await h.openApp({ serviceName: 'same-objects', batch: { scheduledDelayMillis: 50 } }, page);
    const out = await page.evaluate(async (base) => {
      const produced = (window as unknown as { produced: unknown[] }).produced;
      const response = await fetch(base + '/api/echo?same-response');
      const sameResponse = response === produced.at(-1);
      let error: unknown;
      try {
        await fetch('http://127.0.0.1:1/refused');
      } catch (e) {
        error = e;
      }
      return { sameResponse, sameError: error !== undefined && error === produced.at(-1), bodyUnread: !response.bodyUsed };
    }, h.site.url);
    expect(out).toEqual({ sameResponse: true, sameError: true, bodyUnread: true });
    // The wrapped calls were traced: tracelet sat in between.
    const spans = await h.collector.waitForSpans((all) => all.some((s) => s.resource['service.name'] === 'same-objects' && String(s.attributesMap['url.full']).endsWith('?same-response')));
    expect(spans.filter((s) => s.resource['service.name'] === 'same-objects').length).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('passes a Request with its method and body intact', async () => {
    const [a, b] = await both(async (base) => {
      const req = new Request(base + '/api/echo', { method: 'PUT', body: JSON.stringify({ n: 1 }), headers: { 'x-app': 'yes' } });
      const r = await fetch(req);
      const echo = await r.json();
      return { method: echo.method, body: echo.body, app: echo.headers['x-app'], used: req.bodyUsed };
    }, h.site.url);
    expect(b).toEqual(a);
    expect(b).toEqual({ method: 'PUT', body: '{"n":1}', app: 'yes', used: true });
  });

  for (const kind of ['Headers', 'array', 'object'] as const) {
    it(`keeps ${kind} headers and does not mutate the caller's init`, async () => {
      const [a, b] = await both(async (arg) => {
        const [base, k] = arg.split('|');
        const headers = k === 'Headers' ? new Headers({ 'x-one': '1' }) : k === 'array' ? [['x-one', '1']] : { 'x-one': '1' };
        const init = { method: 'POST', body: 'hello', headers: headers as HeadersInit };
        const r = await fetch(base + '/api/echo', init);
        const echo = await r.json();
        const after = init.headers instanceof Headers ? [...init.headers.keys()] : JSON.stringify(init.headers);
        return { one: echo.headers['x-one'], body: echo.body, after, sameObject: init.headers === headers };
      }, `${h.site.url}|${kind}`);
      expect(b).toEqual(a);
    });
  }

  it('reads init as fetch does: inherited members, a Request passed as init, a Request from another realm', async () => {
    const [a, b] = await both(async (base) => {
      const echo = async (r: Promise<Response>) => (await r).json() as Promise<{ method: string; body: string; headers: Record<string, string> }>;
      // init with its members on the prototype (defaults objects, class instances): a POST must stay a POST.
      const inherited = await echo(fetch(base + '/api/echo', Object.create({ method: 'POST', body: 'from-proto', headers: { 'x-app': 'p' } })));
      // A Request used as the init of another URL: its method and headers are read through its getters.
      const asInit = await echo(fetch(base + '/api/echo', new Request(base + '/elsewhere', { method: 'DELETE', headers: { 'x-app': 'r' } })));
      // A Request made by an iframe's realm: not `instanceof Request` here, its headers must still be kept.
      const frame = document.createElement('iframe');
      frame.src = base + '/test/browser/pages/blank.html';
      await new Promise((done) => ((frame.onload = done), document.body.append(frame)));
      const OtherRequest = (frame.contentWindow as unknown as { Request: typeof Request }).Request;
      const foreign = await echo(fetch(new OtherRequest(base + '/api/echo', { method: 'POST', body: 'x', headers: { authorization: 'Bearer t' } })));
      frame.remove();
      return {
        inherited: [inherited.method, inherited.body, inherited.headers['x-app']],
        asInit: [asInit.method, asInit.headers['x-app']],
        foreign: [foreign.method, foreign.body, foreign.headers.authorization],
        injected: [inherited, asInit, foreign].map((e) => typeof e.headers.traceparent),
        shape: [fetch.name, fetch.length],
      };
    }, h.site.url);
    expect({ ...b, injected: undefined }).toEqual({ ...a, injected: undefined });
    expect(a.injected).toEqual(['undefined', 'undefined', 'undefined']);
    expect(b.injected).toEqual(['string', 'string', 'string']); // so the init really was rebuilt with headers
    expect(b.inherited).toEqual(['POST', 'from-proto', 'p']);
  });

  it('a Request given alone keeps its referrer and referrer policy', async () => {
    const [a, b] = await both(async (base) => {
      const referer = async (init: RequestInit) => ((await (await fetch(new Request(base + '/api/echo', init))).json()) as { headers: Record<string, string> }).headers.referer ?? 'none';
      // The default: the page's own URL (the two pages have different URLs, so compare with location).
      return [await referer({ referrerPolicy: 'no-referrer' }), await referer({ referrer: base + '/some/page?x=1' }), (await referer({})) === location.href];
    }, h.site.url);
    expect(b).toEqual(a);
    expect(b[0]).toBe('none');
    expect(b[1]).toBe(`${h.site.url}/some/page?x=1`);
    expect(b[2]).toBe(true);
  });

  it('resolves a relative URL against <base href> as fetch does, so another origin gets no trace headers', async () => {
    const [a, b] = await both(async (other) => {
      const base = document.createElement('base');
      base.href = other + '/';
      document.head.prepend(base);
      try {
        const r = await fetch('api/echo');
        const echo = (await r.json()) as { headers: Record<string, string> };
        return { status: r.status, url: r.url, traceparent: echo.headers.traceparent ?? 'none' };
      } finally {
        base.remove();
      }
    }, h.other.url);
    expect(b).toEqual(a);
    expect(b).toEqual({ status: 200, url: `${h.other.url}/api/echo`, traceparent: 'none' });
  });

  it('rejects with the same AbortError when aborted', async () => {
    const [a, b] = await both(async (base) => {
      const c = new AbortController();
      const p = fetch(base + '/api/slow', { signal: c.signal });
      setTimeout(() => c.abort(), 50);
      try {
        await p;
        return 'resolved';
      } catch (e) {
        const err = e as DOMException;
        return { name: err.name, isDomException: err instanceof DOMException, message: err.message };
      }
    }, h.site.url);
    expect(b).toEqual(a);
    expect((b as { name: string }).name).toBe('AbortError');
  });

  it('rethrows the same abort reason object', async () => {
    const [, b] = await both(async (base) => {
      const reason = new Error('my reason');
      const c = new AbortController();
      const p = fetch(base + '/api/slow', { signal: c.signal });
      c.abort(reason);
      try {
        await p;
        return false;
      } catch (e) {
        return e === reason;
      }
    }, h.site.url);
    expect(b).toBe(true);
  });

  it('rethrows network TypeErrors as they were', async () => {
    const [a, b] = await both(async () => {
      try {
        await fetch('http://127.0.0.1:1/nothing-listens-here');
        return 'resolved';
      } catch (e) {
        return { type: (e as Error).constructor.name, message: (e as Error).message };
      }
    }, '');
    expect(b).toEqual(a);
    expect((b as { type: string }).type).toBe('TypeError');
  });

  it('works with WebAssembly.compileStreaming(fetch(...))', async () => {
    const [a, b] = await both(async (base) => {
      const module = await WebAssembly.compileStreaming(fetch(base + '/api/wasm'));
      const instance = await WebAssembly.instantiate(module);
      return (instance.exports.answer as () => number)();
    }, h.site.url);
    expect(a).toBe(42);
    expect(b).toBe(42);
  });

  it('an enumerable member a page put on Object.prototype is sent as no header (only trace headers are added)', async () => {
    const [a, b] = await both(async (base) => {
      const proto = Object.prototype as Record<string, unknown>;
      proto.tracingPolluted = 'yes';
      try {
        const r = await fetch(base + '/api/echo?polluted');
        return (await r.json()).headers as Record<string, string>;
      } finally {
        delete proto.tracingPolluted;
      }
    }, h.site.url);
    expect(a.tracingpolluted).toBeUndefined();
    expect(b.tracingpolluted).toBeUndefined();
    expect(b.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
  });

  it("never overwrites the app's own traceparent", async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const echo = await traced.evaluate(async ([base, tp]) => (await (await fetch(base + '/api/echo', { headers: { traceparent: tp! } })).json()).headers, [h.site.url, own] as const);
    expect(echo.traceparent).toBe(own);
    expect(echo.tracestate).toBeUndefined();
  });

  it('uninstall restores the original fetch', async () => {
    const page = await h.openApp();
    const same = await page.evaluate(() => {
      const w = window as unknown as { t: { uninstall(): void } };
      const wrapped = window.fetch;
      w.t.uninstall();
      const restored = window.fetch;
      return { changed: wrapped !== restored, native: /\[native code\]/.test(Function.prototype.toString.call(restored)) };
    });
    expect(same).toEqual({ changed: true, native: true });
    await page.close();
  });
});

describe('fetch spans', () => {
  it('records a CLIENT span named by method with stable HTTP attributes, redacted URL, and resource timing', async () => {
    h.collector.clear();
    await traced.evaluate(async (base) => {
      await (await fetch(base + '/api/echo?sig=secret&q=shoes', { method: 'post', body: 'x' })).text();
      await fetch(base + '/api/status/503');
      await (window as unknown as { t: { flush(): Promise<void> } }).t.flush();
    }, h.site.url);
    const spans = await h.collector.waitForSpans((s) => s.filter((x) => x.kind === 3).length >= 2);
    const post = spans.find((s) => s.name === 'POST')!;
    const port = Number(new URL(h.site.url).port);
    expect(post.attributesMap).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${h.site.url}/api/echo?sig=REDACTED&q=shoes`,
      'server.address': '127.0.0.1',
      'server.port': port,
      'http.response.status_code': 200,
    });
    expect(post.events?.map((e) => e.name)).toContain('responseEnd');
    const failed = spans.find((s) => s.attributesMap['http.response.status_code'] === 503)!;
    expect(failed.status?.code).toBe(2);
    expect(failed.attributesMap['error.type']).toBe('503');
  });
});
