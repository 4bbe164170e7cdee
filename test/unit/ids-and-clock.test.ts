import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { isValidSpanId, isValidTraceId, randomSpanId, randomTraceId, toHrTime, toUnixNanoString } from '../../src/index.js';

describe('ids', () => {
  it('are lower-case hex of the W3C lengths and never all zeros', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const t = randomTraceId();
      const s = randomSpanId();
      expect(t).toMatch(/^[0-9a-f]{32}$/);
      expect(s).toMatch(/^[0-9a-f]{16}$/);
      expect(isValidTraceId(t) && isValidSpanId(s)).toBe(true);
      seen.add(t);
    }
    expect(seen.size).toBe(5000);
  });

  it('rejects all-zero, upper-case and wrong-length ids', () => {
    expect(isValidTraceId('0'.repeat(32))).toBe(false);
    expect(isValidSpanId('0'.repeat(16))).toBe(false);
    expect(isValidTraceId('A'.repeat(32))).toBe(false);
    expect(isValidSpanId('a'.repeat(15))).toBe(false);
  });

  it('rejects an id with anything before or after its hex digits, even valid hex', () => {
    for (const extra of ['a', '-', ' ']) {
      expect(isValidTraceId('a'.repeat(32) + extra)).toBe(false);
      expect(isValidTraceId(extra + 'a'.repeat(32))).toBe(false);
      expect(isValidSpanId('b'.repeat(16) + extra)).toBe(false);
      expect(isValidSpanId(extra + 'b'.repeat(16))).toBe(false);
    }
  });

  describe('their randomness', () => {
    afterEach(() => void vi.restoreAllMocks());

    it('comes from crypto.getRandomValues, not Math.random', () => {
      vi.spyOn(crypto, 'getRandomValues').mockImplementation(((a: Uint8Array) => a.fill(0x5a)) as typeof crypto.getRandomValues);
      const ids: string[] = [];
      // More than the 4 KiB of random bytes taken at once, so they are taken again under the spy.
      for (let i = 0; i < 300; i++) ids.push(randomTraceId());
      expect(ids.at(-1)).toBe('5a'.repeat(16));
      expect(randomSpanId()).toBe('5a'.repeat(8));
    });
  });
});

describe('clock encoding', () => {
  it('encodes any microsecond-precise epoch time exactly as unix nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), (us) => {
        const ms = us / 1000;
        expect(toUnixNanoString(ms)).toBe((BigInt(us) * 1000n).toString());
        const [s, ns] = toHrTime(ms);
        expect(BigInt(s) * 1_000_000_000n + BigInt(ns)).toBe(BigInt(us) * 1000n);
        expect(ns >= 0 && ns < 1e9 && Number.isInteger(ns)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a fraction that rounds up to the next millisecond carries into it', () => {
    // .9996 ms is 999.6 µs, which rounds to 1000 µs: the next whole millisecond.
    expect(toUnixNanoString(1_700_000_000_000.9996)).toBe('1700000000001000000');
    expect(toHrTime(1_700_000_000_000.9996)).toEqual([1_700_000_000, 1_000_000]);
    // ... and, at the last millisecond of a second, into the next second.
    expect(toHrTime(1_700_000_000_999.9996)).toEqual([1_700_000_001, 0]);
    expect(toHrTime(1_700_000_000_999.999)).toEqual([1_700_000_000, 999_999_000]);
  });

  it('never writes exponents or fractions', () => {
    expect(toUnixNanoString(1e12 + 0.9999999)).toBe('1000000000001000000');
    expect(toUnixNanoString(0)).toBe('0');
    expect(toUnixNanoString(0.5)).toBe('500000');
  });
});
