// recordVitals: each web-vitals report becomes one root span named by the
// metric, with browser.web_vital.* and the attribution's string and number
// fields in snake_case; the first report per id wins; nothing thrown reaches
// the page. The `on` functions stand in for web-vitals' onLCP, onCLS, ...
import { expect, test } from 'vitest';
import type { Metric } from 'web-vitals';
import { recordVitals } from '../../src/browser/lib/record-vitals.js';
import { ROOT_CONTEXT, setSpan } from '../../src/index.js';
import { recordingTracer } from './support.js';

const metric = (m: Partial<Metric> = {}): Metric => ({ name: 'LCP', value: 1234.5, rating: 'needs-improvement', delta: 1234.5, id: 'v5-1', navigationType: 'back-forward-cache', entries: [], ...m }) as Metric;

/** An `on` function that hands `report` to the test. */
function source() {
  let report: ((m: Metric) => void) | undefined;
  return { on: (r: (m: Metric) => void) => void (report = r), report: (m: Metric) => report!(m) };
}

test('one root span per metric, named by it, starting and ending at once, with the metric fields', () => {
  const { tracer, spans } = recordingTracer();
  const lcp = source();
  const cls = source();
  recordVitals(tracer, {}, [lcp.on, cls.on], () => ({}));
  const parent = tracer.startSpan('interaction');
  const before = tracer.clock();
  tracer.startActiveSpan('interaction', {}, setSpan(ROOT_CONTEXT, parent), () => lcp.report(metric()));
  cls.report(metric({ name: 'CLS', value: 0.25, rating: 'poor', delta: 0.05, id: 'v5-2', navigationType: 'navigate' }));
  expect(spans.map((s) => s.name)).toEqual(['LCP', 'CLS']);
  const [l, c] = spans;
  expect(l!.parentSpanId).toBeUndefined();
  expect(l!.spanContext().traceId).not.toBe(parent.spanContext().traceId);
  expect(l!.startTime).toBe(l!.endTime);
  expect(l!.startTime).toBeGreaterThanOrEqual(before);
  expect(l!.attributes).toEqual({
    'browser.web_vital.name': 'lcp',
    'browser.web_vital.value': 1234.5,
    'browser.web_vital.rating': 'needs-improvement',
    'browser.web_vital.delta': 1234.5,
    'browser.web_vital.id': 'v5-1',
    'browser.web_vital.navigation_type': 'back-forward-cache',
  });
  expect(c!.attributes['browser.web_vital.name']).toBe('cls');
  expect(c!.attributes['browser.web_vital.delta']).toBe(0.05);
});

test('attribution fields: strings and numbers only, in snake_case (target as element), url redacted', () => {
  const { tracer, spans } = recordingTracer();
  const lcp = source();
  recordVitals(tracer, { redactQueryParams: ['token'] }, [lcp.on], () => ({
    target: 'img.hero',
    url: 'https://u:p@cdn.example.com/hero.jpg?token=t&w=1',
    timeToFirstByte: 10,
    firstByteToFCP: 0,
    elementRenderDelay: 2,
    undefinedField: undefined,
    objectField: { a: 1 },
    boolField: true,
  }));
  lcp.report(metric());
  const attribution = Object.fromEntries(Object.entries(spans[0]!.attributes).filter(([k]) => k.includes('.attribution.')));
  expect(attribution).toEqual({
    'browser.web_vital.attribution.element': 'img.hero',
    'browser.web_vital.attribution.url': 'https://REDACTED:REDACTED@cdn.example.com/hero.jpg?token=REDACTED&w=1',
    'browser.web_vital.attribution.time_to_first_byte': 10,
    'browser.web_vital.attribution.first_byte_to_fcp': 0,
    'browser.web_vital.attribution.element_render_delay': 2,
  });
});

test('a field named url that is not a URL is kept as it is; other strings are never redacted', () => {
  const { tracer, spans } = recordingTracer();
  const s = source();
  recordVitals(tracer, {}, [s.on], () => ({ url: 'not a url', other: 'https://x.example.com/?sig=1' }));
  s.report(metric());
  expect(spans[0]!.attributes['browser.web_vital.attribution.url']).toBe('not a url');
  expect(spans[0]!.attributes['browser.web_vital.attribution.other']).toBe('https://x.example.com/?sig=1');
});

test('a metric reported again with the same id (CLS growing after the page was shown again) is recorded once; a new id again', () => {
  const { tracer, spans } = recordingTracer();
  const s = source();
  recordVitals(tracer, {}, [s.on], () => ({}));
  s.report(metric({ name: 'CLS', id: 'a', value: 0.1 }));
  s.report(metric({ name: 'CLS', id: 'a', value: 0.3 }));
  s.report(metric({ name: 'CLS', id: 'b', value: 0.2 }));
  expect(spans.map((x) => [x.attributes['browser.web_vital.id'], x.attributes['browser.web_vital.value']])).toEqual([
    ['a', 0.1],
    ['b', 0.2],
  ]);
});

test('an attribution that throws costs the span, never the page; the next report is recorded', () => {
  const { tracer, spans } = recordingTracer();
  const s = source();
  let fail = true;
  recordVitals(tracer, {}, [s.on], () => {
    if (fail) throw new Error('boom');
    return {};
  });
  expect(() => s.report(metric({ id: '1' }))).not.toThrow();
  expect(spans).toHaveLength(0);
  fail = false;
  s.report(metric({ id: '2' }));
  expect(spans).toHaveLength(1);
});

test('inherited fields of the attribution (a page extended Object.prototype) are not sent', () => {
  const { tracer, spans } = recordingTracer();
  const s = source();
  recordVitals(tracer, {}, [s.on], () => Object.assign(Object.create({ inherited: 'x' }), { own: 1 }));
  s.report(metric());
  expect(Object.keys(spans[0]!.attributes).filter((k) => k.includes('attribution'))).toEqual(['browser.web_vital.attribution.own']);
});
