import { describe, expect, it } from 'vitest';
import { B3Propagator, ROOT_CONTEXT, getSpanContext, setSpanContext, suppressTracing } from '../../src/index.js';

const T = '80f198ee56343ba864fe8b2a57d3eff7';
const S = 'e457b5a2e4d86bd1';
const sc = (ctx: ReturnType<B3Propagator['extract']>) => getSpanContext(ctx);

describe('B3', () => {
  const b3 = new B3Propagator();
  it('extracts the single b3 header with sampling state and parent', () => {
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}-1-05e3ac9a4f6e3b90` }))).toEqual({ traceId: T, spanId: S, traceFlags: 1, isRemote: true });
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}-0` }))?.traceFlags).toBe(0);
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}` }))?.traceFlags).toBe(0);
  });
  it('pads 64-bit trace ids to 128 bits', () => {
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `64fe8b2a57d3eff7-${S}-1` }))?.traceId).toBe('000000000000000064fe8b2a57d3eff7');
    expect(sc(b3.extract(ROOT_CONTEXT, { 'X-B3-TraceId': '64fe8b2a57d3eff7', 'X-B3-SpanId': S }))?.traceId).toBe('000000000000000064fe8b2a57d3eff7');
  });
  it('debug implies sampled and is propagated on inject', () => {
    const ctx = b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}-d` });
    expect(sc(ctx)?.traceFlags).toBe(1);
    const single: Record<string, string> = {};
    b3.inject(ctx, single);
    expect(single).toEqual({ b3: `${T}-${S}-d` });
    const multi: Record<string, string> = {};
    new B3Propagator({ injectEncoding: 'multi' }).inject(b3.extract(ROOT_CONTEXT, { 'x-b3-traceid': T, 'x-b3-spanid': S, 'x-b3-flags': '1' }), multi);
    expect(multi).toEqual({ 'X-B3-TraceId': T, 'X-B3-SpanId': S, 'X-B3-Flags': '1' });
  });
  it('extracts and injects the multi headers', () => {
    const ctx = b3.extract(ROOT_CONTEXT, { 'X-B3-TraceId': T, 'X-B3-SpanId': S, 'X-B3-Sampled': '1' });
    expect(sc(ctx)).toEqual({ traceId: T, spanId: S, traceFlags: 1, isRemote: true });
    const out: Record<string, string> = {};
    new B3Propagator({ injectEncoding: 'multi' }).inject(ctx, out);
    expect(out).toEqual({ 'X-B3-TraceId': T, 'X-B3-SpanId': S, 'X-B3-Sampled': '1' });
  });
  it('a deny-only b3: 0 or garbage starts a new trace', () => {
    for (const b of ['0', 'garbage', `${T}-zz`, `${T}-${S}-x`, `${'0'.repeat(32)}-${S}-1`]) expect(sc(b3.extract(ROOT_CONTEXT, { b3: b }))).toBeUndefined();
  });
  it('fields list the headers of the configured encoding', () => {
    expect(new B3Propagator().fields()).toEqual(['b3']);
    expect(new B3Propagator({ injectEncoding: 'multi' }).fields()).toEqual(['X-B3-TraceId', 'X-B3-SpanId', 'X-B3-Sampled', 'X-B3-Flags']);
  });
  it('inject writes nothing without a valid span context', () => {
    const out: Record<string, string> = {};
    b3.inject(setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: S, traceFlags: 1 }), out);
    expect(out).toEqual({});
  });
  it('true and false are read as sampling states, as older tracers send them', () => {
    // "instrumentation should accept true|false but only send 1|0" (https://github.com/openzipkin/b3-propagation#sampling-state-1).
    expect(sc(b3.extract(ROOT_CONTEXT, { 'X-B3-TraceId': T, 'X-B3-SpanId': S, 'X-B3-Sampled': 'true' }))?.traceFlags).toBe(1);
    expect(sc(b3.extract(ROOT_CONTEXT, { 'X-B3-TraceId': T, 'X-B3-SpanId': S, 'X-B3-Sampled': 'false' }))?.traceFlags).toBe(0);
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}-true` }))).toEqual({ traceId: T, spanId: S, traceFlags: 1, isRemote: true });
    expect(sc(b3.extract(ROOT_CONTEXT, { b3: `${T}-${S}-false` }))).toEqual({ traceId: T, spanId: S, traceFlags: 0, isRemote: true });
  });
  it('a b3 header with more than four fields or a malformed parent span id starts a new trace', () => {
    // b3: {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}, the parent 16 lower-hex characters
    // (https://github.com/openzipkin/b3-propagation#single-header).
    for (const b of [`${T}-${S}-1-05e3ac9a4f6e3b90-extra`, `${T}-${S}-1-zz`, `${T}-${S}-1-05E3AC9A4F6E3B90`, `${T}-${S}-1-`]) {
      expect(sc(b3.extract(ROOT_CONTEXT, { b3: b }))).toBeUndefined();
    }
  });
  it('inject writes nothing when tracing is suppressed (tracelet\'s own export requests)', () => {
    const ctx = suppressTracing(setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: S, traceFlags: 1 }));
    for (const injectEncoding of ['single', 'multi'] as const) {
      const out: Record<string, string> = {};
      new B3Propagator({ injectEncoding }).inject(ctx, out);
      expect(out).toEqual({});
    }
  });
  it('a debug flag set by another copy of tracelet is sent: the context key is Symbol.for("tracelet.b3.debug")', () => {
    // Copies of tracelet in one page or process (maybe of different versions) find each
    // other's context values by these names (createContextKey uses Symbol.for).
    const ctx = setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: S, traceFlags: 1, isRemote: true }).setValue(Symbol.for('tracelet.b3.debug'), true);
    const out: Record<string, string> = {};
    b3.inject(ctx, out);
    expect(out).toEqual({ b3: `${T}-${S}-d` });
  });
});
