import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, TraceContextInjector, W3CInjector, W3CTraceContextPropagator, createBaggage, parseTraceState, setBaggage, setSpanContext, suppressTracing, type TraceState } from '../../src/index.js';

// The browser's default propagator: inject only, with a tracestate filter of its own
// (no parser bundled). The full parser is the oracle for what may leave.
const injector = new TraceContextInjector();
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const foreign = (raw: string): TraceState => ({ serialize: () => raw }) as unknown as TraceState;
const inject = (p: TraceContextInjector, traceState?: TraceState) => {
  const carrier: Record<string, string> = {};
  p.inject(setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: 1, traceState }), carrier);
  return carrier;
};

describe('TraceContextInjector', () => {
  it('writes traceparent and the valid tracestate members, and extracts nothing', () => {
    expect(inject(injector, foreign('rojo=1, UPPER=x ,t@v=2,bad=,ok=3'))).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01`, tracestate: 'rojo=1,t@v=2,ok=3' });
    expect(inject(injector, foreign('=,,'))).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01` });
    const carrier = { traceparent: `00-${TRACE}-${SPAN}-01` };
    expect(injector.extract(ROOT_CONTEXT, carrier)).toBe(ROOT_CONTEXT);
    expect(injector.fields()).toEqual(['traceparent', 'tracestate']);
  });

  it('W3CInjector adds baggage (encoded, within limits) and writes nothing when tracing is suppressed', () => {
    const w3c = new W3CInjector();
    const ctx = setBaggage(setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: SPAN, traceFlags: 1 }), createBaggage({ 'user.tier': 'gold plus' }));
    const carrier: Record<string, string> = {};
    w3c.inject(ctx, carrier);
    expect(carrier).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01`, baggage: 'user.tier=gold%20plus' });
    const none: Record<string, string> = {};
    w3c.inject(suppressTracing(ctx), none);
    expect(none).toEqual({});
    expect(w3c.fields()).toEqual(['traceparent', 'tracestate', 'baggage']);
    expect(w3c.extract(ROOT_CONTEXT, carrier)).toBe(ROOT_CONTEXT);
  });

  it('sends the same tracestate as the full W3C propagator for lists with unique keys', () => {
    const key = fc.oneof(fc.stringMatching(/^[a-zA-Z0-9@_*/ -]{0,12}$/), fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,8}@[a-z][a-z0-9]{0,5}$/));
    const value = fc.stringMatching(/^[ -~]{0,10}$/);
    const full = new W3CTraceContextPropagator();
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k.trim(), maxLength: 40 }), (members) => {
        const raw = members.map(([k, v]) => `${k}=${v}`).join(',');
        const expected = parseTraceState(raw).serialize();
        fc.pre(expected.length <= 512);
        expect(inject(injector, foreign(raw)).tracestate ?? '').toBe(expected);
        expect(inject(full, foreign(raw)).tracestate ?? '').toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('sends at most 32 members, the left-most', () => {
    // "There can be a maximum of 32 list-members in a list" (https://www.w3.org/TR/trace-context-2/#list).
    const members = Array.from({ length: 40 }, (_, i) => `k${i}=${i}`);
    expect(inject(injector, foreign(members.join(','))).tracestate).toBe(members.slice(0, 32).join(','));
  });

  it('sends a tracestate of up to 512 characters, and none longer', () => {
    // "If the tracestate value has more than 512 characters, the vendor MAY discard" it
    // (https://www.w3.org/TR/trace-context-2/#tracestate-limits); the injector has no truncation rule to carry.
    const fits = [...Array.from({ length: 7 }, (_, i) => `a${i}=${'v'.repeat(60)}`), `a7=${'v'.repeat(61)}`].join(',');
    expect(fits).toHaveLength(512);
    expect(inject(injector, foreign(fits)).tracestate).toBe(fits);
    expect(inject(injector, foreign(fits + 'v'))).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01` });
  });

  it('a foreign tracestate whose serialize() returns no string sends no tracestate', () => {
    const full = new W3CTraceContextPropagator();
    for (const raw of [undefined, null, 42, ['a=1']]) {
      const odd = { serialize: () => raw } as unknown as TraceState;
      expect(inject(injector, odd)).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01` });
      expect(inject(full, odd)).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01` });
    }
  });
});
