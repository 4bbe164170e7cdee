/**
 * A short readable CSS-like selector for an element, for span names: tag, id,
 * up to two classes, or a `data-testid` / `name` attribute; with the parent's
 * when the element alone says little. Never reads values typed by the user.
 */
export function describeElement(el: Element | null, depth = 0): string {
  if (!el || !el.tagName) return 'unknown';
  let out = el.tagName.toLowerCase();
  if (el.id) return out + '#' + el.id;
  const testId = el.getAttribute('data-testid') ?? el.getAttribute('data-test');
  if (testId) return `${out}[data-testid="${testId}"]`;
  const name = el.getAttribute('name');
  if (name) out += `[name="${name}"]`;
  const classes = typeof el.className === 'string' ? el.className.trim().split(/\s+/).filter(Boolean).slice(0, 2) : [];
  if (classes.length) out += '.' + classes.join('.');
  if (!name && !classes.length && depth < 2 && el.parentElement && el.parentElement !== document.body) {
    return describeElement(el.parentElement, depth + 1) + ' > ' + out;
  }
  return out;
}
