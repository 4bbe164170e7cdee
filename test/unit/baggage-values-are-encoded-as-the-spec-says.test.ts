import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ROOT_CONTEXT, W3CBaggagePropagator, createBaggage, serializeBaggage, setBaggage } from '../../src/index.js';

// The per-code-point encoder tracelet had before value encoding became one
// regular-expression replace: the oracle the replace must match exactly.
function encodeByCodePoint(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    const safe = c === 0x21 || (c >= 0x23 && c <= 0x2b && c !== 0x25) || (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
    out += safe ? ch : encodeURIComponent(ch).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16).toUpperCase());
  }
  return out;
}

const serialized = (value: string) => serializeBaggage(createBaggage({ k: value }));

describe('baggage value encoding (https://www.w3.org/TR/baggage/#value)', () => {
  it('every code point outside baggage-octet, and %, is percent-encoded as UTF-8; the rest are kept', () => {
    // In pieces of 256 code points: a whole member must fit the 8192-byte limit.
    const mismatches: string[] = [];
    for (let from = 0; from < 0x3000; from += 256) {
      let piece = from === 0xd800 ? '\u{1F600}\u{10FFFF}' : '';
      for (let c = from; c < from + 256; c++) if (c < 0xd800 || c > 0xdfff) piece += String.fromCodePoint(c);
      if (serialized(piece) !== 'k=' + encodeByCodePoint(piece)) mismatches.push(from.toString(16));
    }
    expect(mismatches).toEqual([]);
    expect(serialized(' "%,;\\\u007f\u00e9')).toBe('k=%20%22%25%2C%3B%5C%7F%C3%A9');
  });
  it('matches the per-code-point encoder for any well-formed string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), (a, b) => {
        for (const v of [a, b]) expect(serialized(v)).toBe('k=' + encodeByCodePoint(v));
      }),
    );
  });
  it('baggage with a lone surrogate in a value is not sent (it has no UTF-8 form), and inject does not throw', () => {
    const carrier: Record<string, string> = {};
    new W3CBaggagePropagator().inject(setBaggage(ROOT_CONTEXT, createBaggage({ k: 'a\ud800b' })), carrier);
    expect(carrier).toEqual({});
  });
});
