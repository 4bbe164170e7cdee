/**
 * The injecting half of W3C Trace Context Level 2 (https://www.w3.org/TR/trace-context-2/),
 * on its own so a browser bundle, which only ever injects, does not carry the
 * extractor and the tracestate parser.
 */
import { isTracingSuppressed, type Context } from '../core/context.js';
import { getSpanContext, isSpanContextValid } from '../core/span-in-context.js';
import { TraceFlags, type SpanContext, type TraceState } from '../core/types.js';
import { BAGGAGE_HEADER, injectBaggage } from './baggage.js';
import { defaultSetter, writeHeader, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from './carrier.js';
import { trimOws } from './ows.js';

export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

/** The flag bits this version of the spec defines: sampled (0x01) and random-trace-id (0x02). */
export const KNOWN_FLAGS = TraceFlags.SAMPLED | TraceFlags.RANDOM;

// One tracestate list-member (https://www.w3.org/TR/trace-context-2/#key and #value):
// key = ( lcalpha / DIGIT ) 0*255 ( lcalpha / DIGIT / "_" / "-" / "*" / "/" / "@" ), "=",
// then a value of printable ASCII without "," and "=", not ending in a space.
const MEMBER = /^[a-z0-9][a-z0-9_\-*/@]{0,255}=[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * Formats a span context as a version-00 `traceparent`. We write the highest
 * version we know (https://www.w3.org/TR/trace-context-2/#versioning-of-traceparent)
 * and only the flag bits it defines.
 *
 * @example
 * formatTraceparent({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 3 });
 * // '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03'
 */
export function formatTraceparent(spanContext: Pick<SpanContext, 'traceId' | 'spanId' | 'traceFlags'>): string {
  const flags = (Number(spanContext.traceFlags) & KNOWN_FLAGS).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/**
 * Injects `traceparent` and `tracestate` and extracts nothing (`extract`
 * returns the context unchanged): the default of `startBrowserTracing`. The
 * tracestate sent holds only grammatical members, at most 32 and 512 characters.
 */
export class TraceContextInjector implements TextMapPropagator {
  /** The tracestate header value for `traceState` ('' for none). */
  protected tracestate(traceState: TraceState | undefined): string {
    const raw = traceState?.serialize();
    if (typeof raw !== 'string') return '';
    const members = raw
      .split(',')
      .map(trimOws)
      .filter((m) => MEMBER.test(m))
      .slice(0, 32);
    const value = members.join(',');
    // "If the tracestate value has more than 512 characters, the vendor MAY discard" (section 3.3.1.5).
    return value.length <= 512 ? value : '';
  }

  /**
   * Writes `traceparent` (and `tracestate` when it has members) for the
   * context's span. Nothing is written when the span context is invalid or
   * tracing is suppressed (tracelet's own export requests). Never throws.
   */
  inject<C>(context: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter): void {
    try {
      if (isTracingSuppressed(context)) return;
      const spanContext = getSpanContext(context);
      if (!isSpanContextValid(spanContext)) return;
      writeHeader(setter, carrier, TRACEPARENT_HEADER, formatTraceparent(spanContext));
      // "Vendors MUST accept empty tracestate headers but SHOULD avoid sending them."
      // https://www.w3.org/TR/trace-context-2/#tracestate-header-field-values
      const traceState = this.tracestate(spanContext.traceState);
      if (traceState) writeHeader(setter, carrier, TRACESTATE_HEADER, traceState);
    } catch {
      // Injection is best effort; the caller's request goes out regardless.
    }
  }

  extract<C>(context: Context, _carrier?: C, _getter?: TextMapGetter<C>): Context {
    return context;
  }

  fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER];
  }
}

/**
 * W3C Trace Context and W3C Baggage (https://www.w3.org/TR/baggage/) out,
 * nothing in: the default of `startBrowserTracing`, matching the
 * `tracecontext,baggage` default elsewhere without bundling either parser.
 */
export class W3CInjector extends TraceContextInjector {
  override inject<C>(context: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter): void {
    super.inject(context, carrier, setter);
    injectBaggage(context, carrier, setter);
  }

  override fields(): string[] {
    return [TRACEPARENT_HEADER, TRACESTATE_HEADER, BAGGAGE_HEADER];
  }
}
