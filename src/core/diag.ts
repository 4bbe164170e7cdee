/**
 * One-time console diagnostics. tracelet never throws into the host; when
 * something is wrong it says so once, with a prefix the user can search for,
 * and carries on with a documented fallback.
 */
const said = new Set<string>();

export type DiagnosticSink = (level: 'warn' | 'error', message: string) => void;

let sink: DiagnosticSink = (level, message) => {
  const c = (globalThis as { console?: Console }).console;
  if (c) c[level]('[tracelet] ' + message);
};

/** Replace where diagnostics go (tests, or apps that route them elsewhere). Returns the previous sink. */
export function setDiagnosticSink(next: DiagnosticSink): DiagnosticSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** Print `message` the first time `key` is seen; later calls with the same key are silent. */
export function warnOnce(key: string, message: string, level: 'warn' | 'error' = 'warn'): void {
  if (said.has(key)) return;
  said.add(key);
  try {
    sink(level, message);
  } catch {
    // A broken console must not break the host.
  }
}

/** Forget which keys were reported (tests). */
export function resetDiagnostics(): void {
  said.clear();
}

/** Throws the TypeError of a bad option (at startup only: after it tracelet never throws). */
export const fail = (message: string): never => {
  throw new TypeError('tracelet: ' + message);
};

/** The ranges a numeric option can have; each key is also the wording of its error message. */
const RANGES = {
  'number > 0': (v: number) => v > 0,
  'number >= 0': (v: number) => v >= 0,
  'number from 0 to 1': (v: number) => v >= 0 && v <= 1,
  'whole number >= 0': (v: number) => Number.isInteger(v) && v >= 0,
  'whole number >= 1': (v: number) => Number.isInteger(v) && v >= 1,
};

/**
 * Checks a numeric option: `undefined` gives `fallback` (with no fallback the
 * option is required); anything else must be a number in `range`, or this
 * throws a TypeError naming the option, e.g.
 * `tracelet: batch.maxQueueSize must be a whole number >= 1, got -1`.
 */
export function numberOption(name: string, value: unknown, fallback: number | undefined, range: keyof typeof RANGES = 'number > 0'): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !RANGES[range](value)) {
    fail(`${name} must be a ${range}, got ${String(value)}`);
  }
  return value as number;
}
