// The dev collector's span store: spans indexed by trace, bounded in count and
// in (approximate) bytes, so a collector left running on a laptop never grows
// without bound. When a bound is passed, the least recently updated traces are
// dropped whole; stored strings and lists are cut to fixed lengths and counted.
import { decodeAttributes } from './validate.mjs';

/** The documented defaults (README "The dev collector"). */
export const DEFAULT_LIMITS = Object.freeze({
  /** Spans kept at most; the least recently updated traces go first. */
  maxSpans: 100_000,
  /** About this many bytes of span data kept at most (strings plus a fixed cost per value). */
  maxBytes: 256 * 1024 * 1024,
  /** Longer strings (names, attribute values, messages) are cut to this many characters. */
  maxStringLength: 4096,
  /** Longer lists (attributes, events, links, array values) are cut to this many items. */
  maxListLength: 256,
});

const SPAN_COST = 256; // the fixed fields of a stored span, roughly
const VALUE_COST = 32;

/**
 * @param {Partial<typeof DEFAULT_LIMITS>} [options]
 */
export function createStore(options = {}) {
  const limits = { ...DEFAULT_LIMITS, ...options };
  /** traceId -> trace; Map order is the order of last update (oldest first). */
  const traces = new Map();
  /** Every stored span in arrival order; evicted spans are compacted away after each add. */
  let all = [];
  let bytes = 0;
  let version = 0;
  const dropped = { traces: 0, spans: 0 };
  const truncated = { values: 0, items: 0 };

  // Cuts strings and lists in place, and returns the approximate size of what stays.
  function str(s) {
    if (s.length <= limits.maxStringLength) return s;
    truncated.values++;
    return s.slice(0, limits.maxStringLength);
  }
  function list(items) {
    if (!Array.isArray(items)) return items;
    if (items.length > limits.maxListLength) {
      truncated.items += items.length - limits.maxListLength;
      items.length = limits.maxListLength;
    }
    return items;
  }
  function anyValue(v) {
    let size = VALUE_COST;
    if (!v) return size;
    if (typeof v.stringValue === 'string') {
      v.stringValue = str(v.stringValue);
      size += v.stringValue.length;
    } else if (typeof v.bytesValue === 'string') {
      v.bytesValue = str(v.bytesValue);
      size += v.bytesValue.length;
    } else if (v.arrayValue) {
      for (const e of list(v.arrayValue.values) ?? []) size += anyValue(e);
    } else if (v.kvlistValue) {
      size += attributes(v.kvlistValue.values);
    }
    return size;
  }
  function attributes(items) {
    let size = 0;
    for (const kv of list(items) ?? []) {
      kv.key = str(kv.key);
      size += VALUE_COST + kv.key.length + anyValue(kv.value);
    }
    return size;
  }

  /** Cuts a validated OTLP span to the limits; returns its approximate size. */
  function bound(s) {
    let size = SPAN_COST;
    s.name = str(s.name);
    size += s.name.length;
    if (typeof s.traceState === 'string') size += (s.traceState = str(s.traceState)).length;
    size += attributes(s.attributes);
    for (const e of list(s.events) ?? []) {
      if (typeof e.name === 'string') size += (e.name = str(e.name)).length;
      size += VALUE_COST + attributes(e.attributes);
    }
    for (const l of list(s.links) ?? []) {
      if (typeof l.traceState === 'string') size += (l.traceState = str(l.traceState)).length;
      size += VALUE_COST + attributes(l.attributes);
    }
    if (typeof s.status?.message === 'string') size += (s.status.message = str(s.status.message)).length;
    return size;
  }

  // Spans dropped during one add(); compacted out of `all` at its end.
  const droppedTraceIds = new Set();
  const droppedSpans = new Set();
  let removed = 0;

  function evictOldest() {
    const [traceId, trace] = traces.entries().next().value;
    traces.delete(traceId);
    droppedTraceIds.add(traceId);
    bytes -= trace.bytes;
    removed += trace.spans.length;
    dropped.traces++;
    dropped.spans += trace.spans.length;
  }

  // One trace larger than the whole store keeps its newest spans.
  function trimOnlyTrace() {
    const trace = traces.values().next().value;
    while (trace.spans.length > 1 && over()) {
      const s = trace.spans.shift();
      const size = trace.sizes.shift();
      droppedSpans.add(s);
      removed++;
      bytes -= size;
      trace.bytes -= size;
      dropped.spans++;
    }
  }
  const over = () => all.length - removed > limits.maxSpans || bytes > limits.maxBytes;

  return {
    limits,
    /**
     * Stores the spans of a validated ExportTraceServiceRequest. Returns the
     * stored spans and the ids of the traces they touched.
     */
    add(request) {
      const added = [];
      const touched = new Set();
      const before = dropped.traces;
      for (const rs of request.resourceSpans) {
        const resourceAttributes = rs.resource?.attributes;
        if (resourceAttributes) attributes(resourceAttributes);
        const resource = decodeAttributes(resourceAttributes);
        for (const ss of rs.scopeSpans ?? []) {
          const scope = { name: ss.scope?.name ?? '', version: ss.scope?.version };
          for (const raw of ss.spans ?? []) {
            const size = bound(raw);
            // The parsed span itself is stored (no copy), with its decoded context beside the OTLP fields.
            const span = raw;
            span.parentSpanId = raw.parentSpanId || undefined;
            span.resource = resource;
            span.scope = scope;
            span.attributesMap = decodeAttributes(raw.attributes);
            let trace = traces.get(span.traceId);
            if (!trace) {
              trace = { traceId: span.traceId, spans: [], sizes: [], bytes: 0 };
              traces.set(span.traceId, trace);
            } else if (!touched.has(span.traceId)) {
              // Most recently updated last: re-insert once per request.
              traces.delete(span.traceId);
              traces.set(span.traceId, trace);
            }
            touched.add(span.traceId);
            trace.spans.push(span);
            trace.sizes.push(size);
            trace.bytes += size;
            bytes += size;
            all.push(span);
            added.push(span);
          }
        }
      }
      removed = 0;
      while (over() && traces.size > 1) evictOldest();
      if (over()) trimOnlyTrace();
      let kept = added;
      if (removed > 0) {
        const stays = (s) => !droppedTraceIds.has(s.traceId) && !droppedSpans.has(s);
        all = all.filter(stays);
        kept = added.filter(stays);
        droppedTraceIds.clear();
        droppedSpans.clear();
      }
      version++;
      return { added: kept, touched, evictedTraces: dropped.traces - before };
    },
    /** The trace with this id, or undefined. */
    get: (traceId) => traces.get(traceId),
    /** Traces, least recently updated first. */
    traces: () => traces.values(),
    /** All spans in arrival order (a copy). */
    spans: () => all.slice(),
    /** The live array, for waiters that only read it. */
    live: () => all,
    clear() {
      traces.clear();
      all = [];
      bytes = 0;
      version++;
    },
    stats: () => ({ spans: all.length, traces: traces.size, approxBytes: bytes, dropped: { ...dropped }, truncated: { ...truncated }, limits: { ...limits } }),
    get version() {
      return version;
    },
  };
}
