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
