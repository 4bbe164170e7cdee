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
});
