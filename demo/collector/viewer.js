// The dev collector's trace viewer: the newest traces and a waterfall of one,
// refreshed as spans arrive. Plain DOM, text only (never HTML from the store);
// no build, no dependencies.
const COLORS = ['#3b6fd8', '#d8793b', '#2f9e6e', '#9b4fd0', '#c94f7c', '#6b7a1d', '#1d8aa0'];
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const serviceColor = new Map();
const colorOf = (service) => {
  if (!serviceColor.has(service)) serviceColor.set(service, COLORS[serviceColor.size % COLORS.length]);
  return serviceColor.get(service);
};
const ns = (s) => BigInt(s);
const ms = (d) => Number(d) / 1e6;
const plural = (n, one, many = one + 's') => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
const kindName = (k) => KINDS[k ?? 0] ?? String(k);

let version = '';
/** The trace the user clicked; until then the viewer follows the collector's suggestion. */
let picked;
let shown; // { traceId, spanCount, durationMs } of the trace on screen

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
  const stack = roots.sort(byStart).reverse().map((span) => ({ span, depth: 0 }));
  while (stack.length) {
    const { span, depth } = stack.pop();
    out.push({ span, depth });
    for (const c of (kids.get(span.spanId) ?? []).sort(byStart).reverse()) stack.push({ span: c, depth: depth + 1 });
  }
  return out;
}

// Where a bar's duration goes: after the bar, before it, or inside it, so the
// label never leaves the lane (and never covers the name column).
function labelPlace(left, width) {
  if (left + width <= 78) return { cls: 'dur', style: { left: left + width + '%' } };
  if (left >= 22) return { cls: 'dur', style: { right: 100 - left + '%', paddingRight: '4px' } };
  return { cls: 'dur inside', style: { left: left + '%' } };
}

function showTrace(trace) {
  const main = document.getElementById('main');
  const start = trace.spans.reduce((m, s) => (ns(s.startTimeUnixNano) < m ? ns(s.startTimeUnixNano) : m), ns(trace.spans[0].startTimeUnixNano));
  const end = trace.spans.reduce((m, s) => (ns(s.endTimeUnixNano) > m ? ns(s.endTimeUnixNano) : m), 0n);
  const total = Number(end - start) || 1;
  const detail = el('div', { id: 'detail' }, 'Click a span for its attributes and events.');
  const rows = ordered(trace.spans).map(({ span, depth }) => {
    const service = String(span.resource['service.name'] ?? '?');
    const left = (Number(ns(span.startTimeUnixNano) - start) / total) * 100;
    const width = (Number(ns(span.endTimeUnixNano) - ns(span.startTimeUnixNano)) / total) * 100;
    const dur = ms(ns(span.endTimeUnixNano) - ns(span.startTimeUnixNano)).toFixed(1) + ' ms';
    const place = labelPlace(left, width);
    const show = () => {
      const info = { name: span.name, service, kind: kindName(span.kind), status: span.status, attributes: span.attributesMap, events: span.events, links: span.links, resource: span.resource, scope: span.scope };
      detail.textContent = JSON.stringify(info, null, 2);
    };
    return el(
      'div',
      { class: 'row', 'data-span': span.spanId, onclick: show },
      el('div', { class: 'name', style: { paddingLeft: Math.min(depth, 20) * 14 + 'px' }, title: span.name }, el('span', { class: 'svc', style: { background: colorOf(service) } }, service), el('span', { class: 'kind' }, kindName(span.kind)), span.name),
      el(
        'div',
        { class: 'lane' },
        el('div', { class: 'bar' + (span.status?.code === 2 ? ' err' : ''), style: { left: left + '%', width: width + '%', background: colorOf(service) } }),
        el('span', { class: place.cls, style: place.style }, dur),
      ),
    );
  });
  main.replaceChildren(el('h2', {}, `trace ${trace.traceId}`), el('p', {}, `${plural(trace.spans.length, 'span')}, ${ms(end - start).toFixed(1)} ms`), ...rows, detail);
}

async function open(traceId, summary) {
  const res = await fetch(`/api/traces/${traceId}`);
  if (!res.ok) return;
  const trace = await res.json();
  shown = { traceId, spanCount: summary?.spanCount, durationMs: summary?.durationMs };
  for (const t of document.querySelectorAll('.trace')) t.classList.toggle('on', t.dataset.id === traceId);
  showTrace(trace);
}

function pick(traceId, summary) {
  picked = traceId;
  void open(traceId, summary);
}

async function refresh() {
  try {
    const res = await fetch(`/api/summary?since=${version}`);
    if (res.status !== 200) return; // 204: nothing changed
    const s = await res.json();
    version = String(s.version);
    const notice = document.getElementById('notice');
    notice.textContent = s.dropped.traces > 0 ? `Keeping the newest ${plural(s.limits.maxSpans, 'span')}: ${plural(s.dropped.traces, 'older trace')} (${plural(s.dropped.spans, 'span')}) dropped.` : '';
    document.getElementById('count').textContent = s.traces > s.list.length ? `the newest ${s.list.length} of ${plural(s.traces, 'trace')}` : plural(s.traces, 'trace');
    const list = document.getElementById('traces');
    if (!s.list.length) {
      list.replaceChildren(el('p', { class: 'empty' }, 'No traces yet. POST OTLP/HTTP JSON to /v1/traces.'));
      return;
    }
    list.replaceChildren(
      ...s.list.map((t) =>
        el(
          'div',
          { class: 'trace' + (t.errors ? ' has-err' : ''), 'data-id': t.traceId, onclick: () => pick(t.traceId, t) },
          t.name,
          el('small', {}, `${plural(t.spanCount, 'span')} · ${t.durationMs.toFixed(1)} ms · ${t.services.join(', ')}`),
        ),
      ),
    );
    const want = picked ?? s.suggested;
    const summary = s.list.find((t) => t.traceId === want);
    // Open it when it is new on screen or has changed since.
    if (want && (!shown || shown.traceId !== want || !summary || shown.spanCount !== summary.spanCount || shown.durationMs !== summary.durationMs)) await open(want, summary);
    else for (const t of document.querySelectorAll('.trace')) t.classList.toggle('on', t.dataset.id === shown?.traceId);
  } catch {
    // the collector restarted; try again
  }
}
refresh();
setInterval(refresh, 1000);
