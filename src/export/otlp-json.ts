import { toUnixNanoString } from '../core/clock.js';
import type { AttributeValue, Attributes, ReadableSpan, Resource, SpanContext } from '../core/types.js';

/**
 * OTLP/HTTP JSON encoding of spans (opentelemetry-proto
 * `ExportTraceServiceRequest`, JSON mapping per
 * https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase keys, trace and span ids as hex (not base64), enums as
 * integers, 64-bit integers as decimal strings.
 */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  arrayValue?: { values: OtlpAnyValue[] };
}
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

// 2^63: integers at or beyond it do not fit int64 and are sent as doubles.
const INT64_LIMIT = 9223372036854775808;

function encodeValue(value: unknown): OtlpAnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      if (Number.isInteger(value) && Math.abs(value) < INT64_LIMIT) return { intValue: String(value) };
      // proto3 JSON writes non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
      return { doubleValue: Number.isFinite(value) ? value : String(value) };
    default:
      if (Array.isArray(value)) return { arrayValue: { values: value.map(encodeValue) } };
      // null and undefined array entries become the empty AnyValue, as the proto allows.
      return {};
  }
}

export function encodeAttributes(attributes: Attributes): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out.push({ key, value: encodeValue(value as AttributeValue) });
  }
  return out;
}

// OTLP Span.flags (trace.proto SpanFlags): low 8 bits are the W3C trace
// flags; bit 8 (0x100) says whether bit 9 (0x200: the parent / link target is
// remote) is known.
const flags = (context: SpanContext, remote: boolean | undefined): number => (context.traceFlags & 0xff) | (remote ? 0x300 : 0x100);

// Keys whose value is undefined are left out by JSON.stringify: optional
// fields (traceState, parentSpanId, status message, scope version, schemaUrl)
// appear only when set.
function encodeSpan(span: ReadableSpan): Record<string, unknown> {
  const context = span.spanContext();
  const status = span.status;
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    traceState: context.traceState?.serialize() || undefined,
    parentSpanId: span.parentSpanId || undefined,
    flags: flags(context, span.parentIsRemote),
    name: span.name,
    // SpanKind in the proto is the API kind + 1 (0 is SPAN_KIND_UNSPECIFIED).
    kind: span.kind + 1,
    startTimeUnixNano: toUnixNanoString(span.startTime),
    endTimeUnixNano: toUnixNanoString(span.endTime),
    attributes: encodeAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((e) => ({
      timeUnixNano: toUnixNanoString(e.time),
      name: e.name,
      attributes: encodeAttributes(e.attributes),
      droppedAttributesCount: e.droppedAttributesCount,
    })),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      traceState: l.context.traceState?.serialize() || undefined,
      attributes: encodeAttributes(l.attributes),
      droppedAttributesCount: l.droppedAttributesCount,
      flags: flags(l.context, l.context.isRemote),
    })),
    droppedLinksCount: span.droppedLinksCount,
    status: { code: status.code, message: status.message || undefined },
  };
}

interface ScopeSpans {
  scope: { name: string; version?: string };
  spans: unknown[];
}

/** Groups spans by resource, then by instrumentation scope, as `resourceSpans[].scopeSpans[].spans[]`. */
export function toOtlpRequest(spans: readonly ReadableSpan[]): { resourceSpans: unknown[] } {
  const resourceSpans: unknown[] = [];
  const byResource = new Map<Resource, ScopeSpans[]>();
  for (const span of spans) {
    const resource = span.resource;
    let scopeSpans = byResource.get(resource);
    if (!scopeSpans) {
      byResource.set(resource, (scopeSpans = []));
      resourceSpans.push({
        resource: { attributes: encodeAttributes(resource.attributes), droppedAttributesCount: 0 },
        scopeSpans,
        schemaUrl: resource.schemaUrl || undefined,
      });
    }
    const name = span.scope.name;
    const version = span.scope.version || undefined;
    let group = scopeSpans.find((g) => g.scope.name === name && g.scope.version === version);
    if (!group) scopeSpans.push((group = { scope: { name, version }, spans: [] }));
    group.spans.push(encodeSpan(span));
  }
  return { resourceSpans };
}

/**
 * The request body for `POST /v1/traces`. Building objects and calling the
 * native JSON.stringify measured faster here than writing the string by hand
 * (4.0 ms vs 4.9 ms for 512 spans), so there is one code path.
 */
export function encodeOtlpJson(spans: readonly ReadableSpan[]): string {
  return toJson(toOtlpRequest(spans));
}

/**
 * `JSON.stringify` of plain data, blind to a `toJSON` a page put on
 * Array.prototype or Object.prototype (Prototype.js 1.6 turns every array into
 * a string, which the collector rejects): the replacer hands back each raw
 * value. Used only on such a page, as a replacer costs time.
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(
    value,
    ([] as { toJSON?: unknown }).toJSON || ({} as { toJSON?: unknown }).toJSON
      ? function (this: Record<string, unknown>, key: string) {
          return this[key];
        }
      : undefined,
  );
