import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, W3CTraceContextPropagator, getSpanContext, parseTraceparent, setSpanContext, suppressTracing, createTracing, TraceFlags } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const tc = new W3CTraceContextPropagator();
const extract = (headers: Record<string, unknown>) => getSpanContext(tc.extract(ROOT_CONTEXT, headers));

describe('W3C traceparent', () => {
  it('a valid version-00 traceparent is parsed', () => {
    expect(parseTraceparent(`00-${T}-${S}-01`)).toEqual({ version: '00', traceId: T, spanId: S, traceFlags: 1 });
  });
  it('traceparent with version ff is invalid', () => {
    expect(parseTraceparent(`ff-${T}-${S}-01`)).toBeUndefined();
  });
  it('upper-case hex is invalid', () => {
    expect(parseTraceparent(`00-${T.toUpperCase()}-${S}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${T}-${S.toUpperCase()}-01`)).toBeUndefined();
  });
  it('wrong field lengths are invalid', () => {
    expect(parseTraceparent(`00-${T}0-${S}-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${T}-${S}0-01`)).toBeUndefined();
    expect(parseTraceparent(`00-${T}-${S}-1`)).toBeUndefined();
  });
  it('version 00 with extra characters is invalid', () => {
    expect(parseTraceparent(`00-${T}-${S}-01-extra`)).toBeUndefined();
  });
  it('all-zero trace-id is invalid', () => {
    expect(parseTraceparent(`00-${'0'.repeat(32)}-${S}-01`)).toBeUndefined();
  });
  it('all-zero parent-id is invalid', () => {
    expect(parseTraceparent(`00-${T}-${'0'.repeat(16)}-01`)).toBeUndefined();
  });
  it('a future version is parsed by its first four fields when the rest is well formed', () => {
    expect(parseTraceparent(`cc-${T}-${S}-01-what-the-future-holds`)).toEqual({ version: 'cc', traceId: T, spanId: S, traceFlags: 1 });
    expect(parseTraceparent(`cc-${T}-${S}-01`)?.traceId).toBe(T);
    expect(parseTraceparent(`cc-${T}-${S}-01x`)).toBeUndefined();
  });
  it('flags keep sampled and random and zero unknown bits', () => {
    expect(parseTraceparent(`00-${T}-${S}-03`)?.traceFlags).toBe(3);
    expect(parseTraceparent(`00-${T}-${S}-ff`)?.traceFlags).toBe(3);
    expect(parseTraceparent(`00-${T}-${S}-00`)?.traceFlags).toBe(0);
  });
  it('an invalid traceparent starts a new trace and drops tracestate', () => {
    const ctx = tc.extract(ROOT_CONTEXT, { traceparent: 'garbage', tracestate: 'a=b' });
    expect(getSpanContext(ctx)).toBeUndefined();
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    tracer.startSpan('server', {}, ctx).end();
    expect(exporter.spans[0]!.parentSpanId).toBeUndefined();
    expect(exporter.spans[0]!.spanContext().traceState).toBeUndefined();
  });
  it('a valid traceparent is continued with a new span id and the flags preserved', () => {
    const ctx = tc.extract(ROOT_CONTEXT, { traceparent: `00-${T}-${S}-01`, tracestate: 'rojo=1' });
    const exporter = memoryExporter();
    const { tracer } = createTracing({ exporter, batch: false });
    tracer.startSpan('server', {}, ctx).end();
    const span = exporter.spans[0]!;
    expect(span.spanContext().traceId).toBe(T);
    expect(span.parentSpanId).toBe(S);
    expect(span.spanContext().spanId).not.toBe(S);
    expect(span.spanContext().traceFlags).toBe(1);
    const out: Record<string, string> = {};
    tc.inject(setSpanContext(ROOT_CONTEXT, span.spanContext()), out);
    expect(out).toEqual({ traceparent: `00-${T}-${span.spanContext().spanId}-01`, tracestate: 'rojo=1' });
  });
  it('several traceparent values are invalid', () => {
    expect(extract({ traceparent: [`00-${T}-${S}-01`, `00-${T}-${S}-01`] })).toBeUndefined();
    expect(extract({ traceparent: `00-${T}-${S}-01, 00-${T}-${S}-01` })).toBeUndefined();
  });
  it('header names are read in any letter case', () => {
    expect(extract({ TraceParent: `00-${T}-${S}-01` })?.traceId).toBe(T);
    expect(getSpanContext(tc.extract(ROOT_CONTEXT, new Headers({ TRACEPARENT: `00-${T}-${S}-01` })))?.isRemote).toBe(true);
  });
  it('our own new trace ids set the random flag', () => {
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false });
    const out: Record<string, string> = {};
    tc.inject(setSpanContext(ROOT_CONTEXT, tracer.startSpan('x').spanContext()), out);
    expect(out.traceparent).toMatch(/-03$/);
    expect(TraceFlags.RANDOM).toBe(2);
  });
  it('inject writes nothing for an invalid context or when tracing is suppressed', () => {
    const out: Record<string, string> = {};
    tc.inject(ROOT_CONTEXT, out);
    tc.inject(suppressTracing(setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: S, traceFlags: 1 })), out);
    expect(out).toEqual({});
  });
});
