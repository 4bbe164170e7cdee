import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, W3CTraceContextPropagator, getSpanContext, isValidTraceStateKey, isValidTraceStateValue, parseTraceState, setSpanContext, W3CTraceState } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tc = new W3CTraceContextPropagator();
const messages = captureDiagnostics();
/** A member `key=vvv...` of exactly `length` characters. */
const sized = (key: string, length: number) => `${key}=${'v'.repeat(length - key.length - 1)}`;
const state = (tracestate: unknown) => getSpanContext(tc.extract(ROOT_CONTEXT, { traceparent: TP, tracestate }))?.traceState?.serialize() ?? '';

describe('W3C tracestate', () => {
  it('tracestate keeps at most 32 members', () => {
    const header = Array.from({ length: 40 }, (_, i) => `k${i}=v${i}`).join(',');
    expect(parseTraceState(header).size).toBe(32);
    expect(parseTraceState(header).get('k31')).toBe('v31');
    expect(parseTraceState(header).get('k32')).toBeUndefined();
  });
  it('simple keys and tenant@system keys are valid', () => {
    expect(state('rojo=00f067aa0ba902b7,tenant1@vendor=x')).toBe('rojo=00f067aa0ba902b7,tenant1@vendor=x');
  });
  it('invalid members are dropped and the rest kept', () => {
    expect(state('UPPER=x,ok=1,=nokey,novalue=,sp ace=x,good=2')).toBe('ok=1,good=2');
  });
  it('values may not contain comma or equals and trailing spaces are OWS', () => {
    expect(state('a=x=y,b=ok   ')).toBe('b=ok');
  });
  it('empty members and optional whitespace are allowed', () => {
    expect(state(' a=1 ,, \t b=2 ,')).toBe('a=1,b=2');
  });
  it('duplicate keys keep the left-most member', () => {
    expect(state('a=1,b=2,a=3')).toBe('a=1,b=2');
  });
  it('several tracestate headers are combined in order', () => {
    expect(state(['a=1', 'b=2,c=3'])).toBe('a=1,b=2,c=3');
    expect(getSpanContext(tc.extract(ROOT_CONTEXT, new Headers([['traceparent', TP], ['tracestate', 'a=1'], ['tracestate', 'b=2']])))?.traceState?.serialize()).toBe('a=1,b=2');
  });
  it('the member we update moves to the front', () => {
    expect(new W3CTraceState('rojo=1,congo=2').set('congo', '3').serialize()).toBe('congo=3,rojo=1');
    expect(new W3CTraceState('rojo=1').set('new', 'x').serialize()).toBe('new=x,rojo=1');
    expect(new W3CTraceState('rojo=1,congo=2').unset('rojo').serialize()).toBe('congo=2');
  });
  it('serializing past 512 characters drops members longer than 128 first, from the end, then from the end', () => {
    const long = (k: string) => `${k}=${'l'.repeat(140)}`;
    const short = (i: number) => `s${i}=${'x'.repeat(40)}`;
    const members = [short(0), long('big1'), short(1), short(2), long('big2'), short(3), short(4), short(5), short(6), short(7), short(8)];
    const out = new W3CTraceState(members.join(',')).serialize();
    expect(out.length).toBeLessThanOrEqual(512);
    expect(out).not.toContain('big2');
    const kept = out.split(',').map((m) => m.split('=')[0]);
    // 9 short members of 43 characters and 2 long ones of 145 make 687 with the commas. big2 (the
    // right-most long one) goes first (541 left), then big1 (395 left), before any short member:
    // every short member stays, in order.
    expect(kept).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8']);
    expect(out).toBe(members.filter((m) => !m.startsWith('big')).join(','));
  });
  it('an empty tracestate is not sent', () => {
    const out: Record<string, string> = {};
    tc.inject(setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, traceState: new W3CTraceState('') }), out);
    expect(Object.keys(out)).toEqual(['traceparent']);
  });

  it('a header of exactly 512 characters is sent whole; one character more and the right-most member goes', () => {
    // We send "at least 512 characters of a combined header" and no more (https://www.w3.org/TR/trace-context-2/#tracestate-limits).
    const fits = [...Array.from({ length: 7 }, (_, i) => sized(`a${i}`, 63)), sized('a7', 64)];
    expect(fits.join(',')).toHaveLength(512);
    expect(new W3CTraceState(fits.join(',')).serialize()).toBe(fits.join(','));
    const over = [...fits.slice(0, 7), sized('a7', 65)];
    expect(over.join(',')).toHaveLength(513);
    expect(new W3CTraceState(over.join(',')).serialize()).toBe(fits.slice(0, 7).join(','));
    // Members go from the end only until the header fits: down to exactly 512 here.
    expect(new W3CTraceState([...fits, 'z=1'].join(',')).serialize()).toBe(fits.join(','));
  });
  it('a member of exactly 128 characters is no long member: past 512, members go from the end', () => {
    // "Entries larger than 128 characters long SHOULD be removed first" (https://www.w3.org/TR/trace-context-2/#tracestate-limits).
    const members = [sized('m128', 128), ...Array.from({ length: 9 }, (_, i) => sized(`s${i}`, 50))];
    expect(new W3CTraceState(members.join(',')).serialize()).toBe(members.slice(0, 8).join(','));
  });
  it('only as many long members go as the header needs, the right-most first', () => {
    const members = [sized('long1', 129), ...Array.from({ length: 4 }, (_, i) => sized(`s${i}`, 75)), sized('long2', 129), sized('s4', 78)];
    expect(members.join(',')).toHaveLength(642);
    const out = new W3CTraceState(members.join(',')).serialize();
    // Without long2 the header is exactly 512 characters: long1 stays.
    expect(out).toBe(members.filter((m) => !m.startsWith('long2')).join(','));
    expect(out).toHaveLength(512);
  });
  it('a long left-most member goes before any short one', () => {
    const shorts = Array.from({ length: 7 }, (_, i) => sized(`s${i}`, 50));
    expect(new W3CTraceState([sized('long', 200), ...shorts].join(',')).serialize()).toBe(shorts.join(','));
  });
  it('when every long member is gone and the header is still too long, members go from the end', () => {
    const shorts = Array.from({ length: 11 }, (_, i) => sized(`s${i}`, 50));
    expect(new W3CTraceState([sized('long', 200), ...shorts].join(',')).serialize()).toBe(shorts.slice(0, 10).join(','));
  });
  it('set on a full list of 32 members drops the right-most one', () => {
    // "There can be a maximum of 32 list-members in a list" (https://www.w3.org/TR/trace-context-2/#list).
    const full = new W3CTraceState(Array.from({ length: 32 }, (_, i) => `k${i}=v${i}`).join(','));
    const added = full.set('new', 'x');
    expect(added.size).toBe(32);
    expect(added.entries()[0]).toEqual(['new', 'x']);
    expect(added.get('k30')).toBe('v30');
    expect(added.get('k31')).toBeUndefined();
    const updated = full.set('k5', 'changed');
    expect(updated.size).toBe(32);
    expect(updated.entries().map(([k]) => k)).toEqual(['k5', ...Array.from({ length: 32 }, (_, i) => `k${i}`).filter((k) => k !== 'k5')]);
  });
  it('set with a key or value outside the grammar leaves the state unchanged, and says so once', () => {
    const rojo = new W3CTraceState('rojo=1');
    const invalid: [unknown, unknown][] = [['UPPER', 'x'], ['ok', 'a,b'], ['ok', 'a=b'], ['ok', 'trailing '], ['ok', ''], [42, 'x'], ['ok', 42]];
    for (const [key, value] of invalid) expect(rojo.set(key as string, value as string).serialize()).toBe('rojo=1');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('tracestate.set("UPPER", ...) ignored');
  });
  it('isValidTraceStateKey and isValidTraceStateValue follow the W3C grammar and take only strings', () => {
    // https://www.w3.org/TR/trace-context-2/#key and https://www.w3.org/TR/trace-context-2/#value
    for (const key of ['rojo', '0vendor', 'tenant1@vendor', 'a_-*/@']) expect(isValidTraceStateKey(key)).toBe(true);
    for (const key of ['UPPER', '', '_x', 'sp ace', 'a'.repeat(257), 42, null]) expect(isValidTraceStateKey(key as string)).toBe(false);
    for (const value of ['x', ' leading space', 'a b', '!~']) expect(isValidTraceStateValue(value)).toBe(true);
    for (const value of ['', 'trailing ', 'a,b', 'a=b', 'x'.repeat(257), 42, null]) expect(isValidTraceStateValue(value as string)).toBe(false);
  });
  it('only strings are read as tracestate: null (what Headers.get returns for no header) is an empty state', () => {
    expect(new W3CTraceState(null as unknown as string).size).toBe(0);
    expect(parseTraceState(null as unknown as string).size).toBe(0);
    expect(parseTraceState(['a=1', ['b=2'], 42, { toString: () => 'c=3' }] as unknown as string[]).serialize()).toBe('a=1');
  });
  it('extract without a usable tracestate gives a span context with no traceState', () => {
    for (const tracestate of [undefined, '', 'UPPER=x,,']) {
      const headers: Record<string, string> = { traceparent: TP };
      if (tracestate !== undefined) headers.tracestate = tracestate;
      expect(getSpanContext(tc.extract(ROOT_CONTEXT, headers))).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true });
    }
  });
});
