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

/**
 * Checks a numeric option: `undefined` gives `fallback`; otherwise the value
 * must be a number > `min`, or with `whole` an integer >= `min`. Throws a
 * TypeError naming the option, e.g. `tracelet: batch.maxQueueSize must be a
 * whole number >= 1, got -1`.
 */
/** Throws the TypeError of a bad option (at startup only: after it tracelet never throws). */
export const fail = (message: string): never => {
  throw new TypeError('tracelet: ' + message);
};

export function numberOption(name: string, value: unknown, fallback: number, min = 0, whole?: boolean): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(whole ? Number.isInteger(value) && value >= min : value > min)) {
    throw new TypeError(`tracelet: ${name} must be a ${whole ? 'whole number >=' : 'number >'} ${min}, got ${String(value)}`);
  }
  return value;
}
