// lib/resource-timing: span attributes and events from this page's real
// Resource Timing entries (requests to the vitest server: same origin, and
// cross-origin through 127.0.0.1 without Timing-Allow-Origin). A span waiting
// for its entry ends when the entry arrives, after the wait, or on flush:
// the tests wait for those events, never for the clock.
import { afterEach, expect, test } from 'vitest';
import { FETCH_PHASES, endPendingResourceSpans, endWithResourceTiming, resourceAttributes, resourceSpan, resourceTimingDetails } from '../../src/browser/lib/resource-timing.js';
import { ROOT_CONTEXT, SpanKind, setDiagnosticSink, setSpan } from '../../src/index.js';
import { resetDiagnostics } from '../../src/core/diag.js';
import { entryOf, fetchEntry, freshUrl, loadImage, recordingTracer } from './support.js';

const FIXTURE = '/test/browser-lib/fixtures/dot.svg';
const crossOrigin = () => freshUrl(FIXTURE).replace('//localhost:', '//127.0.0.1:');
const phasesOf = (entry: PerformanceResourceTiming) => FETCH_PHASES.filter((p) => entry[p] > 0);

afterEach(() => endPendingResourceSpans());

test('same origin: body, transfer and decoded sizes, and the protocol name, from the entry', async () => {
  const { entry, body } = await fetchEntry(freshUrl(FIXTURE));
  expect(entry.nextHopProtocol).toBe('http/1.1');
  expect(entry.encodedBodySize).toBe(body.length);
  expect(resourceAttributes(entry)).toEqual({
    'http.response.body.size': body.length,
    'http.response.size': entry.transferSize,
    'http.response.decoded_body.size': body.length,
    'network.protocol.name': 'http',
  });
  expect(entry.transferSize).toBeGreaterThan(body.length);
});

test('cross-origin without Timing-Allow-Origin: zero sizes and no protocol, so no attributes at all', async () => {
  expect(location.hostname).toBe('localhost');
  const entry = await loadImage(crossOrigin());
  expect(entry.transferSize).toBe(0);
  expect(entry.nextHopProtocol).toBe('');
  expect(resourceAttributes(entry)).toEqual({});
});

test('a protocol other than HTTP is named as the entry reports it; HTTP versions are all "http"', () => {
  const entry = (nextHopProtocol: string) => ({ nextHopProtocol, encodedBodySize: 0, transferSize: 0, decodedBodySize: 0 }) as PerformanceResourceTiming;
  expect(resourceAttributes(entry('h2'))).toEqual({ 'network.protocol.name': 'http' });
  expect(resourceAttributes(entry('h3'))).toEqual({ 'network.protocol.name': 'http' });
  expect(resourceAttributes(entry('quic'))).toEqual({ 'network.protocol.name': 'quic' });
});

test('resourceSpan: a finished CLIENT span from the entry start to its responseEnd, url.full redacted, with initiator type, sizes and extras, under the given parent', async () => {
  const { tracer, spans } = recordingTracer();
  const entry = await loadImage(freshUrl(FIXTURE, '&sig=s3cret'));
  const parent = tracer.startSpan('documentLoad');
  resourceSpan(tracer, 'resourceFetch', entry, {}, setSpan(ROOT_CONTEXT, parent), undefined, { 'test.extra': 1 });
  const [span] = spans;
  expect(span!.name).toBe('resourceFetch');
  expect(span!.kind).toBe(SpanKind.CLIENT);
  expect(span!.parentSpanId).toBe(parent.spanContext().spanId);
  expect(span!.startTime).toBe(performance.timeOrigin + entry.startTime);
  expect(span!.endTime).toBe(performance.timeOrigin + entry.responseEnd);
  expect(span!.attributes).toEqual({
    'url.full': entry.name.replace('sig=s3cret', 'sig=REDACTED'),
    'browser.resource.initiator_type': 'img',
    ...resourceAttributes(entry),
    'test.extra': 1,
  });
  expect(span!.attributes['http.response.body.size']).toBeGreaterThan(0);
});

test('resourceSpan: from an explicit start (documentFetch starts at fetchStart), with the policy redaction list', async () => {
  const { tracer, spans } = recordingTracer();
  const entry = await loadImage(freshUrl(FIXTURE, '&token=t&sig=s'));
  resourceSpan(tracer, 'documentFetch', entry, { redactQueryParams: ['token'] }, undefined, entry.fetchStart + 1);
  expect(spans[0]!.startTime).toBe(performance.timeOrigin + entry.fetchStart + 1);
  expect(spans[0]!.parentSpanId).toBeUndefined();
  expect(spans[0]!.attributes['url.full']).toBe(entry.name.replace('token=t', 'token=REDACTED'));
});

test('an entry already there: the span ends at once, at its own end time, with the phases above zero as events and the sizes', async () => {
  const { tracer, spans } = recordingTracer();
  const url = freshUrl(FIXTURE);
  const start = tracer.clock();
  const { entry } = await fetchEntry(url);
  const span = tracer.startSpan('GET', { startTime: start });
  const end = performance.timeOrigin + entry.responseEnd + 5;
  endWithResourceTiming(span, url, start, end, 60_000);
  expect(spans).toHaveLength(1);
  expect(spans[0]!.endTime).toBe(end);
  // http: no secure connection; every other phase is above zero.
  expect(entry.secureConnectionStart).toBe(0);
  expect(phasesOf(entry)).toEqual(FETCH_PHASES.filter((p) => p !== 'secureConnectionStart'));
  expect(spans[0]!.events.map((e) => [e.name, e.time])).toEqual(phasesOf(entry).map((p) => [p, performance.timeOrigin + entry[p]]));
  expect(spans[0]!.attributes).toEqual(resourceAttributes(entry));
});

test('an entry that arrives later ends the waiting span when it arrives', async () => {
  const { tracer, spans } = recordingTracer();
  const url = freshUrl(FIXTURE);
  const start = tracer.clock();
  const span = tracer.startSpan('GET', { startTime: start });
  endWithResourceTiming(span, url, start, start + 1, 600_000);
  expect(spans).toHaveLength(0);
  const { entry } = await fetchEntry(url);
  await expect.poll(() => spans.length).toBe(1);
  expect(spans[0]!.endTime).toBe(start + 1);
  expect(spans[0]!.events.map((e) => e.name)).toEqual(phasesOf(entry));
  expect(spans[0]!.attributes['http.response.body.size']).toBe(entry.encodedBodySize);
});

test('after the observer had nothing left to wait for, a new waiting span is still ended by its entry', async () => {
  const { tracer, spans } = recordingTracer();
  for (let i = 0; i < 2; i++) {
    const url = freshUrl(FIXTURE);
    const start = tracer.clock();
    endWithResourceTiming(tracer.startSpan('GET', { startTime: start }), url, start, start + 1, 600_000);
    await fetchEntry(url);
    await expect.poll(() => spans.length).toBe(i + 1);
    expect(spans[i]!.events.length).toBeGreaterThan(0);
  }
});

test('an entry of an earlier request for the same URL is not this span\'s; one entry is claimed by one span only', async () => {
  const { tracer, spans } = recordingTracer();
  const url = freshUrl(FIXTURE);
  const { entry } = await fetchEntry(url);
  // A span that started after that request (by more than the 1 ms of rounding).
  const later = performance.timeOrigin + entry.startTime + 2;
  endWithResourceTiming(tracer.startSpan('late', { startTime: later }), url, later, later + 1, 600_000);
  expect(spans).toHaveLength(0);
  // Two spans that started with it: the first takes the entry, the second waits.
  const within = performance.timeOrigin + entry.startTime + 0.5;
  endWithResourceTiming(tracer.startSpan('first', { startTime: within }), url, within, within + 1, 600_000);
  endWithResourceTiming(tracer.startSpan('second', { startTime: within }), url, within, within + 1, 600_000);
  expect(spans.map((s) => [s.name, s.events.length > 0])).toEqual([['first', true]]);
  endPendingResourceSpans();
  expect(spans.map((s) => [s.name, s.events.length])).toEqual([
    ['first', phasesOf(entry).length],
    ['late', 0],
    ['second', 0],
  ]);
});

test('two spans waiting at once: each is ended by its own entry, whichever arrives first', async () => {
  const { tracer, spans } = recordingTracer();
  const [urlA, urlB] = [freshUrl(FIXTURE), freshUrl(FIXTURE)];
  const start = tracer.clock();
  endWithResourceTiming(tracer.startSpan('B', { startTime: start }), urlB, start, start + 1, 600_000);
  endWithResourceTiming(tracer.startSpan('A', { startTime: start }), urlA, start, start + 1, 600_000);
  const { entry: a } = await fetchEntry(urlA);
  await expect.poll(() => spans.map((s) => s.name)).toEqual(['A']);
  expect(spans[0]!.attributes['http.response.size']).toBe(a.transferSize);
  const { entry: b } = await fetchEntry(urlB);
  await expect.poll(() => spans.map((s) => s.name)).toEqual(['A', 'B']);
  expect(spans[1]!.events.map((e) => e.time)).toEqual(phasesOf(b).map((p) => performance.timeOrigin + b[p]));
});

test('a span flushed before its wait ran out is not ended a second time when the wait does run out', async () => {
  const { tracer, spans } = recordingTracer();
  const messages: string[] = [];
  resetDiagnostics();
  const previous = setDiagnosticSink((_level, message) => void messages.push(message));
  try {
    const start = tracer.clock();
    endWithResourceTiming(tracer.startSpan('GET', { startTime: start }), freshUrl('/never-requested'), start, start + 1, 0);
    endPendingResourceSpans();
    expect(spans).toHaveLength(1);
    // The wait's timer was set before this one: it would have run by now.
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(messages).toEqual([]);
    expect(spans).toHaveLength(1);
  } finally {
    setDiagnosticSink(previous);
  }
});

test('no entry within the wait: the span ends without events or sizes, at its own end time', async () => {
  const { tracer, spans } = recordingTracer();
  const start = tracer.clock();
  endWithResourceTiming(tracer.startSpan('GET', { startTime: start }), freshUrl('/never-requested'), start, start + 3, 0);
  expect(spans).toHaveLength(0);
  await expect.poll(() => spans.length).toBe(1);
  expect(spans[0]!.endTime).toBe(start + 3);
  expect(spans[0]!.events).toEqual([]);
  expect(spans[0]!.attributes).toEqual({});
});

test('flush (the page is hidden) ends every waiting span: with its entry when it has come meanwhile, else without', async () => {
  const { tracer, spans } = recordingTracer();
  const start = tracer.clock();
  const fetched = freshUrl(FIXTURE);
  const details = resourceTimingDetails({ waitMs: 600_000 });
  details.end(tracer.startSpan('never', { startTime: start }), freshUrl('/never-requested'), start, start + 1);
  expect(spans).toHaveLength(0);
  details.flush();
  expect(spans.map((s) => s.name)).toEqual(['never']);
  // The entry is in the timeline, but the observer has not told us yet: flush reads the timeline.
  const response = await fetch(fetched);
  details.end(tracer.startSpan('fetched', { startTime: start }), fetched, start, start + 1);
  await response.text();
  await entryOf(fetched);
  details.flush();
  expect(spans.map((s) => s.name)).toEqual(['never', 'fetched']);
  expect(spans[1]!.events.length).toBeGreaterThan(0);
});

test('resourceTimingDetails waits 1000 ms by default and accepts 0; a negative wait is refused', () => {
  expect(() => resourceTimingDetails()).not.toThrow();
  expect(() => resourceTimingDetails({ waitMs: 0 })).not.toThrow();
  expect(() => resourceTimingDetails({ waitMs: -1 })).toThrow(/waitMs/);
});
