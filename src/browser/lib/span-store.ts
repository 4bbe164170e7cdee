/**
 * Request bodies that could not be delivered, kept in localStorage for the
 * next page load of this origin. Bounded by `maxBytes`; the oldest go first.
 */
export interface SpanStore {
  add(body: string): void;
  /** Removes one stored body (it was delivered after all). */
  remove(body: string): void;
  /** Removes and returns everything stored (so a body is sent at most once per load). */
  takeAll(): string[];
}

export function localSpanStore(key: string, maxBytes: number): SpanStore | undefined {
  let storage: Storage | undefined;
  try {
    storage = globalThis.localStorage;
    if (!storage) return undefined;
  } catch {
    return undefined; // storage blocked (sandboxed iframe, privacy settings)
  }
  const s = storage;
  const read = (): string[] => {
    try {
      const parsed: unknown = JSON.parse(s.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    add(body) {
      if (body.length > maxBytes) return;
      const bodies = read();
      bodies.push(body);
      let total = bodies.reduce((n, b) => n + b.length, 0);
      while (total > maxBytes && bodies.length > 0) total -= bodies.shift()!.length;
      try {
        s.setItem(key, JSON.stringify(bodies));
      } catch {
        // quota exceeded: keep what was there
      }
    },
    remove(body) {
      const bodies = read();
      const i = bodies.indexOf(body);
      if (i < 0) return;
      bodies.splice(i, 1);
      try {
        if (bodies.length) s.setItem(key, JSON.stringify(bodies));
        else s.removeItem(key);
      } catch {
        // ignore
      }
    },
    takeAll() {
      const bodies = read();
      try {
        s.removeItem(key);
      } catch {
        // ignore
      }
      return bodies;
    },
  };
}
