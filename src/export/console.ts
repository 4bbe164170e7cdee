import { toUnixNanoString } from '../core/clock.js';
import type { AttributeValue, Attributes, ReadableSpan, SpanContext, SpanExporter } from '../core/types.js';

const KIND = ['SpanKind.INTERNAL', 'SpanKind.SERVER', 'SpanKind.CLIENT', 'SpanKind.PRODUCER', 'SpanKind.CONSUMER'];
const STATUS = ['UNSET', 'OK', 'ERROR'];

/** Epoch ms to ISO 8601 with microseconds and a `Z`, as Python's exporter prints. */
function isoMicros(ms: number): string {
  // Round exactly as the OTLP encoding does, so both outputs agree to the microsecond.
  const nanos = toUnixNanoString(ms);
  const iso = new Date(Number(nanos.slice(0, -6))).toISOString(); // 2020-05-07T14:39:52.906Z
  return iso.slice(0, 23) + nanos.slice(-6, -3) + 'Z';
}

/** Python's repr() of a str: single quotes, or double ones for text with a ' and no ". */
function pythonRepr(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\');
  return escaped.includes("'") && !escaped.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
}

/**
 * repr() of Python's TraceState: `str()` of a list of "{key=k, value=v}"
 * strings (opentelemetry-python, opentelemetry-api/src/opentelemetry/trace/span.py,
 * `TraceState.__repr__`). A tracestate value has no "," or "=".
 */
function traceStateList(context: SpanContext): string {
  const serialized = context.traceState?.serialize() ?? '';
  if (!serialized) return '[]';
  const members = serialized.split(',').map((member) => {
    const eq = member.indexOf('=');
    return pythonRepr(`{key=${member.slice(0, eq)}, value=${member.slice(eq + 1)}}`);
  });
  return '[' + members.join(', ') + ']';
}

function plainAttributes(attributes: Attributes): Record<string, AttributeValue | undefined> {
  return { ...attributes };
}

/**
 * The span as OpenTelemetry Python's `ConsoleSpanExporter` prints it
 * (`ReadableSpan.to_json()`), so output from the getting-started guide reads
 * the same here.
 */
export function spanToConsoleJson(span: ReadableSpan): Record<string, unknown> {
  const context = span.spanContext();
  const status: Record<string, unknown> = { status_code: STATUS[span.status.code] };
  if (span.status.message) status.description = span.status.message;
  return {
    name: span.name,
    context: {
      trace_id: '0x' + context.traceId,
      span_id: '0x' + context.spanId,
      trace_state: traceStateList(context),
    },
    kind: KIND[span.kind],
    parent_id: span.parentSpanId ? '0x' + span.parentSpanId : null,
    start_time: isoMicros(span.startTime),
    end_time: isoMicros(span.endTime),
    status,
    attributes: plainAttributes(span.attributes),
    events: span.events.map((e) => ({ name: e.name, timestamp: isoMicros(e.time), attributes: plainAttributes(e.attributes) })),
    links: span.links.map((l) => ({
      context: { trace_id: '0x' + l.context.traceId, span_id: '0x' + l.context.spanId, trace_state: traceStateList(l.context) },
      attributes: plainAttributes(l.attributes),
    })),
    resource: { attributes: plainAttributes(span.resource.attributes), schema_url: span.resource.schemaUrl ?? '' },
  };
}

/**
 * Prints each finished span as indented JSON (Python `ConsoleSpanExporter`).
 *
 * @example
 * const tracing = createTracing({ serviceName: 'demo', exporter: 'console', batch: false });
 */
export function consoleExporter(write: (text: string) => void = (text) => console.log(text)): SpanExporter {
  return {
    export(spans) {
      for (const span of spans) write(JSON.stringify(spanToConsoleJson(span), null, 4));
    },
  };
}
