// localSpanStore: undelivered request bodies in this page's real localStorage,
// one item per body, bounded by maxBytes (oldest dropped first, also when the
// quota refuses), written ahead by a page only that page sends while it lives.
// Date is faked (only Date) so that ages are set, never waited for.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { localSpanStore } from '../../src/browser/lib/span-store.js';

const PREFIX = 'tracelet-test';
const T0 = Date.UTC(2026, 11, 4, 12, 0, 0);
const ours = () => Object.keys(localStorage).filter((k) => k.startsWith(PREFIX + ' ')).sort();

beforeEach(() => {
  localStorage.clear();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
  localStorage.clear();
});

const store = (maxBytes = 1000) => localSpanStore(PREFIX, maxBytes)!;
const at = (ms: number) => vi.setSystemTime(T0 + ms);

test('a stored body is one localStorage item, under the prefix, sendable by anyone', () => {
  const s = store();
  const key = s.add('{"a":1}')!;
  expect(key.startsWith(PREFIX + ' s')).toBe(true);
  expect(key.endsWith('.')).toBe(true);
  expect(localStorage.getItem(key)).toBe('{"a":1}');
  expect(ours()).toEqual([key]);
  expect(s.sendable()).toEqual([[key, '{"a":1}']]);
  expect(s.sendable(() => true)).toEqual([[key, '{"a":1}']]);
  // Another store of the same prefix (the next page load) sees it.
  expect(store().sendable()).toEqual([[key, '{"a":1}']]);
});

test('keys carry the time in base 36, padded to 9 digits, then 6 random characters and the page', () => {
  const key = store().add('x', 'page-1')!;
  const rest = key.slice(PREFIX.length + 1);
  expect(rest[0]).toBe('a');
  expect(rest.slice(1, 10)).toBe(T0.toString(36).padStart(9, '0'));
  expect(rest.slice(10)).toMatch(/^[0-9a-z]{6}\.page-1$/);
});

test('sendable lists the oldest first, whatever order localStorage keeps', () => {
  const s = store();
  at(2000);
  const b = s.add('b')!;
  at(1000);
  const a = s.add('a')!;
  at(3000);
  const c = s.add('c', 'gone')!;
  at(100_000);
  expect(s.sendable(() => false)).toEqual([
    [a, 'a'],
    [b, 'b'],
    [c, 'c'],
  ]);
});

test('other prefixes, and names that merely start with the prefix, are not ours: never listed, never dropped', () => {
  localStorage.setItem(PREFIX + '2 s000000000abcdef.', 'someone else');
  localStorage.setItem(PREFIX + 'x', 'x'.repeat(50));
  localStorage.setItem('app', 'state');
  const s = store(10);
  s.add('0123456789');
  const k = s.add('abcdefghij')!;
  expect(s.sendable()).toEqual([[k, 'abcdefghij']]);
  expect(localStorage.getItem(PREFIX + '2 s000000000abcdef.')).toBe('someone else');
  expect(localStorage.getItem(PREFIX + 'x')).toBe('x'.repeat(50));
  expect(localStorage.getItem('app')).toBe('state');
});

test('bounded by maxBytes: a body exactly at the bound is kept, a larger one refused, the oldest go first', () => {
  const s = store(10);
  expect(s.add('12345678901')).toBeUndefined();
  expect(ours()).toEqual([]);
  const full = s.add('1234567890')!;
  expect(ours()).toEqual([full]);
  at(1);
  const x = s.add('xxxx')!;
  expect(ours()).toEqual([x]);
  at(2);
  const y = s.add('yyyyyy')!;
  // 4 + 6 = 10: both fit.
  expect(s.sendable().map(([, body]) => body)).toEqual(['xxxx', 'yyyyyy']);
  at(3);
  const z = s.add('z')!;
  // 4 + 6 + 1 > 10: the oldest (xxxx) goes.
  expect(s.sendable()).toEqual([
    [y, 'yyyyyy'],
    [z, 'z'],
  ]);
});

test('when the storage quota refuses, the oldest bodies are dropped until the new one fits', () => {
  const s = store(1e9);
  const body = 'x'.repeat(256 * 1024);
  const kept: string[] = [];
  for (let i = 0; i < 3; i++) {
    at(i);
    kept.push(s.add(body + i)!);
  }
  // The app fills the rest of the quota, in items of halving size.
  const fill: string[] = [];
  for (let size = 1024 * 1024; size >= 1024; ) {
    try {
      localStorage.setItem('app-fill-' + fill.length, 'f'.repeat(size));
      fill.push('app-fill-' + fill.length);
    } catch {
      size = Math.floor(size / 2);
    }
  }
  expect(() => localStorage.setItem('probe', body)).toThrow();
  at(10);
  const added = s.add('n'.repeat(256 * 1024 + 100))!;
  expect(added).toBeDefined();
  const left = ours();
  expect(left).toContain(added);
  // The oldest went first: whatever is kept of the earlier ones is the newest of them.
  const survivors = kept.filter((k) => left.includes(k));
  expect(survivors).toEqual(kept.slice(kept.length - survivors.length));
  expect(survivors.length).toBeLessThan(3);
  for (const k of fill) expect(localStorage.getItem(k)).not.toBeNull();
});

test('a body the quota refuses even alone: nothing kept, undefined', () => {
  const s = store(1e9);
  const key = s.add('old')!;
  expect(key).toBeDefined();
  expect(s.add('y'.repeat(6 * 1024 * 1024))).toBeUndefined();
  expect(ours()).toEqual([]);
});

test('a body written ahead is sent only by its page while that page lives; any tab sends it once the page is gone', () => {
  const s = store();
  const mine = s.add('mine', 'page-A')!;
  const theirs = s.add('theirs', 'page-B')!;
  expect(mine).toMatch(/ a[0-9a-z]{15}\.page-A$/);
  const stored = s.add('stored')!;
  const alive = new Set(['page-A']);
  const pages: string[] = [];
  const sendable = s.sendable((page) => (pages.push(page), alive.has(page)));
  expect(new Set(pages)).toEqual(new Set(['page-A', 'page-B']));
  expect(sendable.map(([k]) => k).sort()).toEqual([theirs, stored].sort());
});

test('without Web Locks, a body written ahead becomes sendable once it is older than a minute', () => {
  const s = store();
  const key = s.add('ahead', 'page-A')!;
  at(60_000);
  expect(s.sendable()).toEqual([]);
  at(60_001);
  expect(s.sendable()).toEqual([[key, 'ahead']]);
});

test('settle turns a body written ahead into a stored one (a new key, the same body); remove forgets one', () => {
  const s = store();
  const ahead = s.add('body', 'page-A')!;
  const other = s.add('other')!;
  expect(s.sendable(() => true)).toEqual([[other, 'other']]);
  const settled = s.settle(ahead)!;
  expect(settled).not.toBe(ahead);
  expect(settled.startsWith(PREFIX + ' s')).toBe(true);
  expect(localStorage.getItem(ahead)).toBeNull();
  expect(localStorage.getItem(settled)).toBe('body');
  expect(s.sendable(() => true).map(([, b]) => b).sort()).toEqual(['body', 'other']);
  s.remove(other);
  expect(s.sendable(() => true)).toEqual([[settled, 'body']]);
  // Settling what is gone keeps nothing.
  expect(s.settle(ahead)).toBeUndefined();
  expect(ours()).toEqual([settled]);
});

test('an empty body is never listed as sendable', () => {
  const s = store();
  s.add('');
  const key = s.add('x')!;
  expect(s.sendable()).toEqual([[key, 'x']]);
});
