import { createContextKey, type Context } from './context.js';
import { isValidSpanId, isValidTraceId } from './ids.js';
import { NonRecordingSpan } from './span.js';
import type { Span, SpanContext } from './types.js';

/**
 * The key `@opentelemetry/api` itself uses for the active span (its
 * `createContextKey` is `Symbol.for` too): a span made active by either API is
 * the active span of the other, with no translation (tracelet/otel-api relies
 * on it), and copies of tracelet of any version agree.
 * https://github.com/open-telemetry/opentelemetry-js/blob/main/api/src/trace/context-utils.ts
 */
const SPAN_KEY = createContextKey('OpenTelemetry Context Key SPAN');

/** The span stored in `context`, if any. */
export function getSpan(context: Context): Span | undefined {
  return (context.getValue(SPAN_KEY) as Span | undefined) ?? undefined;
}

/** A new context with `span` as its active span. */
export function setSpan(context: Context, span: Span): Context {
  return context.setValue(SPAN_KEY, span);
}

export function deleteSpan(context: Context): Context {
  return context.deleteValue(SPAN_KEY);
}

/** A new context whose active span is a non-recording span carrying `spanContext` (e.g. one extracted from headers). */
export function setSpanContext(context: Context, spanContext: SpanContext): Context {
  return setSpan(context, new NonRecordingSpan(spanContext));
}

export function getSpanContext(context: Context): SpanContext | undefined {
  return getSpan(context)?.spanContext();
}

export function isSpanContextValid(spanContext: SpanContext | undefined): spanContext is SpanContext {
  return !!spanContext && isValidTraceId(spanContext.traceId) && isValidSpanId(spanContext.spanId);
}

/** Wrap a span context as a span (`trace.wrapSpanContext` in `@opentelemetry/api`). */
export function wrapSpanContext(spanContext: SpanContext): Span {
  return new NonRecordingSpan(spanContext);
}
