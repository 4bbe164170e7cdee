/**
 * Trace and span ids: random bytes from `crypto.getRandomValues`, lower-case
 * hex, never all zeros (W3C Trace Context 3.2.2.3 / 3.2.2.4:
 * https://www.w3.org/TR/trace-context-2/#trace-id).
 */
const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

// Refill a pool of random bytes in one call instead of one call per id: ids are
// taken on every span start, and getRandomValues has a fixed per-call cost.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  for (let refills = 0; ; ) {
    if (offset + bytes > POOL_SIZE) {
      // A pool refilled twice and still all zeros: getRandomValues is broken or
      // stubbed. Math.random then, rather than hang the host in this loop.
      if (refills++ < 2) crypto.getRandomValues(pool);
      else for (let i = 0; i < POOL_SIZE; i++) pool[i] = Math.random() * 256;
      offset = 0;
    }
    let out = '';
    let nonZero = 0;
    for (let i = 0; i < bytes; i++) {
      const b = pool[offset + i]!;
      nonZero |= b;
      out += HEX[b];
    }
    offset += bytes;
    if (nonZero !== 0) return out;
  }
}

/** 16 random bytes as 32 lower-case hex characters. */
export function randomTraceId(): string {
  return randomHex(16);
}

/** 8 random bytes as 16 lower-case hex characters. */
export function randomSpanId(): string {
  return randomHex(8);
}

// Lower-case hex of the right length, not all zeros (the lookahead).
const TRACE_ID = /^(?!0+$)[0-9a-f]{32}$/;
const SPAN_ID = /^(?!0+$)[0-9a-f]{16}$/;
export const INVALID_TRACE_ID = '00000000000000000000000000000000';
export const INVALID_SPAN_ID = '0000000000000000';

export function isValidTraceId(id: string): boolean {
  return TRACE_ID.test(id);
}

export function isValidSpanId(id: string): boolean {
  return SPAN_ID.test(id);
}
