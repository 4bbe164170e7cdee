/**
 * Request bodies that could not be delivered, kept in localStorage for later:
 * the next export that succeeds in this page, or the next page load of this
 * origin. One storage item per body (`<prefix> <state><time><random>.<page>`),
 * so tabs that add and remove bodies at the same time never overwrite each
 * other's list. A body is `s`tored (anyone may send it) or written `a`head by
 * an export still running in page `<page>`: only that page sends it, unless
 * the page is gone (its Web Lock is no longer held) or, where there are no Web
 * Locks, the body is older than `AHEAD_STALE_MS`. Bounded by `maxBytes`; the
 * oldest go first.
 */
export interface SpanStore {
  /** Stores a body (written `ahead` by page `page`); its key, or undefined when it cannot be kept (over the bound, or storage refuses it). */
  add(body: string, ahead?: string): string | undefined;
  /** Removes one stored body (it was delivered after all). */
  remove(key: string): void;
  /** Marks a body written ahead as stored (its export gave up): any tab may now send it. */
  settle(key: string): string | undefined;
  /** The bodies an export may send now, oldest first, as [key, body]; `live(page)` says whether a page still runs. */
  sendable(live?: (page: string) => boolean): [string, string][];
}

/** An export gives up within maxElapsedMillis (20 s by default); a body written ahead that is much older is orphaned. */
const AHEAD_STALE_MS = 60_000;

export function localSpanStore(prefix: string, maxBytes: number): SpanStore | undefined {
  let storage: Storage;
  try {
    storage = localStorage;
    if (!storage) return undefined;
  } catch {
    return undefined; // no storage, or storage blocked (sandboxed iframe, privacy settings)
  }
  prefix += ' ';
  // Times in base 36, padded: keys sort by age.
  const time = () => Date.now().toString(36).padStart(9, '0');
  const keys = (): string[] => {
    const out: string[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i);
        if (key?.startsWith(prefix)) out.push(key);
      }
    } catch {
      // storage gone meanwhile
    }
    return out.sort((a, b) => (a.slice(prefix.length + 1) < b.slice(prefix.length + 1) ? -1 : 1));
  };
  const read = (key: string) => {
    try {
      return storage.getItem(key) ?? '';
    } catch {
      return '';
    }
  };
  const remove = (key: string) => {
    try {
      storage.removeItem(key);
    } catch {
      // nothing to do
    }
  };
  const add = (body: string, ahead?: string): string | undefined => {
    if (body.length > maxBytes) return undefined;
    const existing = keys();
    let total = body.length;
    for (const key of existing) total += read(key).length;
    const key = prefix + (ahead ? 'a' : 's') + time() + Math.random().toString(36).slice(2, 8) + '.' + (ahead ?? '');
    // Drop the oldest until within the bound, and further while the storage
    // quota (shared with the app) refuses; `body` itself goes last.
    for (;;) {
      while (total > maxBytes && existing.length) {
        const oldest = existing.shift()!;
        total -= read(oldest).length;
        remove(oldest);
      }
      try {
        storage.setItem(key, body);
        return key;
      } catch {
        if (!existing.length) return undefined; // not even `body` alone fits
        total = maxBytes + 1; // quota exceeded: drop one more
      }
    }
  };
  return {
    add,
    remove,
    settle(key) {
      const body = read(key);
      remove(key);
      return body ? add(body) : undefined;
    },
    sendable(live) {
      const now = Date.now();
      const orphaned = (key: string) => (live ? !live(key.slice(key.lastIndexOf('.') + 1)) : now - parseInt(key.slice(prefix.length + 1, prefix.length + 10), 36) > AHEAD_STALE_MS);
      return keys()
        .filter((key) => key[prefix.length] === 's' || orphaned(key))
        .map((key) => [key, read(key)] as [string, string])
        .filter(([, body]) => body);
    },
  };
}
