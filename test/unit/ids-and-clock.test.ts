import { describe, expect, it } from 'vitest';
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
});

describe('clock encoding', () => {
  it('encodes any microsecond-precise epoch time exactly as unix nanoseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000_000 }), (us) => {
        const ms = us / 1000;
        expect(toUnixNanoString(ms)).toBe((BigInt(us) * 1000n).toString());
        const [s, ns] = toHrTime(ms);
        expect(BigInt(s) * 1_000_000_000n + BigInt(ns)).toBe(BigInt(us) * 1000n);
      }),
      { numRuns: 2000 },
    );
  });

  it('never writes exponents or fractions', () => {
    expect(toUnixNanoString(1e12 + 0.9999999)).toBe('1000000000001000000');
    expect(toUnixNanoString(0)).toBe('0');
    expect(toUnixNanoString(0.5)).toBe('500000');
  });
});
