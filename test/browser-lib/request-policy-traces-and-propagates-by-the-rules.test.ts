// request-policy: which requests are traced (http(s) only, never the collector,
// not ignored), which get trace headers (same origin always, other origins only
// when allow-listed), how url.full is redacted, and which Resource Timing
// entries become spans. Against this page's real origin and real entries.
import { afterEach, expect, test } from 'vitest';
import { isRecordedResource, redactHref, requestBase, shouldPropagate, shouldTrace, type RequestPolicy } from '../../src/browser/lib/request-policy.js';
import { entryOf, fetchEntry, freshUrl, loadImage } from './support.js';

const policy = (p: Partial<RequestPolicy> = {}): RequestPolicy => ({ propagateTo: [], ignoreUrls: [], redactQueryParams: [], ...p });
const u = (s: string) => new URL(s, location.href);

afterEach(() => document.querySelectorAll('base').forEach((b) => b.remove()));

test('requests resolve against the document base URL: a <base href> on another origin wins over the location', () => {
  expect(requestBase()).toBe(location.href);
  const base = document.createElement('base');
  base.href = 'https://cdn.example.com/app/';
  document.head.append(base);
  expect(requestBase()).toBe('https://cdn.example.com/app/');
});

test('only http and https are traced', () => {
  for (const s of ['http://example.com/a', 'https://example.com/a', location.href]) expect(shouldTrace(u(s), policy())).toBe(true);
  for (const s of ['data:text/plain,x', 'blob:https://example.com/1', 'ws://example.com/', 'wss://example.com/', 'ftp://example.com/x', 'xhttp://example.com/', 'httpx://example.com/', 'file:///etc/hosts', 'chrome-extension://abc/x'])
    expect(shouldTrace(u(s), policy()), s).toBe(false);
});

test('the collector endpoint is never traced, whatever the query; URLs below it or beside it are', () => {
  const p = policy({ exporterUrl: 'https://otel.example.com/v1/traces' });
  expect(shouldTrace(u('https://otel.example.com/v1/traces'), p)).toBe(false);
  expect(shouldTrace(u('https://otel.example.com/v1/traces?x=1'), p)).toBe(false);
  expect(shouldTrace(u('https://otel.example.com/v1/traces/more'), p)).toBe(true);
  expect(shouldTrace(u('https://otel.example.com/v1/logs'), p)).toBe(true);
  expect(shouldTrace(u('https://api.example.com/v1/traces'), p)).toBe(true);
  const withQuery = policy({ exporterUrl: 'https://otel.example.com/v1/traces?key=abc' });
  expect(shouldTrace(u('https://otel.example.com/v1/traces'), withQuery)).toBe(false);
  expect(shouldTrace(u('https://otel.example.com/v1/traces?other=1'), withQuery)).toBe(false);
});

test('ignoreUrls: strings at path boundaries and RegExps, nothing else', () => {
  const p = policy({ ignoreUrls: ['https://ads.example.com', /\/health$/] });
  expect(shouldTrace(u('https://ads.example.com/pixel'), p)).toBe(false);
  expect(shouldTrace(u('https://ads.example.com.evil.test/pixel'), p)).toBe(true);
  expect(shouldTrace(u('https://api.example.com/health'), p)).toBe(false);
  expect(shouldTrace(u('https://api.example.com/healthz'), p)).toBe(true);
});

test('same origin always gets headers, even with an empty allow-list; other origins only when listed', () => {
  expect(shouldPropagate(u('/api/cart?x=1'), policy())).toBe(true);
  expect(shouldPropagate(u(location.origin), policy())).toBe(true);
  expect(shouldPropagate(u('https://api.example.com/cart'), policy())).toBe(false);
  const listed = policy({ propagateTo: ['https://api.example.com', /^https:\/\/[a-z]+\.internal\.test\//] });
  expect(shouldPropagate(u('https://api.example.com/cart'), listed)).toBe(true);
  expect(shouldPropagate(u('https://api.example.com.evil.test/cart'), listed)).toBe(false);
  expect(shouldPropagate(u('https://orders.internal.test/x'), listed)).toBe(true);
  expect(shouldPropagate(u('http://orders.internal.test/x'), listed)).toBe(false);
  // Another port or scheme of this host is another origin.
  const otherPort = new URL(location.href);
  otherPort.port = String(Number(location.port || 80) + 1);
  expect(shouldPropagate(otherPort, policy())).toBe(false);
});

test('a document with an opaque origin (a sandboxed iframe: self.origin is "null") has no same-origin request', () => {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'origin');
  // self.origin is [Replaceable]: a page may assign it, as this test does.
  (globalThis as { origin: string }).origin = 'null';
  try {
    expect(shouldPropagate(u(location.href), policy())).toBe(false);
    expect(shouldPropagate(u(location.href), policy({ propagateTo: [location.origin] }))).toBe(true);
  } finally {
    if (own) Object.defineProperty(globalThis, 'origin', own);
    else delete (globalThis as { origin?: string }).origin;
  }
  expect(globalThis.origin).toBe(location.origin);
});

test('redactHref: credentials and the default secret parameters redacted; the policy list replaces the defaults', () => {
  expect(redactHref('https://user:pw@example.com/a?sig=s3cret&page=2', {})).toBe('https://REDACTED:REDACTED@example.com/a?sig=REDACTED&page=2');
  expect(redactHref('https://example.com/a?AWSAccessKeyId=k&Signature=s&X-Goog-Signature=g', {})).toBe('https://example.com/a?AWSAccessKeyId=REDACTED&Signature=REDACTED&X-Goog-Signature=REDACTED');
  expect(redactHref('https://example.com/a?sig=s&token=t', { redactQueryParams: ['token'] })).toBe('https://example.com/a?sig=s&token=REDACTED');
  expect(redactHref('https://example.com/a?sig=s', { redactQueryParams: [] })).toBe('https://example.com/a?sig=s');
  expect(redactHref('https://example.com/plain', {})).toBe('https://example.com/plain');
  // Not a URL: kept as it is.
  expect(redactHref('not a url', {})).toBe('not a url');
});

test('resource entries become spans unless fetch, XHR or beacon made them, or they are ignored or the collector', async () => {
  const img = await loadImage(freshUrl());
  expect(img.initiatorType).toBe('img');
  expect(isRecordedResource(img, {})).toBe(true);
  expect(isRecordedResource(img, { ignoreUrls: [img.name] })).toBe(false);
  expect(isRecordedResource(img, { ignoreUrls: ['https://other.example.com'] })).toBe(true);
  expect(isRecordedResource(img, { exporterUrl: img.name.split('?')[0] })).toBe(false);
  expect(isRecordedResource(img, { exporterUrl: 'https://otel.example.com/v1/traces' })).toBe(true);

  const { entry: fetched } = await fetchEntry(freshUrl());
  expect(fetched.initiatorType).toBe('fetch');
  expect(isRecordedResource(fetched, {})).toBe(false);

  const xhrUrl = freshUrl();
  await new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', xhrUrl);
    xhr.onloadend = resolve;
    xhr.send();
  });
  const xhr = await entryOf(xhrUrl);
  expect(xhr.initiatorType).toBe('xmlhttprequest');
  expect(isRecordedResource(xhr, {})).toBe(false);

  const beaconUrl = freshUrl();
  expect(navigator.sendBeacon(beaconUrl, 'x')).toBe(true);
  const beacon = await entryOf(beaconUrl);
  expect(beacon.initiatorType).toBe('beacon');
  expect(isRecordedResource(beacon, {})).toBe(false);
});

test('an entry whose name is no URL, or not http(s), never becomes a span', () => {
  const entry = (name: string) => ({ name, initiatorType: 'img' }) as PerformanceResourceTiming;
  expect(isRecordedResource(entry('::not a url'), {})).toBe(false);
  expect(isRecordedResource(entry('data:image/png;base64,AA=='), {})).toBe(false);
  expect(isRecordedResource(entry('https://cdn.example.com/a.png'), {})).toBe(true);
});
