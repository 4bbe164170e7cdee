import { describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, W3CBaggagePropagator, createBaggage, getBaggage, parseBaggage, serializeBaggage, setBaggage } from '../../src/index.js';

const bp = new W3CBaggagePropagator();
const extract = (baggage: unknown) => getBaggage(bp.extract(ROOT_CONTEXT, { baggage }));
const inject = (b: ReturnType<typeof createBaggage>) => {
  const out: Record<string, string> = {};
  bp.inject(setBaggage(ROOT_CONTEXT, b), out);
  return out.baggage;
};

describe('W3C baggage', () => {
  it('parses key=value members with optional whitespace and properties', () => {
    const b = extract(' user.id = 42 ; ttl=30 ; secure , tier=gold');
    expect(b?.getEntry('user.id')).toEqual({ value: '42', metadata: 'ttl=30;secure' });
    expect(b?.getEntry('tier')).toEqual({ value: 'gold' });
  });
  it('values are percent-decoded on extract and percent-encoded on inject', () => {
    expect(extract('city=S%C3%A3o%20Paulo')?.getEntry('city')?.value).toBe('São Paulo');
    expect(inject(createBaggage({ city: 'São Paulo', odd: 'a,b;c%d "e" \\' }))).toBe('city=S%C3%A3o%20Paulo,odd=a%2Cb%3Bc%25d%20%22e%22%20%5C');
  });
  it('properties are sent only when they cannot break the header (no forged members, ASCII only)', () => {
    const b = createBaggage({ forged: { value: '1', metadata: 'p,evil=1' }, wide: { value: '2', metadata: 'p=\u00e9' }, fine: { value: '3', metadata: 'ttl=30;secure' } });
    expect(inject(b)).toBe('forged=1,wide=2,fine=3;ttl=30;secure');
    expect(extract(inject(b))?.getAllEntries().map(([k]) => k)).toEqual(['forged', 'wide', 'fine']);
  });
  it('a malformed percent escape is kept as received, never thrown', () => {
    expect(extract('k=%E0%A4%A')?.getEntry('k')?.value).toBe('%E0%A4%A');
  });
  it('invalid members are skipped', () => {
    const b = extract('good=1,bad key=2,noequals,quoted="x",ok=2');
    expect(b?.getAllEntries().map(([k]) => k)).toEqual(['good', 'ok']);
  });
  it('several baggage headers are combined', () => {
    expect(extract(['a=1', 'b=2'])?.getAllEntries().map(([k]) => k)).toEqual(['a', 'b']);
  });
  it('inject sends at most 64 members', () => {
    const entries = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v']));
    expect(inject(createBaggage(entries))!.split(',')).toHaveLength(64);
  });
  it('inject sends at most 8192 bytes and never a partial member', () => {
    const entries = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    const header = inject(createBaggage(entries))!;
    expect(header.length).toBeLessThanOrEqual(8192);
    for (const member of header.split(',')) expect(member).toMatch(/^k\d=x{1000}$/);
    expect(header.split(',')).toHaveLength(8);
  });
  it('extract keeps at most 64 members', () => {
    const header = Array.from({ length: 80 }, (_, i) => `k${i}=v`).join(',');
    expect(parseBaggage([header]).getAllEntries()).toHaveLength(64);
  });
  it('the baggage API is immutable', () => {
    const a = createBaggage({ x: '1' });
    const b = a.setEntry('y', { value: '2' });
    expect(a.getAllEntries()).toHaveLength(1);
    expect(b.removeEntry('x').getAllEntries().map(([k]) => k)).toEqual(['y']);
    expect(serializeBaggage(b.clear())).toBe('');
  });
  it('properties are kept as written after the first semicolon, without empty ones', () => {
    expect(extract('k=v;ttl=30')?.getEntry('k')).toStrictEqual({ value: 'v', metadata: 'ttl=30' });
    expect(extract('k=v;;ttl=30; ;secure;')?.getEntry('k')).toStrictEqual({ value: 'v', metadata: 'ttl=30;secure' });
    expect(extract('k=v;')?.getEntry('k')).toStrictEqual({ value: 'v' });
  });
  it('extract keeps members up to exactly 8192 bytes, and never a partial member', () => {
    // "...and up to at least 8192 bytes" (https://www.w3.org/TR/baggage/#limits), counted over the
    // members kept and their commas: an empty member (",,") costs nothing.
    const sized = (i: number, length: number) => `k${i}=${'x'.repeat(length - 3)}`;
    const fits = [...Array.from({ length: 7 }, (_, i) => sized(i, 1024)), sized(7, 1017)];
    expect(fits.join(',')).toHaveLength(8192);
    const withEmpty = [...fits.slice(0, 7), '', fits[7]].join(',');
    expect(parseBaggage([withEmpty]).getAllEntries().map(([k]) => k)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7']);
    const over = [...fits.slice(0, 7), sized(7, 1018)].join(',');
    expect(over).toHaveLength(8193);
    expect(parseBaggage([over]).getAllEntries().map(([k]) => k)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  });
  it('inject sends exactly 8192 bytes whole, and leaves out the member that would cross it', () => {
    const values = (last: number) => Object.fromEntries([...Array.from({ length: 7 }, (_, i) => [`k${i}`, 'x'.repeat(1021)]), ['k7', 'x'.repeat(last)]]);
    const fits = inject(createBaggage(values(1014)))!;
    expect(fits).toHaveLength(8192);
    expect(fits.split(',')).toHaveLength(8);
    const over = inject(createBaggage(values(1015)))!;
    expect(over.split(',').map((m) => m.split('=')[0])).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
  });
  it('inject leaves out a key that is no token', () => {
    // key = token (https://www.w3.org/TR/baggage/#key, https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2).
    expect(inject(createBaggage({ 'bad key': '1', ok: '2', 'a,b': '3', 'semi;colon': '4' }))).toBe('ok=2');
  });
  it('inject writes no baggage header when there is no member to send', () => {
    // A baggage-string holds at least one list-member (https://www.w3.org/TR/baggage/#baggage-string).
    expect(inject(createBaggage({}))).toBeUndefined();
    expect(inject(createBaggage({ 'bad key': '1' }))).toBeUndefined();
  });
  it('a baggage header with no valid member leaves the context as it was', () => {
    const ctx = setBaggage(ROOT_CONTEXT, createBaggage({ kept: 'yes' }));
    expect(bp.extract(ctx, { baggage: 'bad key=1,noequals' })).toBe(ctx);
    expect(getBaggage(bp.extract(ctx, { baggage: 'bad key=1' }))?.getEntry('kept')?.value).toBe('yes');
    expect(extract(',')).toBeUndefined();
  });
  it('baggage set by another copy of tracelet or by @opentelemetry/api is read: the context key is Symbol.for("OpenTelemetry Baggage Key")', () => {
    // Copies of tracelet in one page (an app and a widget, maybe of different versions)
    // find each other's context values by these names (createContextKey uses Symbol.for).
    const b = createBaggage({ tier: 'gold' });
    expect(getBaggage(ROOT_CONTEXT.setValue(Symbol.for('OpenTelemetry Baggage Key'), b))).toBe(b);
    expect(setBaggage(ROOT_CONTEXT, b).getValue(Symbol.for('OpenTelemetry Baggage Key'))).toBe(b);
  });
});
