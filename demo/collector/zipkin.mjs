// Zipkin v2 JSON (POST /api/v2/spans, the `Span` list of
// https://github.com/openzipkin/zipkin-api/blob/master/zipkin2-api.yaml) read
// strictly and turned into an OTLP ExportTraceServiceRequest, so Zipkin spans
// land in the same store, viewer and printed trees as OTLP ones. The mapping
// is the OpenTelemetry specification's, read backwards
// (https://opentelemetry.io/docs/specs/otel/trace/sdk_exporters/zipkin/):
// kind by name (none = INTERNAL), microseconds to nanoseconds, tags to string
// attributes, `otel.status_code` / `error` to the status, `otel.scope.*` to
// the scope, `otel.dropped_*_count` to the dropped counts, annotations to
// events, and remoteEndpoint to peer.service ("Zipkin -> OTLP": "unless there
// is a peer.service tag defined explicitly") and network.peer.address / port.

const HEX = /^[0-9a-f]+$/;
const KINDS = { SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 };
const SPAN_KEYS = ['traceId', 'name', 'parentId', 'id', 'kind', 'timestamp', 'duration', 'debug', 'shared', 'localEndpoint', 'remoteEndpoint', 'annotations', 'tags'];
const ENDPOINT_KEYS = ['serviceName', 'ipv4', 'ipv6', 'port'];
const DROPPED = { 'otel.dropped_attributes_count': 'droppedAttributesCount', 'otel.dropped_events_count': 'droppedEventsCount', 'otel.dropped_links_count': 'droppedLinksCount' };

class Invalid extends Error {}
const fail = (path, message) => {
  throw new Invalid(`${path}: ${message}`);
};
const show = (v) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v) : JSON.stringify(v) ?? String(v));
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function object(v, path, allowed) {
  if (!isObject(v)) fail(path, `expected an object, got ${show(v)}`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`${path}.${k}`, `unknown field (expected one of ${allowed.join(', ')})`);
  return v;
}
function id(v, path, lengths) {
  if (typeof v !== 'string' || !lengths.includes(v.length) || !HEX.test(v)) fail(path, `expected ${lengths.join(' or ')} lower-case hex characters, got ${show(v)}`);
  if (/^0+$/.test(v)) fail(path, 'must not be all zeros');
  return v;
}
function micros(v, path, min) {
  if (!Number.isSafeInteger(v) || v < min) fail(path, `expected whole microseconds >= ${min}, got ${show(v)}`);
  return v;
}
function str(v, path) {
  if (v !== undefined && typeof v !== 'string') fail(path, `expected a string, got ${show(v)}`);
  return v;
}
const nanos = (us) => (us === 0 ? '0' : `${us}000`);
const stringValue = (key, value) => ({ key, value: { stringValue: value } });

function endpoint(v, path) {
  if (v === undefined) return undefined;
  object(v, path, ENDPOINT_KEYS);
  for (const k of ['serviceName', 'ipv4', 'ipv6']) str(v[k], `${path}.${k}`);
  if (v.port !== undefined && !(Number.isInteger(v.port) && v.port >= 0 && v.port <= 65535)) fail(`${path}.port`, `expected a port number, got ${show(v.port)}`);
  return v;
}

/** An annotation back into an event: `"name":{attributes}` as tracelet's exporter writes it, else the value is the name. */
function event(a, path) {
  object(a, path, ['timestamp', 'value']);
  micros(a.timestamp, `${path}.timestamp`, 0);
  if (typeof a.value !== 'string') fail(`${path}.value`, `expected a string, got ${show(a.value)}`);
  const out = { timeUnixNano: nanos(a.timestamp), name: a.value, attributes: [] };
  const m = /^("(?:[^"\\]|\\.)*"):(\{.*\})$/s.exec(a.value);
  if (m) {
    try {
      const name = JSON.parse(m[1]);
      const attributes = JSON.parse(m[2]);
      out.name = name;
      out.attributes = Object.entries(attributes).map(([key, value]) => stringValue(key, typeof value === 'string' ? value : JSON.stringify(value)));
    } catch {
      // not that form: the value is the name
    }
  }
  return out;
}

function toOtlpSpan(s, path) {
  object(s, path, SPAN_KEYS);
  const traceId = id(s.traceId, `${path}.traceId`, [16, 32]);
  id(s.id, `${path}.id`, [16]);
  if (s.parentId !== undefined) id(s.parentId, `${path}.parentId`, [16]);
  str(s.name, `${path}.name`);
  if (s.kind !== undefined && !(s.kind in KINDS)) fail(`${path}.kind`, `expected one of ${Object.keys(KINDS).join(', ')}, got ${show(s.kind)}`);
  // The store orders and measures spans by their times: a span without a timestamp (allowed by Zipkin for late parts) is refused.
  const start = micros(s.timestamp, `${path}.timestamp`, 1);
  const duration = s.duration === undefined ? 0 : micros(s.duration, `${path}.duration`, 1);
  for (const k of ['debug', 'shared']) if (s[k] !== undefined && typeof s[k] !== 'boolean') fail(`${path}.${k}`, `expected a boolean, got ${show(s[k])}`);
  const local = endpoint(s.localEndpoint, `${path}.localEndpoint`);
  const remote = endpoint(s.remoteEndpoint, `${path}.remoteEndpoint`);
  const tags = s.tags ?? {};
  if (!isObject(tags)) fail(`${path}.tags`, `expected an object of strings, got ${show(tags)}`);
  for (const [k, v] of Object.entries(tags)) if (typeof v !== 'string') fail(`${path}.tags.${k}`, `expected a string, got ${show(v)}`);
  const annotations = s.annotations ?? [];
  if (!Array.isArray(annotations)) fail(`${path}.annotations`, `expected an array, got ${show(annotations)}`);

  const span = {
    // A 64-bit Zipkin trace id is the low half of a 128-bit one.
    traceId: traceId.padStart(32, '0'),
    spanId: s.id,
    parentSpanId: s.parentId,
    name: s.name || 'unknown',
    kind: KINDS[s.kind] ?? 1,
    startTimeUnixNano: nanos(start),
    endTimeUnixNano: nanos(start + duration),
    attributes: [],
    events: annotations.map((a, i) => event(a, `${path}.annotations[${i}]`)),
    status: { code: 0 },
  };
  const scope = { name: '' };
  for (const [key, value] of Object.entries(tags)) {
    if (key === 'otel.status_code' || key === 'error') continue;
    if (key === 'otel.scope.name') scope.name = value;
    else if (key === 'otel.scope.version') scope.version = value;
    else if (key in DROPPED && /^\d+$/.test(value)) span[DROPPED[key]] = Number(value);
    else span.attributes.push(stringValue(key, value));
  }
  // Zipkin reads any `error` tag as a failure; its value is the description.
  if ('error' in tags || tags['otel.status_code'] === 'ERROR') span.status = tags.error ? { code: 2, message: tags.error } : { code: 2 };
  else if (tags['otel.status_code'] === 'OK') span.status.code = 1;
  if (remote) {
    if (remote.serviceName && !('peer.service' in tags)) span.attributes.push(stringValue('peer.service', remote.serviceName));
    const address = remote.ipv4 || remote.ipv6;
    if (address && !('network.peer.address' in tags)) span.attributes.push(stringValue('network.peer.address', address));
    if (remote.port && !('network.peer.port' in tags)) span.attributes.push({ key: 'network.peer.port', value: { intValue: String(remote.port) } });
  }
  return { span, serviceName: local?.serviceName || 'unknown_service', scope };
}

/**
 * A Zipkin v2 span list as an OTLP ExportTraceServiceRequest, grouped by
 * service (the resource) and scope. Throws nothing: `{ problem }` names the
 * bad field for a 400.
 */
export function zipkinToOtlp(body) {
  try {
    if (!Array.isArray(body)) fail('request', `expected a JSON list of Zipkin v2 spans, got ${show(body)}`);
    const resources = new Map();
    body.forEach((s, i) => {
      const { span, serviceName, scope } = toOtlpSpan(s, `spans[${i}]`);
      let scopes = resources.get(serviceName);
      if (!scopes) resources.set(serviceName, (scopes = new Map()));
      const scopeKey = `${scope.name}@${scope.version ?? ''}`;
      let group = scopes.get(scopeKey);
      if (!group) scopes.set(scopeKey, (group = { scope, spans: [] }));
      group.spans.push(span);
    });
    const resourceSpans = [...resources].map(([serviceName, scopes]) => ({
      resource: { attributes: [stringValue('service.name', serviceName)] },
      scopeSpans: [...scopes.values()],
    }));
    return { request: { resourceSpans } };
  } catch (error) {
    if (error instanceof Invalid) return { problem: error.message };
    throw error;
  }
}
