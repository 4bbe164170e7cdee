// Strict validation of an OTLP/HTTP JSON ExportTraceServiceRequest
// (opentelemetry-proto trace/v1/trace.proto, JSON mapping:
// https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding).
// Unknown keys are rejected on purpose: in a dev collector they are encoder
// bugs (snake_case keys, typos) that a real collector would silently ignore.

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const DECIMAL = /^\d+$/;
const SIGNED = /^-?\d+$/;

class Invalid extends Error {}
const fail = (path, message) => {
  throw new Invalid(`${path}: ${message}`);
};
const show = (v) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v) : JSON.stringify(v) ?? String(v));

function object(v, path) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) fail(path, `expected an object, got ${show(v)}`);
  return v;
}
function keys(v, path, allowed) {
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown field (expected one of ${allowed.join(', ')})`);
}
function array(v, path) {
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, `expected an array, got ${show(v)}`);
  return v;
}
function count(v, path) {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < 0) fail(path, `expected a non-negative integer, got ${show(v)}`);
}
function str(v, path) {
  if (v !== undefined && typeof v !== 'string') fail(path, `expected a string, got ${show(v)}`);
}
function id(v, path, re, what, optional) {
  if (optional && (v === undefined || v === '')) return;
  if (typeof v !== 'string' || !re.test(v)) fail(path, `expected ${what} lower-case hex characters, got ${show(v)}`);
  if (/^0+$/.test(v)) fail(path, 'must not be all zeros');
}
function nanos(v, path) {
  if (typeof v === 'string' && DECIMAL.test(v)) return BigInt(v);
  if (Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  fail(path, `expected unix nanoseconds as a decimal string, got ${show(v)}`);
}

const VALUE_KEYS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];
/** Values nested deeper than this are refused (400): real telemetry is a few levels deep, and every reader of the store walks values recursively. */
export const MAX_VALUE_DEPTH = 32;
function anyValue(v, path, depth = 1) {
  object(v, path);
  if (depth > MAX_VALUE_DEPTH) fail(path, `values nested deeper than ${MAX_VALUE_DEPTH} levels are refused`);
  keys(v, path, VALUE_KEYS);
  const present = Object.keys(v);
  if (present.length > 1) fail(path, `an AnyValue holds exactly one of ${VALUE_KEYS.join('/')}, got ${present.join(' and ')}`);
  if (present.length === 0) return;
  const [k] = present;
  const x = v[k];
  const p = `${path}.${k}`;
  if (k === 'stringValue') str(x, p);
  else if (k === 'boolValue' && typeof x !== 'boolean') fail(p, `expected a boolean, got ${show(x)}`);
  else if (k === 'intValue' && !((typeof x === 'string' && SIGNED.test(x)) || Number.isSafeInteger(x))) fail(p, `expected an int64 as a decimal string, got ${show(x)}`);
  else if (k === 'doubleValue' && typeof x !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(x)) fail(p, `expected a number, got ${show(x)}`);
  else if (k === 'arrayValue') {
    object(x, p);
    keys(x, p, ['values']);
    array(x.values, `${p}.values`).forEach((e, i) => anyValue(e, `${p}.values[${i}]`, depth + 1));
  } else if (k === 'kvlistValue') {
    object(x, p);
    keys(x, p, ['values']);
    attributes(x.values, `${p}.values`, depth + 1);
  } else if (k === 'bytesValue' && (typeof x !== 'string' || !/^[A-Za-z0-9+/_-]*=*$/.test(x))) fail(p, `expected base64, got ${show(x)}`);
}
function attributes(v, path, depth = 1) {
  array(v, path).forEach((kv, i) => {
    const p = `${path}[${i}]`;
    object(kv, p);
    keys(kv, p, ['key', 'value']);
    if (typeof kv.key !== 'string' || kv.key === '') fail(`${p}.key`, `expected a non-empty string, got ${show(kv.key)}`);
    if (kv.value !== undefined) anyValue(kv.value, `${p}.value`, depth);
  });
}

function span(s, path) {
  object(s, path);
  keys(s, path, ['traceId', 'spanId', 'traceState', 'parentSpanId', 'flags', 'name', 'kind', 'startTimeUnixNano', 'endTimeUnixNano', 'attributes', 'droppedAttributesCount', 'events', 'droppedEventsCount', 'links', 'droppedLinksCount', 'status']);
  id(s.traceId, `${path}.traceId`, HEX32, '32');
  id(s.spanId, `${path}.spanId`, HEX16, '16');
  id(s.parentSpanId, `${path}.parentSpanId`, HEX16, '16', true);
  str(s.traceState, `${path}.traceState`);
  count(s.flags, `${path}.flags`);
  if (typeof s.name !== 'string' || s.name === '') fail(`${path}.name`, `expected a non-empty string, got ${show(s.name)}`);
  if (s.kind !== undefined && !(Number.isInteger(s.kind) && s.kind >= 0 && s.kind <= 5)) fail(`${path}.kind`, `expected an integer 0-5 (SpanKind), got ${show(s.kind)}`);
  const start = nanos(s.startTimeUnixNano, `${path}.startTimeUnixNano`);
  const end = nanos(s.endTimeUnixNano, `${path}.endTimeUnixNano`);
  if (end < start) fail(`${path}.endTimeUnixNano`, `ends (${end}) before it starts (${start})`);
  attributes(s.attributes, `${path}.attributes`);
  count(s.droppedAttributesCount, `${path}.droppedAttributesCount`);
  array(s.events, `${path}.events`).forEach((e, i) => {
    const p = `${path}.events[${i}]`;
    object(e, p);
    keys(e, p, ['timeUnixNano', 'name', 'attributes', 'droppedAttributesCount']);
    nanos(e.timeUnixNano, `${p}.timeUnixNano`);
    str(e.name, `${p}.name`);
    attributes(e.attributes, `${p}.attributes`);
    count(e.droppedAttributesCount, `${p}.droppedAttributesCount`);
  });
  count(s.droppedEventsCount, `${path}.droppedEventsCount`);
  array(s.links, `${path}.links`).forEach((l, i) => {
    const p = `${path}.links[${i}]`;
    object(l, p);
    keys(l, p, ['traceId', 'spanId', 'traceState', 'attributes', 'droppedAttributesCount', 'flags']);
    id(l.traceId, `${p}.traceId`, HEX32, '32');
    id(l.spanId, `${p}.spanId`, HEX16, '16');
    str(l.traceState, `${p}.traceState`);
    attributes(l.attributes, `${p}.attributes`);
    count(l.droppedAttributesCount, `${p}.droppedAttributesCount`);
    count(l.flags, `${p}.flags`);
  });
  count(s.droppedLinksCount, `${path}.droppedLinksCount`);
  if (s.status !== undefined) {
    const p = `${path}.status`;
    object(s.status, p);
    keys(s.status, p, ['code', 'message']);
    if (s.status.code !== undefined && ![0, 1, 2].includes(s.status.code)) fail(`${p}.code`, `expected 0 (unset), 1 (ok) or 2 (error), got ${show(s.status.code)}`);
    str(s.status.message, `${p}.message`);
  }
}

/** Returns null when `body` is a valid ExportTraceServiceRequest, else a message naming the bad field. */
export function validateTraceRequest(body) {
  try {
    object(body, 'request');
    keys(body, 'request', ['resourceSpans']);
    if (!Array.isArray(body.resourceSpans)) fail('resourceSpans', `expected an array, got ${show(body.resourceSpans)}`);
    body.resourceSpans.forEach((rs, i) => {
      const p = `resourceSpans[${i}]`;
      object(rs, p);
      keys(rs, p, ['resource', 'scopeSpans', 'schemaUrl']);
      if (rs.resource !== undefined) {
        object(rs.resource, `${p}.resource`);
        keys(rs.resource, `${p}.resource`, ['attributes', 'droppedAttributesCount', 'entityRefs']);
        attributes(rs.resource.attributes, `${p}.resource.attributes`);
        count(rs.resource.droppedAttributesCount, `${p}.resource.droppedAttributesCount`);
      }
      str(rs.schemaUrl, `${p}.schemaUrl`);
      array(rs.scopeSpans, `${p}.scopeSpans`).forEach((ss, j) => {
        const q = `${p}.scopeSpans[${j}]`;
        object(ss, q);
        keys(ss, q, ['scope', 'spans', 'schemaUrl']);
        if (ss.scope !== undefined) {
          object(ss.scope, `${q}.scope`);
          keys(ss.scope, `${q}.scope`, ['name', 'version', 'attributes', 'droppedAttributesCount']);
          str(ss.scope.name, `${q}.scope.name`);
          str(ss.scope.version, `${q}.scope.version`);
          attributes(ss.scope.attributes, `${q}.scope.attributes`);
        }
        str(ss.schemaUrl, `${q}.schemaUrl`);
        array(ss.spans, `${q}.spans`).forEach((s, k) => span(s, `${q}.spans[${k}]`));
      });
    });
    return null;
  } catch (error) {
    if (error instanceof Invalid) return error.message;
    throw error;
  }
}

/** AnyValue to a plain JS value (int64 as a number when safe, else its string). */
export function decodeValue(v) {
  if (!v || typeof v !== 'object') return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : String(v.intValue);
  }
  if ('doubleValue' in v) return typeof v.doubleValue === 'number' ? v.doubleValue : Number(v.doubleValue);
  if ('arrayValue' in v) return (v.arrayValue.values ?? []).map(decodeValue);
  if ('kvlistValue' in v) return decodeAttributes(v.kvlistValue.values);
  if ('bytesValue' in v) return v.bytesValue;
  return null;
}

/**
 * Attributes as a plain object. Keys are defined as own properties, so a key
 * such as `__proto__` is kept as data instead of changing the object's prototype.
 */
export function decodeAttributes(list) {
  const out = {};
  for (const kv of list ?? []) {
    if (kv.key === '__proto__') Object.defineProperty(out, kv.key, { value: decodeValue(kv.value), enumerable: true, writable: true, configurable: true });
    else out[kv.key] = decodeValue(kv.value);
  }
  return out;
}
