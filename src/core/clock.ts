import type { TimeInput } from './types.js';

/**
 * Time is held as epoch milliseconds in a double. In the browser the clock is
 * `performance.timeOrigin + performance.now()`: monotonic within a page and
 * immune to wall-clock jumps. Workers freeze `performance.now()` between I/O
 * (https://developers.cloudflare.com/workers/runtime-apis/performance/), where
 * `Date.now()` is what the runtime offers; both advance only on I/O there.
 */
export type Clock = () => number;

const perf: { timeOrigin?: number; now?: () => number } | undefined = (
  globalThis as { performance?: { timeOrigin?: number; now?: () => number } }
).performance;

export const defaultClock: Clock =
  perf && typeof perf.now === 'function' && typeof perf.timeOrigin === 'number' && perf.timeOrigin > 0
    ? () => (perf.timeOrigin as number) + (perf.now as () => number)()
    : () => Date.now();

/** The largest time OTLP's fixed64 unix nanoseconds can hold (2^64 - 1 ns, in the year 2554), in ms. */
const MAX_MILLIS = 18_446_744_073_709;

/** Converts any accepted time input to epoch milliseconds; undefined for garbage and for times OTLP cannot carry. */
export function toEpochMillis(input: TimeInput | undefined): number | undefined {
  if (input instanceof Date) input = input.getTime();
  else if (Array.isArray(input) && input.length === 2) {
    const [s, ns] = input as [number, number];
    input = s >= 0 && ns >= 0 ? s * 1e3 + ns / 1e6 : NaN;
  }
  // NaN and Infinity fail the range test too.
  return typeof input === 'number' && input >= 0 && input <= MAX_MILLIS ? input : undefined;
}

/**
 * Epoch milliseconds to the OTLP `fixed64` unix-nanosecond decimal string.
 *
 * A double holding epoch milliseconds resolves about 0.24 µs today, and no
 * clock tracelet reads is finer than a microsecond in practice (browsers
 * coarsen `performance.now()` to 5-100 µs; Workers to 1 ms), so times are
 * whole microseconds. `ms * 1e6` would exceed 2^53 and round to 256 ns steps
 * with noise digits; instead the integer milliseconds (exact) and the
 * fraction (exact by Sterbenz' lemma) are encoded separately, so a time given
 * to the microsecond is sent to the microsecond, with no digit invented.
 */
export function toUnixNanoString(ms: number): string {
  let whole = Math.floor(ms);
  let micros = Math.round((ms - whole) * 1000);
  if (micros === 1000) {
    whole += 1;
    micros = 0;
  }
  if (whole === 0) return micros === 0 ? '0' : String(micros) + '000';
  return String(whole) + String(micros).padStart(3, '0') + '000';
}

/** Epoch milliseconds to `[seconds, nanoseconds]`, the OpenTelemetry `HrTime`. */
export function toHrTime(ms: number): [number, number] {
  const whole = Math.floor(ms);
  let nanos = Math.round((ms - whole) * 1000) * 1000;
  let seconds = Math.floor(whole / 1000);
  nanos += (whole - seconds * 1000) * 1e6;
  if (nanos >= 1e9) {
    seconds += 1;
    nanos -= 1e9;
  }
  return [seconds, nanos];
}
