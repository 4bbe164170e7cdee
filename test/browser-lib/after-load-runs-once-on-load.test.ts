// afterLoad: now when the document is complete, else once on the window's
// `load` event; the undo cancels a `load` still to come. Ordered by real
// events, never by the clock.
import { afterEach, expect, test, vi } from 'vitest';
import { afterLoad } from '../../src/browser/lib/after-load.js';

/** Makes this document report `readyState` (an own property over the prototype's getter) until the test ends. */
function pretendReadyState(state: DocumentReadyState) {
  Object.defineProperty(document, 'readyState', { value: state, configurable: true });
}
afterEach(() => void delete (document as { readyState?: unknown }).readyState);

test('a complete document runs fn at once, before afterLoad returns, and a later load event does not run it again', () => {
  expect(document.readyState).toBe('complete');
  const fn = vi.fn();
  afterLoad(fn);
  expect(fn).toHaveBeenCalledTimes(1);
  dispatchEvent(new Event('load'));
  expect(fn).toHaveBeenCalledTimes(1);
});

test.each(['loading', 'interactive'] as const)('a document still %s runs fn on the load event, exactly once', (state) => {
  pretendReadyState(state);
  const fn = vi.fn();
  afterLoad(fn);
  expect(fn).not.toHaveBeenCalled();
  dispatchEvent(new Event('DOMContentLoaded'));
  expect(fn).not.toHaveBeenCalled();
  dispatchEvent(new Event('load'));
  expect(fn).toHaveBeenCalledTimes(1);
  dispatchEvent(new Event('load'));
  expect(fn).toHaveBeenCalledTimes(1);
});

test('the undo before load: the load event no longer runs fn', () => {
  pretendReadyState('loading');
  const fn = vi.fn();
  const undo = afterLoad(fn);
  undo();
  dispatchEvent(new Event('load'));
  expect(fn).not.toHaveBeenCalled();
});

test('the undo leaves other load listeners alone', () => {
  pretendReadyState('loading');
  const mine = vi.fn();
  const other = vi.fn();
  afterLoad(other);
  afterLoad(mine)();
  dispatchEvent(new Event('load'));
  expect(other).toHaveBeenCalledTimes(1);
  expect(mine).not.toHaveBeenCalled();
});
