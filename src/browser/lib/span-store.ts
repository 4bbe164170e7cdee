import { toJson } from '../../export/otlp-json.js';

/**
 * Request bodies that could not be delivered, kept in localStorage for the
 * next page load of this origin. Bounded by `maxBytes`; the oldest go first.
 */
export interface SpanStore {
  /** Stores a body; false when it cannot be kept (larger than the bound, or storage refuses it). */
  add(body: string): boolean;
  /** Removes one stored body (it was delivered after all). */
  remove(body: string): void;
  /** Everything stored, oldest first; each stays stored until removed. */
  all(): string[];
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
  const write = (bodies: string[]): boolean => {
    try {
      if (bodies.length) storage.setItem(key, toJson(bodies));
      else storage.removeItem(key);
      return true;
    } catch {
      return false; // quota exceeded
    }
  };
  return {
    add(body) {
      if (body.length > maxBytes) return false;
      const bodies = [...read(), body];
      let total = 0;
      for (const b of bodies) total += b.length;
      // Drop the oldest until within the bound, and further while the storage
      // quota (shared with the app) refuses; `body` itself goes last.
      while (total > maxBytes) total -= bodies.shift()!.length;
      while (!write(bodies)) {
        if (bodies.length === 1) return false; // not even `body` alone fits
        bodies.shift();
      }
      return true;
    },
    remove(body) {
      const bodies = read();
      const i = bodies.indexOf(body);
      if (i >= 0) {
        bodies.splice(i, 1);
        write(bodies);
      }
    },
    all: read,
  };
}
