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
  let storage: Storage;
  try {
    storage = localStorage;
    if (!storage) return undefined;
  } catch {
    return undefined; // no storage, or storage blocked (sandboxed iframe, privacy settings)
  }
  const read = (): string[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  const write = (bodies: string[]) => {
    try {
      if (bodies.length) storage.setItem(key, JSON.stringify(bodies));
      else storage.removeItem(key);
    } catch {
      // quota exceeded: keep what was there
    }
  };
  return {
    add(body) {
      if (body.length > maxBytes) return;
      const bodies = [...read(), body];
      let total = 0;
      for (const b of bodies) total += b.length;
      // Drop the oldest; `body` itself fits, so the loop stops before it.
      while (total > maxBytes) total -= bodies.shift()!.length;
      write(bodies);
    },
    remove(body) {
      const bodies = read();
      const i = bodies.indexOf(body);
      if (i >= 0) {
        bodies.splice(i, 1);
        write(bodies);
      }
    },
    takeAll() {
      const bodies = read();
      write([]);
      return bodies;
    },
  };
}
