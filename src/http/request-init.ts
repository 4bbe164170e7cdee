/**
 * A plain copy of `init` read the way fetch reads a RequestInit: as a WebIDL
 * dictionary, through [[Get]], so inherited members and getters count (a
 * Request or a class instance passed as init; a spread copies none of them).
 * Each of `members` is read once (a getter runs once, as in fetch), plus any
 * own extras; undefined members are left out. Browser fetch and Workers'
 * outbound fetch pass their runtime's member list.
 */
export function copyInit(init: RequestInit | undefined, members: readonly string[]): Record<string, unknown> {
  const next: Record<string, unknown> = {};
  if (init) {
    for (const k of new Set([...Object.keys(init), ...members])) {
      const v = (init as Record<string, unknown>)[k];
      if (v !== undefined) next[k] = v;
    }
  }
  return next;
}
