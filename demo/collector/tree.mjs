// A trace as an indented tree: the dev collector's console output and the
// demo's verdict both read traces this way.
export const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

// C0 and C1 controls, DEL, and the Unicode line separators and bidi overrides
// that can forge or reorder terminal lines. Span names and service names come
// from any page that posts to the collector, so they are escaped, never printed raw.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const escape = (c) => {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** `value` as text that is safe to print to a terminal: controls escaped, at most `max` characters. */
export function printable(value, max = 200) {
  let text = String(value);
  if (text.length > max) text = text.slice(0, max) + '…';
  return text.replace(UNSAFE, escape);
}

const durationMs = (s) => Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)) / 1e6;
const byStart = (a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : BigInt(a.startTimeUnixNano) > BigInt(b.startTimeUnixNano) ? 1 : 0);

/**
 * Nests stored spans by parentSpanId. Roots have no parent; orphans name a
 * parent that is not (yet) in the trace.
 * @returns {{ roots: object[], orphans: object[], children: Map<string, object[]> }}
 */
export function buildTree(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const children = new Map();
  const roots = [];
  const orphans = [];
  for (const s of spans) {
    if (!s.parentSpanId) roots.push(s);
    else if (!ids.has(s.parentSpanId)) orphans.push(s);
    else {
      if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
      children.get(s.parentSpanId).push(s);
    }
  }
  roots.sort(byStart);
  orphans.sort(byStart);
  for (const list of children.values()) list.sort(byStart);
  return { roots, orphans, children };
}

function line(s, depth, note = '') {
  const service = printable(s.resource?.['service.name'] ?? '?', 60);
  const error = s.status?.code === 2 ? ' ERROR' : '';
  return `${'  '.repeat(Math.min(depth, 40) + 1)}${printable(s.name)}  [${service}] ${KINDS[s.kind ?? 0]} ${durationMs(s).toFixed(1)} ms${error}${note}`;
}

/**
 * `trace <id> (<n> spans, <services>)` then one indented line per span, at
 * most `maxLines` of them (a note says how many more there are).
 */
export function formatTrace(spans, { maxLines = 200 } = {}) {
  if (spans.length === 0) return '(no spans)';
  const { roots, orphans, children } = buildTree(spans);
  const services = [...new Set(spans.map((s) => printable(s.resource?.['service.name'] ?? '?', 60)))];
  const shown = services.length > 5 ? [...services.slice(0, 5), `${services.length - 5} more`] : services;
  const out = [`trace ${spans[0].traceId} (${spans.length} span${spans.length === 1 ? '' : 's'}, ${shown.join(', ')})`];
  // An explicit stack, not recursion: a trace may nest as deep as it likes.
  const stack = [];
  for (let i = orphans.length - 1; i >= 0; i--) stack.push([orphans[i], 0, ` (orphan: parent ${orphans[i].parentSpanId} missing)`]);
  for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i], 0, '']);
  while (stack.length > 0 && out.length <= maxLines) {
    const [s, depth, note] = stack.pop();
    out.push(line(s, depth, note));
    const kids = children.get(s.spanId) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1, '']);
  }
  const more = spans.length - (out.length - 1);
  if (more > 0) out.push(`  … ${more} more span${more === 1 ? '' : 's'} (the viewer shows them all)`);
  return out.join('\n');
}
