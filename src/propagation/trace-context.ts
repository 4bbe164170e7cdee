/**
 * W3C Trace Context Level 2: the `traceparent` and `tracestate` headers.
 * https://www.w3.org/TR/trace-context-2/
 */
import type { Context } from '../core/context.js';
import { setSpanContext } from '../core/span-in-context.js';
import type { SpanContext, TraceState } from '../core/types.js';
import { defaultGetter, readHeader, readSingleHeader, type TextMapGetter, type TextMapPropagator } from './carrier.js';
import { parseTraceparent, type Traceparent } from './traceparent.js';
import { W3CTraceState, parseTraceState } from './trace-state.js';
import { TRACEPARENT_HEADER, TRACESTATE_HEADER, TraceContextInjector, formatTraceparent } from './trace-context-inject.js';

export { TRACEPARENT_HEADER, TRACESTATE_HEADER, formatTraceparent, parseTraceparent, type Traceparent };
/**
 * Propagates W3C Trace Context Level 2 (`traceparent`, `tracestate`).
 *
 * @example
 * const propagator = new W3CTraceContextPropagator();
 * const parent = propagator.extract(ROOT_CONTEXT, request.headers);
 * propagator.inject(setSpan(parent, span), outgoingHeaders);
 */
export class W3CTraceContextPropagator extends TraceContextInjector implements TextMapPropagator {
  /**
   * Our own `W3CTraceState` is valid by construction; any other implementation
   * (an OpenTelemetry one, a user's) is re-parsed so only grammatical, unique
   * members, at most 32 and 512 characters, leave.
   */
  protected override tracestate(traceState: TraceState | undefined): string {
    if (!traceState) return '';
    if (traceState instanceof W3CTraceState) return traceState.serialize();
    const raw = traceState.serialize();
    return typeof raw === 'string' ? parseTraceState(raw).serialize() : '';
  }

  /**
   * Returns `context` with the remote span context from the headers. An
   * invalid or missing `traceparent` returns `context` unchanged (a new trace
   * starts) and `tracestate` is then not read: "If the vendor failed to parse
   * traceparent, it MUST NOT attempt to parse tracestate"
   * (https://www.w3.org/TR/trace-context-2/#tracestate-header). Never throws.
   */
  override extract<C>(context: Context, carrier: C, getter: TextMapGetter<C> = defaultGetter): Context {
    try {
      // Several traceparent values (an array, or fetch's ", " join) cannot be one
      // valid value, so the trace restarts.
      const parsed = parseTraceparent(readSingleHeader(getter, carrier, TRACEPARENT_HEADER));
      if (!parsed) return context;
      const spanContext: SpanContext = {
        traceId: parsed.traceId,
        spanId: parsed.spanId,
        traceFlags: parsed.traceFlags,
        isRemote: true,
      };
      const traceState = parseTraceState(readHeader(getter, carrier, TRACESTATE_HEADER));
      if (traceState.size > 0) spanContext.traceState = traceState;
      return setSpanContext(context, spanContext);
    } catch {
      return context;
    }
  }
}
