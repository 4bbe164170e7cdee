import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, W3CBaggagePropagator, W3CTraceContextPropagator, defaultGetter, defaultSetter, getBaggage, getSpanContext, readHeader, setSpanContext, type TextMapGetter } from '../../src/index.js';

// The default getter and setter (src/propagation/carrier.ts) against each carrier
// tracelet meets: fetch Headers, a Map, plain objects in any letter case, Node's
// IncomingHttpHeaders with array values, and values that are no carrier at all.
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const TP = `00-${T}-${S}-01`;
const tc = new W3CTraceContextPropagator();

describe('carriers', () => {
  it('a value that is not an object is no carrier: nothing is read from it', () => {
    for (const notACarrier of ['traceparent', 42, true, null, undefined]) {
      expect(defaultGetter.keys(notACarrier)).toEqual([]);
      expect(defaultGetter.get(notACarrier, '0')).toBeUndefined();
      expect(defaultGetter.get(notACarrier, 'length')).toBeUndefined();
    }
  });

  it('keys lists the header names of fetch Headers, a Map and a plain object', () => {
    expect(defaultGetter.keys(new Headers({ TraceParent: TP, baggage: 'k=v' }))).toEqual(['baggage', 'traceparent']);
    expect(defaultGetter.keys(new Map<unknown, string>([['traceparent', TP], [1, 'not a header name']]))).toEqual(['traceparent']);
    expect(defaultGetter.keys({ TraceParent: TP, baggage: 'k=v' })).toEqual(['TraceParent', 'baggage']);
    // Headers-like, but with no way to list its names.
    expect(defaultGetter.keys({ get: () => TP, set: () => undefined })).toEqual([]);
  });

  it('only an object with both get and set is read and written through them; any other object holds its headers as properties', () => {
    const getOnly = { get: () => 'from get()', traceparent: TP };
    expect(defaultGetter.get(getOnly, 'traceparent')).toBe(TP);
    const setOnly: Record<string, unknown> = { set: () => undefined, traceparent: TP };
    expect(defaultGetter.get(setOnly, 'traceparent')).toBe(TP);
    defaultSetter.set(setOnly, 'baggage', 'k=v');
    expect(setOnly.baggage).toBe('k=v');
  });

  it('array values keep only their strings, and a header with no string value is absent', () => {
    // Node's IncomingHttpHeaders holds arrays; a hand-made carrier may hold anything.
    expect(defaultGetter.get({ baggage: [1, 'a=1', null, 'b=2'] }, 'baggage')).toEqual(['a=1', 'b=2']);
    expect(defaultGetter.get({ baggage: [] }, 'baggage')).toBeUndefined();
    expect(defaultGetter.get({ baggage: [1, null] }, 'baggage')).toBeUndefined();
    expect(getSpanContext(tc.extract(ROOT_CONTEXT, { traceparent: [undefined, TP, 42] }))?.traceId).toBe(T);
  });

  it('two spellings of one header in a plain object are both read, in order', () => {
    expect(defaultGetter.get({ TraceState: 'a=1', tracestate: ['b=2', 'c=3'] }, 'tracestate')).toEqual(['a=1', 'b=2', 'c=3']);
    expect(defaultGetter.get({ Baggage: ['a=1', 'b=2'], baggage: 'c=3' }, 'baggage')).toEqual(['a=1', 'b=2', 'c=3']);
    const baggage = getBaggage(new W3CBaggagePropagator().extract(ROOT_CONTEXT, { Baggage: 'a=1', baggage: 'b=2' }));
    expect(baggage?.getAllEntries().map(([k]) => k)).toEqual(['a', 'b']);
    // traceparent must occur once: two spellings are two values, and the trace restarts.
    expect(getSpanContext(tc.extract(ROOT_CONTEXT, { TraceParent: TP, traceparent: TP }))).toBeUndefined();
  });

  it('inject sets headers on fetch Headers, replacing the value there', () => {
    const headers = new Headers({ traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-00` });
    tc.inject(setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: S, traceFlags: 1 }), headers);
    expect([...headers]).toEqual([['traceparent', TP]]);
    defaultSetter.set(headers, 'Baggage', 'k=v');
    expect(headers.get('baggage')).toBe('k=v');
  });

  it('inject into a plain object replaces every other spelling of the header, so one request never carries two', () => {
    const carrier: Record<string, string> = { TraceParent: 'stale', TRACEPARENT: 'stale too', accept: 'text/html' };
    tc.inject(setSpanContext(ROOT_CONTEXT, { traceId: T, spanId: S, traceFlags: 1 }), carrier);
    expect(carrier).toEqual({ accept: 'text/html', traceparent: TP });
    defaultSetter.set(carrier, 'traceparent', 'again');
    expect(carrier).toEqual({ accept: 'text/html', traceparent: 'again' });
  });

  it('a getter that throws reads as no header, and extract returns the context it was given', () => {
    const throwing: TextMapGetter<unknown> = {
      keys: () => [],
      get: () => {
        throw new Error('broken getter');
      },
    };
    expect(readHeader(throwing, {}, 'traceparent')).toEqual([]);
    expect(tc.extract(ROOT_CONTEXT, {}, throwing)).toBe(ROOT_CONTEXT);
    expect(new W3CBaggagePropagator().extract(ROOT_CONTEXT, {}, throwing)).toBe(ROOT_CONTEXT);
  });
});
