import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/index.js';

// RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds (1*DIGIT).
// Anything else is no answer: the exporter falls back to its backoff.
const now = Date.UTC(1994, 10, 6, 8, 49, 27); // ten seconds before the dates below

describe('parseRetryAfter', () => {
  it('is undefined for what is neither delay-seconds nor an HTTP-date, though Date.parse reads a date into it ("1.5" is in 2001)', () => {
    for (const value of ['1.5', '-1', '1,5', '+5', '5 GMT', '1.5 GMT', 'Sun 1.5', '120s', 'soon', '2024-01-01 08:49:37', '', '   ', null]) {
      expect({ value, ms: parseRetryAfter(value, now) }).toEqual({ value, ms: undefined });
    }
    // What must still parse: delay-seconds, and the three HTTP-date forms (a past one means now).
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 3 ', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', now)).toBe(10_000); // IMF-fixdate
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(10_000); // RFC 850
    // asctime has no zone but is GMT like every HTTP-date, also where local time is not
    // (Node applies a changed TZ at once; Date.parse alone would be five hours off here).
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', now)).toBe(10_000);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:17 GMT', now)).toBe(0);
  });
});
