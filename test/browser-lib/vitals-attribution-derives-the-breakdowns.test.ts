// vitalsAttribution: what web-vitals' attribution build adds, derived from the
// standard build's metric.entries and this page's real Navigation and Resource
// Timing entries. Metric entries are built here with chosen numbers (Chromium
// gives a test no LCP, layout shift or slow interaction on demand); elements,
// text nodes, the navigation entry and resource entries are real.
import { afterEach, expect, test } from 'vitest';
import { userEvent } from 'vitest/browser';
import type { CLSMetric, FCPMetric, INPMetric, LCPMetric, MetricType, TTFBMetric } from 'web-vitals';
import { vitalsAttribution } from '../../src/browser/lib/vitals-attribution.js';
import { freshUrl, loadImage } from './support.js';

const attribution = vitalsAttribution();
const nav = () => performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
const sum = (a: Record<string, unknown>, keys: string[]) => keys.reduce((t, k) => t + (a[k] as number), 0);
afterEach(() => document.body.replaceChildren());

test('this page has a trustworthy navigation entry, shown at once (not prerendered)', () => {
  expect(nav().responseStart).toBeGreaterThan(0);
  expect(nav().responseStart).toBeLessThan(performance.now());
  expect(nav().activationStart).toBe(0);
});

const ttfb = (entry: Partial<PerformanceNavigationTiming> | undefined, value: number) =>
  attribution({ name: 'TTFB', value, entries: entry ? [entry] : [] } as unknown as TTFBMetric);

test('TTFB splits into waiting, cache, DNS, connection and request, adding up to TTFB', () => {
  const a = ttfb({ workerStart: 0, fetchStart: 10, domainLookupStart: 15, connectStart: 22, connectEnd: 30, activationStart: 0 }, 50);
  expect(a).toEqual({ waiting_duration: 10, cache_duration: 5, dns_duration: 7, connection_duration: 8, request_duration: 20 });
});

test('TTFB: a service worker starts the cache phase at workerStart; a prerendered page counts from activation, never below 0', () => {
  expect(ttfb({ workerStart: 4, fetchStart: 10, domainLookupStart: 15, connectStart: 22, connectEnd: 30 }, 50)).toEqual({
    waiting_duration: 4,
    cache_duration: 11,
    dns_duration: 7,
    connection_duration: 8,
    request_duration: 20,
  });
  const prerendered = ttfb({ workerStart: 0, fetchStart: 10, domainLookupStart: 15, connectStart: 22, connectEnd: 30, activationStart: 20 }, 35);
  expect(prerendered).toEqual({ waiting_duration: 0, cache_duration: 0, dns_duration: 2, connection_duration: 8, request_duration: 25 });
  expect(sum(prerendered, Object.keys(prerendered))).toBe(35);
});

test('TTFB from the real navigation entry adds up to the value; a bfcache restore (no entry) is all zeros', () => {
  const n = nav();
  const value = n.responseStart;
  const a = ttfb(n, value);
  expect(a.waiting_duration).toBe(n.fetchStart);
  expect(sum(a, Object.keys(a))).toBeCloseTo(value, 9);
  expect(ttfb(undefined, 12)).toEqual({ waiting_duration: 0, cache_duration: 0, dns_duration: 0, connection_duration: 0, request_duration: 0 });
});

test('FCP splits at the first byte of the document (from the real navigation entry); without an entry all of it is after the first byte', () => {
  const value = nav().responseStart + 100;
  const a = attribution({ name: 'FCP', value, entries: [{ startTime: value }] } as unknown as FCPMetric);
  expect(a).toEqual({ time_to_first_byte: nav().responseStart, first_byte_to_fcp: 100 });
  expect(attribution({ name: 'FCP', value: 80, entries: [] } as unknown as FCPMetric)).toEqual({ time_to_first_byte: 0, first_byte_to_fcp: 80 });
});

const lcp = (value: number, entry?: Partial<LargestContentfulPaint>) => attribution({ name: 'LCP', value, entries: entry ? [{ startTime: value, id: '', url: '', element: null, ...entry }] : [] } as unknown as LCPMetric);
const PARTS = ['time_to_first_byte', 'resource_load_delay', 'resource_load_duration', 'element_render_delay'];

test('LCP of an image: its element and URL, and four parts from its real resource entry that add up to LCP', async () => {
  document.body.innerHTML = '<main id="m"><img class="hero"></main>';
  const img = document.querySelector('img')!;
  const url = freshUrl();
  const entry = await loadImage(url);
  const ttfbMs = nav().responseStart;
  const value = entry.responseEnd + 50;
  const a = lcp(value, { element: img, url, startTime: value });
  expect(a).toEqual({
    element: 'img.hero',
    url,
    time_to_first_byte: ttfbMs,
    resource_load_delay: entry.requestStart - ttfbMs,
    resource_load_duration: entry.responseEnd - entry.requestStart,
    element_render_delay: 50,
  });
  expect(sum(a, PARTS)).toBeCloseTo(value, 9);
});

test('LCP: the resource used is the latest request of the URL that started before the paint', async () => {
  const url = freshUrl();
  const first = await loadImage(url);
  const paint = first.responseEnd + 1;
  // A later request for the same URL (after the paint) did not paint the element.
  const again = new Image();
  again.src = url;
  await again.decode().catch(() => undefined);
  const a = lcp(paint + 10, { url, startTime: paint, id: 'gone' });
  expect(a.element).toBe('#gone');
  expect(a.resource_load_delay).toBe(first.requestStart - nav().responseStart);
  expect(a.resource_load_duration).toBe(first.responseEnd - first.requestStart);
});

test('LCP: of two requests of the URL before the paint, the later one is used', async () => {
  const url = freshUrl();
  await fetch(url, { cache: 'no-store' }).then((r) => r.text());
  await fetch(url, { cache: 'no-store' }).then((r) => r.text());
  await expect.poll(() => performance.getEntriesByName(url, 'resource').length).toBe(2);
  const [, second] = performance.getEntriesByName(url, 'resource') as PerformanceResourceTiming[];
  const paint = second!.responseEnd + 1;
  // A third request, after the paint, did not paint the element.
  await fetch(url, { cache: 'no-store' }).then((r) => r.text());
  await expect.poll(() => performance.getEntriesByName(url, 'resource').length).toBe(3);
  const a = lcp(paint + 1, { url, startTime: paint });
  expect(a.resource_load_delay).toBe(second!.requestStart - nav().responseStart);
  expect(a.resource_load_duration).toBe(second!.responseEnd - second!.requestStart);
});

test('LCP of a cross-origin image without Timing-Allow-Origin: the load starts at its startTime', async () => {
  const url = freshUrl().replace('//localhost:', '//127.0.0.1:');
  const entry = await loadImage(url);
  expect(entry.requestStart).toBe(0);
  const value = entry.responseEnd + 5;
  const a = lcp(value, { url, startTime: value });
  expect(a.resource_load_delay).toBe(entry.startTime - nav().responseStart);
  expect(a.resource_load_duration).toBe(entry.responseEnd - entry.startTime);
  expect(a.element_render_delay).toBe(5);
});

test('LCP of text: no URL, no resource parts; the render delay is the rest after the first byte', () => {
  document.body.innerHTML = '<div><p id="intro">text</p></div>';
  const value = nav().responseStart + 70;
  expect(lcp(value, { element: document.querySelector('p')! })).toEqual({
    element: 'p#intro',
    url: undefined,
    time_to_first_byte: nav().responseStart,
    resource_load_delay: 0,
    resource_load_duration: 0,
    element_render_delay: 70,
  });
});

test('LCP: a video still loading after its paint is capped at LCP; a resource never requested counts as none', async () => {
  const url = freshUrl();
  const entry = await loadImage(url);
  // Painted (reported) before the response ended.
  const value = entry.requestStart + 0.5;
  const a = lcp(value, { url, startTime: entry.requestStart });
  expect(a.resource_load_duration).toBe(value - entry.requestStart);
  expect(a.element_render_delay).toBe(0);
  const none = lcp(nav().responseStart + 9, { url: freshUrl() });
  expect([none.resource_load_delay, none.resource_load_duration, none.element_render_delay]).toEqual([0, 0, 9]);
});

test('LCP without entries: nothing known but the value', () => {
  expect(lcp(40)).toEqual({ element: undefined, url: undefined, time_to_first_byte: 0, resource_load_delay: 0, resource_load_duration: 0, element_render_delay: 40 });
});

const cls = (entries: { value: number; sources: { node?: Node | null }[] }[]) => attribution({ name: 'CLS', value: 0, entries } as unknown as CLSMetric);

test('CLS: the largest shift (the later one on a tie) and the element it moved, before text nodes', () => {
  document.body.innerHTML = '<section id="s"><p class="moved">text</p><div id="other"></div></section>';
  const p = document.querySelector('p')!;
  const other = document.querySelector('#other')!;
  expect(cls([{ value: 0.1, sources: [{ node: other }] }, { value: 0.3, sources: [{ node: p.firstChild }, { node: p }] }, { value: 0.2, sources: [{ node: other }] }])).toEqual({
    largest_shift_target: 'p.moved',
    largest_shift_value: 0.3,
  });
  expect(cls([{ value: 0.3, sources: [{ node: other }] }, { value: 0.3, sources: [{ node: p }] }]).largest_shift_target).toBe('p.moved');
  // The text of one element listed before another element: the element is the target.
  expect(cls([{ value: 0.4, sources: [{ node: p.firstChild }, { node: other }] }]).largest_shift_target).toBe('div#other');
});

test('CLS: a text node alone is described by its element; a removed node by nothing; no shift at all by nothing', () => {
  document.body.innerHTML = '<article><h1 class="title">Hello</h1></article>';
  const text = document.querySelector('h1')!.firstChild!;
  expect(cls([{ value: 0.05, sources: [{ node: text }] }])).toEqual({ largest_shift_target: 'h1.title', largest_shift_value: 0.05 });
  expect(cls([{ value: 0.05, sources: [{ node: null }] }])).toEqual({ largest_shift_target: undefined, largest_shift_value: 0.05 });
  expect(cls([{ value: 0.05, sources: [] }])).toEqual({ largest_shift_target: undefined, largest_shift_value: undefined });
  expect(cls([])).toEqual({ largest_shift_target: undefined, largest_shift_value: undefined });
});

type Ev = Partial<PerformanceEventTiming> & { name: string; startTime: number; duration: number; processingStart: number; processingEnd: number };
const inp = (entries: Ev[], value = entries[0] ? entries[0].duration : 0) => attribution({ name: 'INP', value, entries } as unknown as INPMetric);
const PHASES = ['input_delay', 'processing_duration', 'presentation_delay'];

test('INP: target, type and three phases that add up to the interaction', () => {
  document.body.innerHTML = '<form><button id="buy">Buy</button></form>';
  const target = document.querySelector('button')!;
  const a = inp([{ name: 'pointerdown', startTime: 100, duration: 80, processingStart: 110, processingEnd: 150, target }]);
  expect(a).toEqual({ interaction_target: 'button#buy', interaction_type: 'pointer', input_delay: 10, processing_duration: 40, presentation_delay: 30 });
  expect(sum(a, PHASES)).toBe(80);
});

test('INP: processing runs over every event of the frame (render times within 8 ms), from the earliest start to the latest end', () => {
  const a = inp([
    { name: 'keydown', startTime: 100, duration: 80, processingStart: 110, processingEnd: 120 },
    { name: 'keyup', startTime: 101, duration: 87, processingStart: 108, processingEnd: 160 },
    { name: 'keypress', startTime: 100, duration: 72, processingStart: 112, processingEnd: 165 },
    // Render time 189: another frame.
    { name: 'input', startTime: 100, duration: 89, processingStart: 105, processingEnd: 175 },
  ]);
  expect(a.interaction_type).toBe('keyboard');
  expect([a.input_delay, a.processing_duration, a.presentation_delay]).toEqual([8, 57, 15]);
  const before = inp([
    { name: 'click', startTime: 100, duration: 80, processingStart: 110, processingEnd: 120 },
    { name: 'pointerup', startTime: 100, duration: 71, processingStart: 109, processingEnd: 130 },
    { name: 'pointerdown', startTime: 100, duration: 88, processingStart: 108, processingEnd: 140 },
    { name: 'input', startTime: 100, duration: 70, processingStart: 101, processingEnd: 150 },
  ]);
  expect([before.input_delay, before.processing_duration, before.presentation_delay]).toEqual([8, 32, 40]);
});

test('INP: an earlier handler still running makes no negative input delay; a sync modal is capped at the paint', () => {
  const early = inp([{ name: 'click', startTime: 100, duration: 50, processingStart: 90, processingEnd: 120 }]);
  expect([early.input_delay, early.processing_duration, early.presentation_delay]).toEqual([0, 20, 30]);
  const modal = inp([{ name: 'click', startTime: 100, duration: 50, processingStart: 110, processingEnd: 400 }]);
  expect([modal.input_delay, modal.processing_duration, modal.presentation_delay]).toEqual([10, 40, 0]);
  // Processing that starts after the reported paint: the paint is taken to be no earlier than it.
  const late = inp([{ name: 'click', startTime: 100, duration: 50, processingStart: 170, processingEnd: 180 }]);
  expect([late.input_delay, late.processing_duration, late.presentation_delay]).toEqual([70, 0, 0]);
});

test('INP: the first entry with a target names it; without one, the browser\'s own selector; a bfcache restore is all presentation', () => {
  document.body.innerHTML = '<ul><li data-testid="row">x</li></ul>';
  const li = document.querySelector('li')!;
  const e = (x: Partial<Ev>): Ev => ({ name: 'click', startTime: 0, duration: 40, processingStart: 1, processingEnd: 2, ...x });
  expect(inp([e({ target: null }), e({ target: li })]).interaction_target).toBe('li[data-testid="row"]');
  expect(inp([e({}), e({ targetSelector: 'li.gone' } as Partial<Ev>)]).interaction_target).toBe('li.gone');
  expect(inp([e({})]).interaction_target).toBeUndefined();
  expect(inp([], 56)).toEqual({ input_delay: 0, processing_duration: 0, presentation_delay: 56 });
});

test('INP: a slow event the page really handled (Event Timing, observed by vitalsAttribution) counts in the interaction\'s frame', async () => {
  document.body.innerHTML = '<button id="slow">Slow</button>';
  const button = document.querySelector('button')!;
  // A handler that blocks the main thread long enough for Event Timing to report the click (durationThreshold 40).
  button.addEventListener('click', () => {
    const until = performance.now() + 80;
    while (performance.now() < until);
  });
  const seen: PerformanceEventTiming[] = [];
  const watch = new PerformanceObserver((list) => void seen.push(...(list.getEntries() as PerformanceEventTiming[])));
  watch.observe({ type: 'event', durationThreshold: 16 });
  await userEvent.click(button);
  await expect.poll(() => seen.some((e) => e.name === 'click')).toBe(true);
  watch.disconnect();
  const click = seen.find((e) => e.name === 'click')!;
  // The interaction as web-vitals reports it: an entry of the same frame whose own processing was short.
  const a = inp([{ name: 'pointerdown', startTime: click.startTime, duration: click.duration, processingStart: click.processingStart, processingEnd: click.processingStart, target: button }], click.duration);
  const renderTime = click.startTime + click.duration;
  expect(a.interaction_target).toBe('button#slow');
  // Processing ends with the click handler, the last of the frame's events to run (capped at the paint).
  expect(click.startTime + (a.input_delay as number) + (a.processing_duration as number)).toBeCloseTo(Math.min(click.processingEnd, renderTime), 6);
  expect(a.processing_duration).toBeGreaterThan(0);
});

test('every metric name goes to its own attribution', () => {
  const names = (m: Partial<MetricType>) => Object.keys(attribution({ value: 1, entries: [], ...m } as MetricType)).sort();
  expect(names({ name: 'LCP' })).toEqual(['element', 'element_render_delay', 'resource_load_delay', 'resource_load_duration', 'time_to_first_byte', 'url']);
  expect(names({ name: 'INP' })).toEqual(['input_delay', 'presentation_delay', 'processing_duration']);
  expect(names({ name: 'CLS' })).toEqual(['largest_shift_target', 'largest_shift_value']);
  expect(names({ name: 'FCP' })).toEqual(['first_byte_to_fcp', 'time_to_first_byte']);
  expect(names({ name: 'TTFB' })).toEqual(['cache_duration', 'connection_duration', 'dns_duration', 'request_duration', 'waiting_duration']);
});
