/**
 * B3 propagation (https://github.com/openzipkin/b3-propagation), for Zipkin
 * and older meshes: the single `b3` header and the multi `X-B3-*` headers.
 */
import { createContextKey, isTracingSuppressed, type Context } from '../core/context.js';
import { isValidSpanId, isValidTraceId } from '../core/ids.js';
import { getSpanContext, isSpanContextValid, setSpanContext } from '../core/span-in-context.js';
import { TraceFlags } from '../core/types.js';
import { defaultGetter, defaultSetter, readSingleHeader, writeHeader, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from './carrier.js';
import { trimOws } from './ows.js';

export const B3_SINGLE = 'b3';
export const B3_TRACE_ID = 'X-B3-TraceId';
export const B3_SPAN_ID = 'X-B3-SpanId';
export const B3_SAMPLED = 'X-B3-Sampled';
export const B3_FLAGS = 'X-B3-Flags';
export const B3_PARENT_SPAN_ID = 'X-B3-ParentSpanId';

/** Set on a context extracted with the debug flag, so inject sends it on. */
const B3_DEBUG_KEY = createContextKey('tracelet.b3.debug');

const HEX16 = /^[0-9a-f]{16}$/;
const HEX32 = /^[0-9a-f]{32}$/;

/** A 64-bit trace id is left-padded to 128 bits (https://github.com/openzipkin/b3-propagation#traceid-1). */
function traceIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const id = HEX16.test(value) ? '0000000000000000' + value : value;
  return HEX32.test(id) && isValidTraceId(id) ? id : undefined;
}

/** `1`/`true` sampled, `0`/`false` not, `d` debug (implies sampled); undefined = defer. */
function samplingOf(value: string | undefined): { sampled?: boolean; debug?: boolean } {
  switch (value) {
    case '1':
    case 'true':
      return { sampled: true };
    case '0':
    case 'false':
      return { sampled: false };
    case 'd':
      return { sampled: true, debug: true };
    default:
      return {};
  }
}

function withRemote(context: Context, traceId: string, spanId: string, sampled: boolean | undefined, debug: boolean | undefined): Context {
  const ctx = setSpanContext(context, { traceId, spanId, traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true });
  return debug ? ctx.setValue(B3_DEBUG_KEY, true) : ctx;
}

export interface B3PropagatorOptions {
  /** Which headers `inject` writes (default `'single'`); extract reads both. */
  injectEncoding?: 'single' | 'multi';
}

/**
 * The injecting half of B3, on its own so a browser bundle (which only ever
 * injects) does not carry the extractor. `extract` returns the context unchanged.
 *
 * @example
 * new B3Injector({ injectEncoding: 'multi' }).inject(ctx, headers);
 */
export class B3Injector implements TextMapPropagator {
  readonly #multi: boolean;

  constructor(options: B3PropagatorOptions = {}) {
    this.#multi = options.injectEncoding === 'multi';
  }

  inject<C>(context: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter): void {
    try {
      if (isTracingSuppressed(context)) return;
      const sc = getSpanContext(context);
      if (!isSpanContextValid(sc)) return;
      const debug = context.getValue(B3_DEBUG_KEY) === true;
      const sampled = sc.traceFlags & TraceFlags.SAMPLED ? '1' : '0';
      if (this.#multi) {
        writeHeader(setter, carrier, B3_TRACE_ID, sc.traceId);
        writeHeader(setter, carrier, B3_SPAN_ID, sc.spanId);
        // "Debug implies an accept decision, so don't also send the X-B3-Sampled header."
        if (debug) writeHeader(setter, carrier, B3_FLAGS, '1');
        else writeHeader(setter, carrier, B3_SAMPLED, sampled);
      } else {
        writeHeader(setter, carrier, B3_SINGLE, `${sc.traceId}-${sc.spanId}-${debug ? 'd' : sampled}`);
      }
    } catch {
      // best effort
    }
  }

  extract<C>(context: Context, _carrier?: C, _getter?: TextMapGetter<C>): Context {
    return context;
  }

  fields(): string[] {
    return this.#multi ? [B3_TRACE_ID, B3_SPAN_ID, B3_SAMPLED, B3_FLAGS] : [B3_SINGLE];
  }
}

/**
 * @example
 * createTracing({ propagators: 'tracecontext,b3multi' });
 * new B3Propagator({ injectEncoding: 'multi' }).inject(ctx, headers);
 */
export class B3Propagator extends B3Injector {
  override extract<C>(context: Context, carrier: C, getter: TextMapGetter<C> = defaultGetter): Context {
    try {
      const single = readSingleHeader(getter, carrier, B3_SINGLE);
      if (single !== undefined) {
        // b3: {TraceId}-{SpanId}-{SamplingState}-{ParentSpanId}; or only {SamplingState}.
        const parts = trimOws(single).split('-');
        if (parts.length >= 2 && parts.length <= 4) {
          const traceId = traceIdOf(parts[0]);
          const spanId = parts[1];
          const { sampled, debug } = samplingOf(parts[2]);
          const parentOk = parts[3] === undefined || HEX16.test(parts[3]);
          if (traceId && spanId && HEX16.test(spanId) && isValidSpanId(spanId) && (parts[2] === undefined || sampled !== undefined) && parentOk) {
            return withRemote(context, traceId, spanId, sampled, debug);
          }
        }
        return context;
      }
      const traceId = traceIdOf(readSingleHeader(getter, carrier, B3_TRACE_ID));
      const spanId = readSingleHeader(getter, carrier, B3_SPAN_ID);
      if (!traceId || !spanId || !HEX16.test(spanId) || !isValidSpanId(spanId)) return context;
      const debug = readSingleHeader(getter, carrier, B3_FLAGS) === '1';
      const { sampled } = samplingOf(readSingleHeader(getter, carrier, B3_SAMPLED));
      return withRemote(context, traceId, spanId, debug || sampled, debug);
    } catch {
      return context;
    }
  }
}
