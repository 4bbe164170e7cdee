/**
 * Puts `replacement` in `target[name]` and returns the undo. The undo restores
 * the original only while `replacement` is still there: a library that wrapped
 * it after us keeps its wrapper (and ours inside it). Used by XHR, navigation,
 * errors and interactions; fetch.ts writes its two lines itself, as the
 * fetch-only bundle would otherwise carry this helper for that one use.
 */
export function patch<T extends object, K extends keyof T>(target: T, name: K, replacement: T[K]): () => void {
  const original = target[name];
  target[name] = replacement;
  return () => {
    if (target[name] === replacement) target[name] = original;
  };
}
