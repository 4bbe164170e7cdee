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

  it('fires the same events for a network error', async () => {
    const arg = 'http://127.0.0.1:1/none|get';
    const [a, b] = await Promise.all([plain.evaluate(scenario, arg), traced.evaluate(scenario, arg)]);
    expect(b).toEqual(a);
    expect(b.events).toContain('error');
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
