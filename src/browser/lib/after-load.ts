/**
 * Runs `fn` once the page has loaded: now if it has (`readyState` complete),
 * else on the window's `load` event, once. Returns the undo: no call after it
 * (a `load` still to come no longer runs `fn`).
 */
export function afterLoad(fn: () => void): () => void {
  if (document.readyState === 'complete') fn();
  else addEventListener('load', fn, { once: true });
  return () => removeEventListener('load', fn);
}
