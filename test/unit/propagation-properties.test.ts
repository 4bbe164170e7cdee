import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  B3Propagator,
  ROOT_CONTEXT,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  W3CTraceState,
  createBaggage,
  createPropagator,
  formatTraceparent,
  getBaggage,
  getSpanContext,
  parseBaggage,
  parseTraceState,
  parseTraceparent,
  serializeBaggage,
  setBaggage,
  setSpanContext,
} from '../../src/index.js';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`)).filter((s) => !/^0+$/.test(s));
const anything = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.anything(), fc.array(fc.string()), fc.constant(null));
const headerish = fc.stringMatching(/^[ -~]{0,120}$/);

// Every carrier shape tracelet accepts.
const carriers: [string, (h: Record<string, string | string[]>) => unknown][] = [
  ['Headers', (h) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(h)) for (const x of Array.isArray(v) ? v : [v]) headers.append(k, x);
    return headers;
  }],
  ['plain object', (h) => ({ ...h })],
  ['upper-case keys', (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toUpperCase(), v]))],
  ['Node arrays', (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]))],
  ['", "-joined', (h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]))],
];

describe('propagation properties', () => {
  it('no input of any shape throws from extract', () => {
    const all = createPropagator('tracecontext,baggage,b3,b3multi');
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.constantFrom('traceparent', 'tracestate', 'baggage', 'b3', 'X-B3-TraceId', 'x-b3-spanid', 'X-B3-Flags'), fc.string()), anything), (carrier) => {
        expect(() => all.extract(ROOT_CONTEXT, carrier)).not.toThrow();
      }),
      { numRuns: 1000 },
    );
    for (const weird of [null, undefined, 42, 'str', [], new Map(), Object.create(null), new Proxy({}, { ownKeys() { throw new Error('x'); } })]) {
      expect(() => all.extract(ROOT_CONTEXT, weird)).not.toThrow();
    }
  });

  it('no input throws from the parsers', () => {
    fc.assert(
      fc.property(headerish, anything, (s, a) => {
        parseTraceparent(s);
        parseTraceparent(a);
        parseTraceState(s);
        parseBaggage([s]);
      }),
      { numRuns: 1000 },
    );
  });

  it('every valid traceparent of a known or future version parses, and format(parse(x)) is stable; version ff never parses', () => {
    const valid = fc.tuple(fc.constantFrom('00', '01', 'cc', 'fe'), hex(32), hex(16), hex(2)).map((p) => p.join('-'));
    fc.assert(
      fc.property(valid, (s) => {
        const tp = parseTraceparent(s);
        expect(tp).toMatchObject({ version: s.slice(0, 2), traceId: s.slice(3, 35), spanId: s.slice(36, 52) });
        expect(parseTraceparent(formatTraceparent(tp!))).toEqual({ ...tp, version: '00' });
      }),
      { numRuns: 500 },
    );
    // Version ff is invalid (W3C Trace Context 3.2.2.1), whatever follows it.
    fc.assert(
      fc.property(hex(32), hex(16), hex(2), (traceId, spanId, flags) => {
        expect(parseTraceparent(`ff-${traceId}-${spanId}-${flags}`)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('format(parse(x)) is stable for tracestate and baggage of any header text', () => {
    fc.assert(
      fc.property(headerish, (s) => {
        const ts = parseTraceState(s).serialize();
        expect(parseTraceState(ts).serialize()).toBe(ts);
        const bg = serializeBaggage(parseBaggage([s]));
        expect(serializeBaggage(parseBaggage([bg]))).toBe(bg);
      }),
      { numRuns: 1000 },
    );
  });

  const member = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_\-*/]{0,10}$/), fc.stringMatching(/^[!-+\--<>-~]{1,12}$/));
  const spanContext = fc.record({
    traceId: hex(32),
    spanId: hex(16),
    traceFlags: fc.constantFrom(0, 1, 2, 3),
    members: fc.uniqueArray(member, { selector: (m) => m[0], maxLength: 5 }),
  });

  for (const [label, make] of carriers) {
    it(`a random valid context survives inject then extract (${label})`, () => {
      const tc = new W3CTraceContextPropagator();
      fc.assert(
        fc.property(spanContext, ({ traceId, spanId, traceFlags, members }) => {
          const traceState = members.length ? new W3CTraceState(members.map(([k, v]) => `${k}=${v}`).join(',')) : undefined;
          const out: Record<string, string> = {};
          tc.inject(setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags, traceState }), out);
          const back = getSpanContext(tc.extract(ROOT_CONTEXT, make(out)))!;
          expect(back).toMatchObject({ traceId, spanId, traceFlags, isRemote: true });
          expect(back.traceState?.serialize() ?? '').toBe(traceState?.serialize() ?? '');
        }),
        { numRuns: 300 },
      );
    });
  }

  it('random baggage survives inject then extract', () => {
    const bp = new W3CBaggagePropagator();
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.\-]{1,10}$/), fc.string({ unit: 'binary', maxLength: 20 }), { maxKeys: 10 }), (entries) => {
        const out: Record<string, string> = {};
        bp.inject(setBaggage(ROOT_CONTEXT, createBaggage(entries)), out);
        const back = getBaggage(bp.extract(ROOT_CONTEXT, out));
        expect(Object.fromEntries((back?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]))).toEqual(entries);
      }),
      { numRuns: 300 },
    );
  });

  it('a random sampled context survives B3 single and multi round trips', () => {
    fc.assert(
      fc.property(hex(32), hex(16), fc.constantFrom(0, 1), fc.constantFrom('single' as const, 'multi' as const), (traceId, spanId, traceFlags, injectEncoding) => {
        const b3 = new B3Propagator({ injectEncoding });
        const out: Record<string, string> = {};
        b3.inject(setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags }), out);
        expect(getSpanContext(b3.extract(ROOT_CONTEXT, out))).toEqual({ traceId, spanId, traceFlags, isRemote: true });
      }),
      { numRuns: 300 },
    );
  });
});
