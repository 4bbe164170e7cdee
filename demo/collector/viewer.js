// The dev collector's trace viewer: a list of traces and a waterfall per
// trace, refreshed as spans arrive. Plain DOM; no build, no dependencies.
const COLORS = ['#3b6fd8', '#d8793b', '#2f9e6e', '#9b4fd0', '#c94f7c', '#6b7a1d', '#1d8aa0'];
const serviceColor = new Map();
const colorOf = (service) => {
  if (!serviceColor.has(service)) serviceColor.set(service, COLORS[serviceColor.size % COLORS.length]);
  return serviceColor.get(service);
};
const ns = (s) => BigInt(s);
const ms = (d) => Number(d) / 1e6;
let selected;
let lastJson = '';

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'style') Object.assign(e.style, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

function ordered(spans) {
  const ids = new Set(spans.map((s) => s.spanId));
  const kids = new Map();
  const roots = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) {
      if (!kids.has(s.parentSpanId)) kids.set(s.parentSpanId, []);
      kids.get(s.parentSpanId).push(s);
    } else roots.push(s);
  }
  const byStart = (a, b) => (ns(a.startTimeUnixNano) < ns(b.startTimeUnixNano) ? -1 : 1);
  const out = [];
  const walk = (s, depth) => {
    out.push({ span: s, depth });
    for (const c of (kids.get(s.spanId) ?? []).sort(byStart)) walk(c, depth + 1);
  };
  for (const r of roots.sort(byStart)) walk(r, 0);
  return out;
}

function showTrace(trace) {
  selected = trace.traceId;
  for (const t of document.querySelectorAll('.trace')) t.classList.toggle('on', t.dataset.id === selected);
  const main = document.getElementById('main');
  const start = trace.spans.reduce((m, s) => (ns(s.startTimeUnixNano) < m ? ns(s.startTimeUnixNano) : m), ns(trace.spans[0].startTimeUnixNano));
  const end = trace.spans.reduce((m, s) => (ns(s.endTimeUnixNano) > m ? ns(s.endTimeUnixNano) : m), 0n);
  const total = Number(end - start) || 1;
  const detail = el('div', { id: 'detail' }, 'Click a span for its attributes and events.');
  const rows = ordered(trace.spans).map(({ span, depth }) => {
    const service = span.resource['service.name'] ?? '?';
    const left = (Number(ns(span.startTimeUnixNano) - start) / total) * 100;
    const width = (Number(ns(span.endTimeUnixNano) - ns(span.startTimeUnixNano)) / total) * 100;
    const dur = ms(ns(span.endTimeUnixNano) - ns(span.startTimeUnixNano)).toFixed(1) + ' ms';
    return el(
      'div',
      { class: 'row', 'data-span': span.spanId, onclick: () => (detail.textContent = JSON.stringify({ name: span.name, service, kind: span.kind, status: span.status, attributes: span.attributesMap, events: span.events, resource: span.resource }, null, 2)) },
      el('div', { class: 'name', style: { paddingLeft: depth * 14 + 'px' } }, el('span', { class: 'svc', style: { background: colorOf(service) } }, service), span.name),
      el(
        'div',
        { class: 'lane' },
        el('div', { class: 'bar' + (span.status?.code === 2 ? ' err' : ''), style: { left: left + '%', width: width + '%', background: colorOf(service) } }),
        // The duration after the bar, or before it when the bar reaches the right edge.
        el('span', { class: 'dur', style: left + width > 80 ? { right: 100 - left + '%', paddingRight: '4px' } : { left: left + width + '%' } }, dur),
      ),
    );
  });
  main.replaceChildren(el('h2', {}, `trace ${trace.traceId}`), el('p', {}, `${trace.spans.length} spans, ${ms(end - start).toFixed(1)} ms`), ...rows, detail);
}

async function refresh() {
  try {
    const res = await fetch('/api/traces');
    const text = await res.text();
    if (text === lastJson) return;
    lastJson = text;
    const { traces } = JSON.parse(text);
    const list = document.getElementById('traces');
    if (!traces.length) return;
    const latest = (t) => t.spans.reduce((m, s) => (ns(s.endTimeUnixNano) > m ? ns(s.endTimeUnixNano) : m), 0n);
    traces.sort((a, b) => (latest(b) > latest(a) ? 1 : -1));
    list.replaceChildren(
      ...traces.map((t) => {
        const root = ordered(t.spans)[0].span;
        const services = [...new Set(t.spans.map((s) => s.resource['service.name']))].join(', ');
        return el('div', { class: 'trace', 'data-id': t.traceId, onclick: () => showTrace(t) }, root.name, el('small', {}, `${t.spans.length} spans · ${services}`));
      }),
    );
    const current = traces.find((t) => t.traceId === selected) ?? traces[0];
    showTrace(current);
  } catch {
    // the collector restarted; try again
  }
}
refresh();
setInterval(refresh, 1000);
