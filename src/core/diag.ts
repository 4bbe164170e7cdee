import { DEV } from './dev.js';

/**
 * One-time console diagnostics. tracelet never throws into the host; when
 * something is wrong it says so once, with a prefix the user can search for,
 * and carries on with a documented fallback.
 *
 * Every diagnostic has a code (`W` warnings and errors printed, `E` TypeErrors
 * of bad options). Call sites write the sentence as `DEV && '...'`: the
 * development build prints the sentence, the production build only
 * `[tracelet] W3 503 (docs/diagnostics.md#w3)`, whose docs entry has the
 * sentence, the cause and the fix.
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

/** What a production build prints for a code: the code, its detail, and where it is explained. */
const coded = (code: string, detail: unknown) => `${code}${detail === undefined ? '' : ' ' + String(detail)} (docs/diagnostics.md#${code.toLowerCase()})`;

/**
 * Prints `text` (development) or `code` and `detail` (production) the first
 * time `code` is seen with this `detail`; later calls are silent.
 */
export function warnOnce(code: string, text: string | false, detail?: unknown, level: 'warn' | 'error' = 'warn'): void {
  const key = code + ':' + String(detail);
  if (said.has(key)) return;
  said.add(key);
  try {
    sink(level, DEV ? (text as string) : coded(code, detail));
  } catch {
    // A broken console must not break the host.
  }
}

/** Forget which diagnostics were printed (tests). */
export function resetDiagnostics(): void {
  said.clear();
}

/** Throws the TypeError of a bad option (at startup only: after it tracelet never throws). */
export const fail = (code: string, text: string | false, detail?: unknown): never => {
  throw new TypeError('tracelet: ' + (DEV ? (text as string) : coded(code, detail)));
};

/** The ranges a numeric option can have, and (development build) their wording. */
const RANGES = {
  '>0': (v: number) => v > 0,
  '>=0': (v: number) => v >= 0,
  '0-1': (v: number) => v >= 0 && v <= 1,
  'int>=0': (v: number) => Number.isInteger(v) && v >= 0,
  'int>=1': (v: number) => Number.isInteger(v) && v >= 1,
};
const WORDING: Record<keyof typeof RANGES, string> = { '>0': 'number > 0', '>=0': 'number >= 0', '0-1': 'number from 0 to 1', 'int>=0': 'whole number >= 0', 'int>=1': 'whole number >= 1' };

/**
 * Checks a numeric option: `undefined` gives `fallback` (with no fallback the
 * option is required); anything else must be a number in `range`, or this
 * throws a TypeError naming the option (E1), e.g.
 * `tracelet: batch.maxQueueSize must be a whole number >= 1, got -1`.
 */
export function numberOption(name: string, value: unknown, fallback: number | undefined, range: keyof typeof RANGES = '>0'): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !RANGES[range](value)) fail('E1', DEV && `${name} must be a ${WORDING[range]}, got ${String(value)}`, name);
  return value as number;
}
