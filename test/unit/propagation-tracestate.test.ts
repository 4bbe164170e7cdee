import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, W3CTraceContextPropagator, getSpanContext, parseTraceState, setSpanContext, W3CTraceState } from '../../src/index.js';

const TP = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const tc = new W3CTraceContextPropagator();
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
});
