import { describe, expect, it } from 'vitest';
import { SpanStatusCode, createTracing, setDiagnosticSink, type ReadableSpan } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

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

  it('accepts Date, epoch-ms and HrTime start/end times and never ends before it starts', () => {
    const { tracer, last } = setup();
    tracer.startSpan('a', { startTime: new Date(1_700_000_000_000) }).end([1_700_000_001, 500_000_000]);
    expect(last().startTime).toBe(1_700_000_000_000);
    expect(last().endTime).toBe(1_700_000_001_500);
    tracer.startSpan('b', { startTime: 2000 }).end(1000);
    expect(last().endTime).toBe(last().startTime);
  });
});
