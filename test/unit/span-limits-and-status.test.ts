import { describe, expect, it } from 'vitest';
import { SpanStatusCode, createTracing, setDiagnosticSink, type ReadableSpan } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { memoryExporter } from './helpers/spans.js';

const messages = captureDiagnostics();

function setup(spanLimits = {}) {
  const exporter = memoryExporter();
  const tracing = createTracing({ serviceName: 'limits', exporter, batch: false, spanLimits });
  return { tracer: tracing.tracer, last: (): ReadableSpan => exporter.spans[exporter.spans.length - 1]! };
}

describe('span', () => {
  it('keeps at most 128 attributes by default and counts the rest as dropped', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    for (let i = 0; i < 130; i++) span.setAttribute('k' + i, i);
    span.setAttribute('k0', 'overwrite is not a drop');
    span.end();
    expect(Object.keys(last().attributes)).toHaveLength(128);
    expect(last().droppedAttributesCount).toBe(2);
    expect(last().attributes.k0).toBe('overwrite is not a drop');
  });

  it('truncates long strings to attributeValueLengthLimit, in arrays too', () => {
    const { tracer, last } = setup({ attributeValueLengthLimit: 3 });
    tracer.startSpan('a', { attributes: { s: 'abcdef', arr: ['abcd', 'x'], n: 12345 } }).end();
    expect(last().attributes).toEqual({ s: 'abc', arr: ['abc', 'x'], n: 12345 });
  });

  it('records booleans, and arrays of one primitive type; ignores arrays of objects or arrays', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    span.setAttribute('flag', false);
    span.setAttribute('strings', ['a', 'b']);
    span.setAttribute('numbers', [1, 2.5]);
    span.setAttribute('booleans', [true, false]);
    span.setAttribute('objects', [{ a: 1 }] as never);
    span.setAttribute('nested', [[1]] as never);
    span.end();
    expect({ ...last().attributes }).toEqual({ flag: false, strings: ['a', 'b'], numbers: [1, 2.5], booleans: [true, false] });
    expect(last().droppedAttributesCount).toBe(0);
  });

  it('events and links ignore an empty key, as spans do, without counting it as dropped', () => {
    const { tracer, last } = setup();
    const ctx = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    const span = tracer.startSpan('a', { links: [{ context: ctx, attributes: { '': 1, kept: 2 } }] });
    span.addEvent('e', { '': 'empty key', kept: true });
    span.end();
    expect({ ...last().events[0]!.attributes }).toEqual({ kept: true });
    expect(last().events[0]!.droppedAttributesCount).toBe(0);
    expect({ ...last().links[0]!.attributes }).toEqual({ kept: 2 });
  });

  it('ignores invalid attribute values without counting them as dropped', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    span.setAttribute('obj', { a: 1 } as never);
    span.setAttribute('mixed', [1, 'a'] as never);
    span.setAttribute('undef', undefined);
    span.setAttribute('', 'empty key');
    span.setAttribute('__proto__', 'plain key');
    span.setAttribute('nullable', ['a', null]);
    span.end();
    expect(Object.entries(last().attributes)).toEqual([
      ['__proto__', 'plain key'],
      ['nullable', ['a', null]],
    ]);
    expect(last().droppedAttributesCount).toBe(0);
  });

  it('copies array attributes so later mutation by the caller changes nothing', () => {
    const { tracer, last } = setup();
    const arr = ['a'];
    tracer.startSpan('a', { attributes: { arr } }).end();
    arr.push('b');
    expect(last().attributes.arr).toEqual(['a']);
  });

  it('bounds events, links and their attributes with dropped counts', () => {
    const { tracer, last } = setup({ eventCountLimit: 2, linkCountLimit: 1, attributePerEventCountLimit: 1, attributePerLinkCountLimit: 1 });
    const ctx = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    const span = tracer.startSpan('a', { links: [{ context: ctx, attributes: { x: 1, y: 2 } }, { context: ctx }] });
    span.addEvent('e1', { a: 1, b: 2, c: 3 });
    span.addEvent('e2');
    span.addEvent('e3');
    span.end();
    expect(last().events.map((e) => e.name)).toEqual(['e1', 'e2']);
    expect(last().events[0]!.droppedAttributesCount).toBe(2);
    expect(last().droppedEventsCount).toBe(1);
    expect(last().links).toHaveLength(1);
    expect(last().links[0]!.droppedAttributesCount).toBe(1);
    expect(last().droppedLinksCount).toBe(1);
  });

  it('counts dropped events and dropped links each in its own field', () => {
    const { tracer, last } = setup({ eventCountLimit: 1, linkCountLimit: 1 });
    const ctx = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    const span = tracer.startSpan('a', { links: [{ context: ctx }, { context: ctx }] });
    for (let i = 0; i < 4; i++) span.addEvent('e' + i);
    span.end();
    expect(last().droppedEventsCount).toBe(3);
    expect(last().droppedLinksCount).toBe(1);
  });

  it('takes an event time as the second argument (epoch ms, Date or HrTime) or after the attributes', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false, clock: () => 42 });
    const span = tracer.startSpan('a');
    span.addEvent('ms', 1_700_000_000_000);
    span.addEvent('date', new Date(1_700_000_000_001));
    span.addEvent('hrtime', [1_700_000_000, 2_000_000]);
    span.addEvent('after attributes', { a: 1 }, 1_700_000_000_003);
    span.addEvent('now');
    span.end();
    const events = exporter.spans[0]!.events;
    expect(events.map((e) => [e.name, e.time])).toEqual([
      ['ms', 1_700_000_000_000],
      ['date', 1_700_000_000_001],
      ['hrtime', 1_700_000_000_002],
      ['after attributes', 1_700_000_000_003],
      ['now', 42],
    ]);
    expect(events.map((e) => Object.keys(e.attributes))).toEqual([[], [], [], ['a'], []]);
  });

  it('follows status precedence: OK is final, UNSET is ignored, message only with ERROR', () => {
    const { tracer, last } = setup();
    const a = tracer.startSpan('a');
    a.setStatus({ code: SpanStatusCode.ERROR, message: 'x' });
    a.setStatus({ code: SpanStatusCode.UNSET });
    a.end();
    expect(last().status).toEqual({ code: SpanStatusCode.ERROR, message: 'x' });
    const b = tracer.startSpan('b');
    b.setStatus({ code: SpanStatusCode.OK, message: 'ignored' });
    b.setStatus({ code: SpanStatusCode.ERROR, message: 'too late' });
    b.end();
    expect(last().status).toEqual({ code: SpanStatusCode.OK });
  });

  it('an ERROR description that is not a string is left out', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 42 as unknown as string });
    span.end();
    expect(last().status).toStrictEqual({ code: SpanStatusCode.ERROR });
  });

  it('updateName renames a span until it ends', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('GET');
    span.updateName('GET /cart/:id');
    span.end();
    span.updateName('too late');
    expect(last().name).toBe('GET /cart/:id');
  });

  it('records exceptions with semantic-convention attributes', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    const err = new TypeError('bad thing');
    span.recordException(err);
    span.recordException('just a message');
    span.end();
    expect(last().events[0]!.name).toBe('exception');
    expect(last().events[0]!.attributes).toMatchObject({ 'exception.type': 'TypeError', 'exception.message': 'bad thing' });
    expect(String(last().events[0]!.attributes['exception.stacktrace'])).toContain('bad thing');
    expect({ ...last().events[1]!.attributes }).toEqual({ 'exception.message': 'just a message' });
  });

  it('an exception with an empty name or code gets no exception.type', () => {
    const { tracer, last } = setup();
    const span = tracer.startSpan('a');
    span.recordException({ name: '', message: 'm' });
    span.recordException({ code: 'ECONNRESET', name: 'Error', message: 'reset' });
    span.end();
    expect({ ...last().events[0]!.attributes }).toEqual({ 'exception.message': 'm' });
    expect(last().events[1]!.attributes['exception.type']).toBe('ECONNRESET');
  });

  it('ignores calls after end() with one diagnostic, and ends only once', () => {
    const messages: string[] = [];
    const previous = setDiagnosticSink((_l, m) => messages.push(m));
    try {
      const exporter = memoryExporter();
      const { tracer } = createTracing({ exporter, batch: false });
      const span = tracer.startSpan('a');
      span.end();
      span.setAttribute('late', 1);
      span.end();
      span.end();
      expect(exporter.spans).toHaveLength(1);
      expect(exporter.spans[0]!.attributes.late).toBeUndefined();
      expect(span.isRecording()).toBe(false);
      expect(messages.filter((m) => m.includes('end called on an ended span'))).toHaveLength(1);
    } finally {
      setDiagnosticSink(previous);
    }
  });

  it('ignores every change after end(); the diagnostic names each method once', () => {
    const { tracer, last } = setup();
    const ctx = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    const span = tracer.startSpan('done', { attributes: { before: 1 }, startTime: 1000 });
    span.end(5000);
    span.setAttribute('late', 1);
    span.setAttributes({ late: 2 });
    span.addEvent('late');
    span.recordException(new Error('late'));
    span.addLink({ context: ctx });
    span.addLinks([{ context: ctx }]);
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'late' });
    span.updateName('renamed');
    span.end(6000);
    const s = last();
    expect([s.name, { ...s.attributes }, s.events, s.links, s.status, s.endTime]).toEqual(['done', { before: 1 }, [], [], { code: SpanStatusCode.UNSET }, 5000]);
    expect(messages).toEqual(
      ['setAttribute', 'addEvent', 'addLink', 'setStatus', 'updateName', 'end'].map((method) => `${method} called on an ended span ("done"); ignored`),
    );
  });

  it('a span may end at its start time; one that ends before it is set to its start, with a diagnostic naming it', () => {
    const { tracer, last } = setup();
    tracer.startSpan('instant', { startTime: 1000 }).end(1000);
    expect(messages).toEqual([]);
    tracer.startSpan('backwards', { startTime: 2000 }).end(1000);
    expect(last().endTime).toBe(2000);
    expect(messages).toEqual(['span "backwards" ended before it started; its end time is set to its start time']);
  });

  it('a sampled-out span takes the same chained calls as a recording one', () => {
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false, registerGlobals: false, sampler: 'always_off' });
    const span = tracer.startSpan('dropped');
    const ctx = span.spanContext();
    expect(
      span
        .setAttribute('a', 1)
        .setAttributes({ b: 2 })
        .addEvent('e')
        .addLink({ context: ctx })
        .addLinks([])
        .setStatus({ code: SpanStatusCode.OK })
        .updateName('still dropped'),
    ).toBe(span);
    span.end();
    expect(exporter.spans).toEqual([]);
  });

  it('accepts Date, epoch-ms and HrTime start/end times and never ends before it starts', () => {
    const { tracer, last } = setup();
    tracer.startSpan('a', { startTime: new Date(1_700_000_000_000) }).end([1_700_000_001, 500_000_000]);
    expect(last().startTime).toBe(1_700_000_000_000);
    expect(last().endTime).toBe(1_700_000_001_500);
    tracer.startSpan('b', { startTime: 2000 }).end(1000);
    expect(last().endTime).toBe(last().startTime);
  });
});
