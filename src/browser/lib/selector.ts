/**
 * A short readable CSS-like selector for an element, for span names: tag, id,
 * up to two classes, or a `data-testid` / `name` attribute; with the parent's
 * when the element alone says little. Never reads values typed by the user.
 */
export function describeElement(el: Element | null, depth = 0): string {
  if (!el?.tagName) return 'unknown';
  let out = el.tagName.toLowerCase();
  if (el.id) return out + '#' + el.id;
  const testId = el.getAttribute('data-testid') ?? el.getAttribute('data-test');
  if (testId) return `${out}[data-testid="${testId}"]`;
  const name = el.getAttribute('name');
  if (name) out += `[name="${name}"]`;
  const classes = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 2) : [];
  if (classes[0]) out += '.' + classes.join('.');
  const parent = el.parentElement;
  return name || classes[0] || depth > 1 || !parent || parent === document.body ? out : describeElement(parent, depth + 1) + ' > ' + out;
}
