import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { plainAndTraced, startHarness, type Harness } from './support/harness.js';

let h: Harness;
let plain: Page;
let traced: Page;

beforeAll(async () => {
  h = await startHarness();
  ({ plain, traced } = await plainAndTraced(h));
});
afterAll(async () => {
  await h?.close();
});

/** Runs one XHR scenario and reports every event and the final state. */
const scenario = (arg: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const [url, mode] = arg.split('|');
    const x = new XMLHttpRequest();
    const events: string[] = [];
    for (const e of ['loadstart', 'load', 'error', 'abort', 'timeout', 'loadend']) x.addEventListener(e, () => events.push(e));
    x.onreadystatechange = () => events.push('rs' + x.readyState);
    x.open(mode === 'post' ? 'POST' : 'GET', url!);
    if (mode === 'timeout') x.timeout = 100;
    x.setRequestHeader('x-app', 'kept');
    x.onloadend = () => setTimeout(() => resolve({ events, status: x.status, readyState: x.readyState, text: mode === 'post' ? JSON.parse(x.responseText).body : x.responseText.length }), 0);
    x.send(mode === 'post' ? 'payload' : null);
    if (mode === 'abort') x.abort();
  });

describe('XMLHttpRequest behaves exactly as without tracelet', () => {
  for (const [label, path, mode] of [
    ['a successful GET', '/api/text', 'get'],
    ['a POST with a body', '/api/echo', 'post'],
    ['a 404', '/api/status/404', 'get'],
    ['an abort', '/api/slow', 'abort'],
    ['a timeout', '/api/slow', 'timeout'],
  ] as const) {
    it(`fires the same events for ${label}`, async () => {
      const arg = `${h.site.url}${path}|${mode}`;
      const [a, b] = await Promise.all([plain.evaluate(scenario, arg), traced.evaluate(scenario, arg)]);
      expect(b).toEqual(a);
    });
  }

  it('open, setRequestHeader and send hand back what the methods they wrap returned, and throw the very error those threw', async () => {
    // Methods installed before tracelet (another library's patch) return markers and record what they throw.
    const page = await h.browser.newPage();
    await page.addInitScript(() => {
      const proto = XMLHttpRequest.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
      const thrown: unknown[] = ((window as unknown as { thrown: unknown[] }).thrown = []);
      for (const name of ['open', 'setRequestHeader', 'send']) {
        const original = proto[name]!;
        proto[name] = function (this: unknown, ...args: unknown[]) {
          try {
            original.apply(this, args);
          } catch (e) {
            thrown.push(e);
            throw e;
          }
          return 'returned by ' + name;
        };
      }
    });
    await h.openApp({ serviceName: 'xhr-same-objects', batch: { scheduledDelayMillis: 50 } }, page);
    const out = await page.evaluate(async (url) => {
      const thrown = (window as unknown as { thrown: unknown[] }).thrown;
      const x = new XMLHttpRequest();
      const results = [x.open('GET', url), x.setRequestHeader('x-app', 'kept'), x.send()];
      await new Promise((resolve) => x.addEventListener('loadend', resolve));
      let error: unknown;
      try {
        x.setRequestHeader('x-late', 'after send'); // InvalidStateError from the browser
      } catch (e) {
        error = e;
      }
      return { results, sameError: error !== undefined && error === thrown.at(-1), name: (error as Error)?.name };
    }, `${h.site.url}/api/echo?xhr-same`);
    expect(out).toEqual({ results: ['returned by open', 'returned by setRequestHeader', 'returned by send'], sameError: true, name: 'InvalidStateError' });
    await h.collector.waitForSpans((all) => all.some((s) => s.resource['service.name'] === 'xhr-same-objects'));
    await page.close();
  });

  it('fires the same events for a network error', async () => {
    const arg = 'http://127.0.0.1:1/none|get';
    const [a, b] = await Promise.all([plain.evaluate(scenario, arg), traced.evaluate(scenario, arg)]);
    expect(b).toEqual(a);
    expect(b.events).toContain('error');
  });
});

describe('XMLHttpRequest edge cases behave as without tracelet', () => {
  it('a reused XHR (polling) behaves the same and gets tracelet listeners once, not per send', async () => {
    const poll = (base: string) =>
      new Promise<string[]>((resolve) => {
        const x = new XMLHttpRequest();
        (window as unknown as { polled: XMLHttpRequest }).polled = x;
        const seen: string[] = [];
        let n = 0;
        x.onloadend = () => {
          seen.push(`${x.status}:${x.responseText.length}`);
          if (++n < 3) setTimeout(() => (x.open('GET', `${base}/api/text?poll=${n}`), x.send()), 0);
          else resolve(seen);
        };
        x.open('GET', `${base}/api/text?poll=0`);
        x.send();
      });
    const [a, b] = await Promise.all([plain.evaluate(poll, h.site.url), traced.evaluate(poll, h.site.url)]);
    expect(b).toEqual(a);
    const listenerCount = async (page: Page) => {
      const cdp = await page.context().newCDPSession(page);
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window.polled' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
      await cdp.detach();
      return listeners.length;
    };
    expect((await listenerCount(traced)) - (await listenerCount(plain))).toBe(4); // error, abort, timeout, loadend
  });

  it('open() during a request cancels it as natively; its span ends as aborted, not with the next status', async () => {
    const reopen = (base: string) =>
      new Promise<unknown>((resolve) => {
        const x = new XMLHttpRequest();
        const events: string[] = [];
        for (const e of ['load', 'error', 'abort', 'loadend']) x.addEventListener(e, () => events.push(e));
        x.open('GET', `${base}/api/slow?reopened`);
        x.send();
        setTimeout(() => {
          x.open('GET', `${base}/api/text?after-reopen`);
          x.onloadend = () => setTimeout(() => resolve({ events, status: x.status }), 0);
          x.send();
        }, 50);
      });
    const [a, b] = await Promise.all([plain.evaluate(reopen, h.site.url), traced.evaluate(reopen, h.site.url)]);
    expect(b).toEqual(a);
    await traced.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    await h.collector.waitForSpans(() => h.collector.spans().some((s) => String(s.attributesMap['url.full']).endsWith('?after-reopen')));
    const byUrl = (suffix: string) => h.collector.spans().find((s) => String(s.attributesMap['url.full']).endsWith(suffix))!;
    expect(byUrl('?after-reopen').attributesMap['http.response.status_code']).toBe(200);
    expect(byUrl('?reopened').attributesMap).toMatchObject({ 'error.type': 'abort' });
    expect(byUrl('?reopened').attributesMap['http.response.status_code']).toBeUndefined();
  });

  it('a failed open() leaves the previous request and its headers as they were', async () => {
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const failedOpen = (arg: string) =>
      new Promise<unknown>((resolve) => {
        const [base, tp] = arg.split('|');
        const x = new XMLHttpRequest();
        x.open('GET', `${base}/api/echo`);
        x.setRequestHeader('traceparent', tp!);
        let error = 'none';
        try {
          x.open('BAD METHOD', `${base}/api/text`);
        } catch (e) {
          error = (e as Error).name;
        }
        x.onloadend = () => resolve({ error, traceparent: JSON.parse(x.responseText).headers.traceparent });
        x.send();
      });
    const arg = `${h.site.url}|${own}`;
    const [a, b] = await Promise.all([plain.evaluate(failedOpen, arg), traced.evaluate(failedOpen, arg)]);
    expect(b).toEqual(a);
    expect(b).toEqual({ error: 'SyntaxError', traceparent: own });
  });

  it('B3 headers the app set itself, in any letter case, are left alone (not sent twice)', async () => {
    const b3 = await h.openApp({ propagators: 'b3multi' });
    const own = { 'x-b3-traceid': '0af7651916cd43dd8448eb211c80319c', 'x-b3-spanid': 'b7ad6b7169203331', 'x-b3-sampled': '1' };
    const seen = await b3.evaluate(
      ([base, headers]) =>
        new Promise<Record<string, string>>((resolve) => {
          const x = new XMLHttpRequest();
          x.open('GET', `${base}/api/echo`);
          for (const [n, v] of Object.entries(headers)) x.setRequestHeader(n, v);
          x.onloadend = () => resolve(JSON.parse(x.responseText).headers);
          x.send();
        }),
      [h.site.url, own] as const,
    );
    expect({ 'x-b3-traceid': seen['x-b3-traceid'], 'x-b3-spanid': seen['x-b3-spanid'], 'x-b3-sampled': seen['x-b3-sampled'] }).toEqual(own);
    await b3.close();
  });

  it('an enumerable member a page put on Object.prototype is sent as no header (only trace headers are added)', async () => {
    const polluted = (base: string) =>
      new Promise<Record<string, string>>((resolve) => {
        const proto = Object.prototype as Record<string, unknown>;
        proto.tracingPolluted = 'yes';
        const x = new XMLHttpRequest();
        x.open('GET', `${base}/api/echo?polluted`);
        x.onloadend = () => resolve(JSON.parse(x.responseText).headers);
        try {
          x.send();
        } finally {
          delete proto.tracingPolluted;
        }
      });
    const [a, b] = await Promise.all([plain.evaluate(polluted, h.site.url), traced.evaluate(polluted, h.site.url)]);
    expect(a.tracingpolluted).toBeUndefined();
    expect(b.tracingpolluted).toBeUndefined();
    expect(b.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/);
  });

  it('a synchronous XHR that fails throws the same error, and its span ends; send() twice throws the same', async () => {
    const sync = (base: string) => {
      const x = new XMLHttpRequest();
      x.open('GET', 'http://127.0.0.1:1/sync-none', false);
      let failed = 'none';
      try {
        x.send();
      } catch (e) {
        failed = (e as Error).name;
      }
      const y = new XMLHttpRequest();
      y.open('GET', `${base}/api/text?sync-ok`, false);
      y.send();
      let again = 'none';
      try {
        y.send();
      } catch (e) {
        again = (e as Error).name;
      }
      return { failed, again, status: y.status };
    };
    const [a, b] = await Promise.all([plain.evaluate(sync, h.site.url), traced.evaluate(sync, h.site.url)]);
    expect(b).toEqual(a);
    expect(b).toEqual({ failed: 'NetworkError', again: 'InvalidStateError', status: 200 });
    await traced.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    await h.collector.waitForSpans(() => h.collector.spans().some((s) => String(s.attributesMap['url.full']).endsWith('/sync-none')));
    const spans = h.collector.spans();
    expect(spans.find((s) => String(s.attributesMap['url.full']).endsWith('/sync-none'))!.attributesMap['error.type']).toBe('network_error');
    expect(spans.filter((s) => String(s.attributesMap['url.full']).endsWith('?sync-ok'))).toHaveLength(1);
  });

  it('blob: URLs are neither traced nor given headers', async () => {
    const blob = () =>
      new Promise<string>((resolve) => {
        const x = new XMLHttpRequest();
        x.open('GET', URL.createObjectURL(new Blob(['blob body'])));
        x.onloadend = () => resolve(x.responseText);
        x.send();
      });
    const [a, b] = await Promise.all([plain.evaluate(blob), traced.evaluate(blob)]);
    expect(b).toEqual(a);
    await traced.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    expect(h.collector.spans().filter((s) => String(s.attributesMap['url.full']).startsWith('blob:'))).toEqual([]);
  });
});

describe('XHR spans', () => {
  it('record status, errors, aborts and timeouts', async () => {
    await traced.evaluate(() => (window as unknown as { t: { flush(): Promise<void> } }).t.flush());
    const spans = h.collector.spans().filter((s) => s.kind === 3);
    const byUrl = (suffix: string) => spans.filter((s) => String(s.attributesMap['url.full']).endsWith(suffix));
    expect(byUrl('/api/status/404')[0]!.attributesMap).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' });
    const slow = byUrl('/api/slow').map((s) => s.attributesMap['error.type']).sort();
    expect(slow).toEqual(['abort', 'timeout']);
    expect(byUrl('/none')[0]!.attributesMap['error.type']).toBe('network_error');
    const post = spans.find((s) => s.name === 'POST')!;
    expect(post.attributesMap['http.response.status_code']).toBe(200);
    expect(post.status?.code ?? 0).toBe(0);
  });
});
