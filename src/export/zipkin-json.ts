import { toUnixNanoString } from '../core/clock.js';
import { SpanKind, SpanStatusCode, type AttributeValue, type Attributes, type ReadableSpan } from '../core/types.js';
import { toJson } from './otlp-json.js';

/**
 * Spans as Zipkin v2 JSON (`POST /api/v2/spans`, the `Span` of
 * https://github.com/openzipkin/zipkin-api/blob/master/zipkin2-api.yaml),
 * mapped as the OpenTelemetry specification says
 * (https://opentelemetry.io/docs/specs/otel/trace/sdk_exporters/zipkin/, cited
 * below by section as "spec, <section>"), with the generic rules for non-OTLP
 * formats (https://opentelemetry.io/docs/specs/otel/common/mapping-to-non-otlp/,
 * "non-OTLP, <section>").
 */
export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface ZipkinAnnotation {
  /** Epoch microseconds. */
  timestamp: number;
  value: string;
}

export interface ZipkinSpan {
  traceId: string;
  parentId?: string;
  id: string;
  kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  name: string;
  /** Epoch microseconds. */
  timestamp: number;
  /** Microseconds, at least 1. */
  duration: number;
  localEndpoint: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  tags: Record<string, string>;
  shared?: true;
}

// spec, "SpanKind": INTERNAL has no Zipkin kind and is left out. Indexed by the API's SpanKind.
const KINDS = [undefined, 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;

/**
 * Epoch microseconds as a whole number (spec, "Unit of Time"). tracelet's
 * times are whole microseconds (core/clock.ts), so this is exact: the
 * microsecond digits of the OTLP nanosecond string.
 */
const micros = (ms: number): number => Number(toUnixNanoString(ms).slice(0, -3)) || 0;

/**
 * A tag value (spec, "Attribute"): primitives as strings ("true"/"false" in
 * lower case, numbers as JavaScript writes them, which is the en-US form),
 * arrays as a JSON list.
 */
const tagValue = (value: AttributeValue): string => (Array.isArray(value) ? toJson(value) : String(value));

function addTags(tags: Record<string, string>, attributes: Attributes): void {
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) tags[key] = tagValue(value);
  }
}

// spec, "Remote endpoint": the attributes that name the peer of a CLIENT or
// PRODUCER span, by rank, each with the port attribute that goes with it.
// server.port goes with server.address as network.peer.port with
// network.peer.address (the semantic conventions pair them the same way).
const REMOTE: readonly (readonly [string, string?])[] = [
  ['peer.service'],
  ['server.address', 'server.port'],
  ['net.peer.name'],
  ['network.peer.address', 'network.peer.port'],
  ['server.socket.domain'],
  ['server.socket.address', 'server.socket.port'],
  ['net.sock.peer.name'],
  ['net.sock.peer.addr', 'net.sock.peer.port'],
  ['peer.hostname'],
  ['peer.address'],
  ['db.name'],
];

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/**
 * The Zipkin endpoint for the highest-ranked peer attribute present: an IP
 * literal fills `ipv4` / `ipv6` (zipkin2-api.yaml `Endpoint`), any other name
 * `serviceName`; a valid port attribute beside it fills `port`.
 */
function remoteEndpoint(attributes: Attributes): ZipkinEndpoint | undefined {
  for (const [key, portKey] of REMOTE) {
    const value = attributes[key];
    if (typeof value !== 'string' || !value) continue;
    const endpoint: ZipkinEndpoint = {};
    const address = value.replace(/^\[(.*)\]$/, '$1');
    if (IPV4.test(address) && address.split('.').every((octet) => Number(octet) < 256)) endpoint.ipv4 = address;
    // An IPv6 text form has at least two colons (RFC 4291 §2.2: eight groups, or `::`); `db:5432` is a name and a port.
    else if (address.split(':').length > 2 && /^[\da-f:.]+$/i.test(address)) endpoint.ipv6 = address;
    else endpoint.serviceName = value;
    const port = portKey ? Number(attributes[portKey]) : NaN;
    if (Number.isInteger(port) && port > 0 && port < 65536) endpoint.port = port;
    return endpoint;
  }
  return undefined;
}

/**
 * An event as an annotation (spec, "Events"): its name, and when it has
 * attributes, `"name":{...attributes as JSON}` as the spec's example shows.
 */
function annotationValue(name: string, attributes: Attributes): string {
  return Object.keys(attributes).length ? toJson(name) + ':' + toJson(attributes) : name;
}

/** One span in Zipkin v2 form. */
export function toZipkinSpan(span: ReadableSpan): ZipkinSpan {
  const context = span.spanContext();
  const { attributes, status, scope } = span;
  const resource = span.resource.attributes;
  const tags: Record<string, string> = {};
  // Resource attributes first, so a span attribute of the same name wins; the
  // tags the spec defines come last and win over both.
  addTags(tags, resource);
  addTags(tags, attributes);
  // non-OTLP, "Instrumentation Scope".
  if (scope.name) tags['otel.scope.name'] = scope.name;
  if (scope.version) tags['otel.scope.version'] = scope.version;
  // spec, "Status": nothing for UNSET; the code's name, and for ERROR the
  // description in `error` (an empty string without one). A boolean `error`
  // attribute that says there is none "SHOULD be removed": Zipkin reads any
  // `error` tag as a failure.
  if (status.code === SpanStatusCode.ERROR) {
    tags['otel.status_code'] = 'ERROR';
    tags.error = status.message ?? '';
  } else {
    if (status.code === SpanStatusCode.OK) tags['otel.status_code'] = 'OK';
    if (tags.error === 'false') delete tags.error;
  }
  // non-OTLP, "Dropped Attributes Count" / "Dropped Events Count" / "Dropped Links Count": only when not zero.
  if (span.droppedAttributesCount) tags['otel.dropped_attributes_count'] = String(span.droppedAttributesCount);
  if (span.droppedEventsCount) tags['otel.dropped_events_count'] = String(span.droppedEventsCount);
  if (span.droppedLinksCount) tags['otel.dropped_links_count'] = String(span.droppedLinksCount);

  const kind = KINDS[span.kind];
  const timestamp = micros(span.startTime);
  // "Request Payload": fields with nothing to say are left out (undefined keys are not written by JSON.stringify).
  return {
    traceId: context.traceId,
    parentId: span.parentSpanId || undefined,
    id: context.spanId,
    kind,
    name: span.name,
    timestamp,
    // zipkin2-api.yaml `duration`: "Durations of less than one are rounded up" (a zero-length span is 1 µs).
    duration: Math.max(1, micros(span.endTime) - timestamp),
    // spec, "Service name": the resource's service.name (tracelet's resource always has one).
    localEndpoint: { serviceName: String(resource['service.name'] ?? 'unknown_service') },
    remoteEndpoint: kind === 'CLIENT' || kind === 'PRODUCER' ? remoteEndpoint(attributes) : undefined,
    annotations: span.events.length ? span.events.map((e) => ({ timestamp: micros(e.time), value: annotationValue(e.name, e.attributes) })) : undefined,
    tags,
    // zipkin2-api.yaml `shared`: "True if we are contributing to a span started by another tracer
    // (ex on a different host)": a SERVER span that continues a caller's (remote) context.
    shared: span.kind === SpanKind.SERVER && span.parentIsRemote ? true : undefined,
  };
}

/** The request body for `POST /api/v2/spans`: a JSON list of spans. */
export function encodeZipkinJson(spans: readonly ReadableSpan[]): string {
  return toJson(spans.map(toZipkinSpan));
}
