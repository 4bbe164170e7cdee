// A trace as an indented tree: the dev collector's console output and the
// demo's verdict both read traces this way.
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

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
  const service = s.resource?.['service.name'] ?? '?';
  const error = s.status?.code === 2 ? ' ERROR' : '';
  return `${'  '.repeat(depth + 1)}${s.name}  [${service}] ${KINDS[s.kind ?? 0]} ${durationMs(s).toFixed(1)} ms${error}${note}`;
}

/** `trace <id> (<n> spans, <services>)` then one indented line per span. */
export function formatTrace(spans) {
  if (spans.length === 0) return '(no spans)';
  const { roots, orphans, children } = buildTree(spans);
  const services = [...new Set(spans.map((s) => s.resource?.['service.name'] ?? '?'))];
  const out = [`trace ${spans[0].traceId} (${spans.length} span${spans.length === 1 ? '' : 's'}, ${services.join(', ')})`];
  const walk = (s, depth, note) => {
    out.push(line(s, depth, note));
    for (const c of children.get(s.spanId) ?? []) walk(c, depth + 1, '');
  };
  for (const r of roots) walk(r, 0, '');
  for (const o of orphans) walk(o, 0, ` (orphan: parent ${o.parentSpanId} missing)`);
  return out.join('\n');
}
