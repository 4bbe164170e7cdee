import type { Clock } from './clock.js';
import { toEpochMillis } from './clock.js';
import { toText } from './attributes.js';
import type { Context, ContextManager } from './context.js';
import { randomSpanId, randomTraceId } from './ids.js';
import type { ResolvedSpanLimits } from './limits.js';
import { NONE, NonRecordingSpan, RecordingSpan, type SpanOwner } from './span.js';
import { deleteSpan, getSpan, getSpanContext, isSpanContextValid, setSpan } from './span-in-context.js';
import {
  SamplingDecision,
  SpanKind,
  TraceFlags,
  type Attributes,
  type InstrumentationScope,
  type Resource,
  type Sampler,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanProcessor,
} from './types.js';

/** What every tracer of one tracing instance shares. */
export interface TracerShared {
  readonly resource: Resource;
  readonly limits: ResolvedSpanLimits;
  readonly clock: Clock;
  readonly sampler: Sampler;
  readonly processor: SpanProcessor;
  readonly contextManager: ContextManager;
}

type Fn<T> = (span: Span) => T;

const NO_ATTRIBUTES: Attributes = Object.freeze({}) as Attributes;

/**
 * Creates spans. `startSpan` and `startActiveSpan` have the signatures of
 * `@opentelemetry/api`'s Tracer, so code written for OpenTelemetry runs as is.
 */
export class Tracer implements SpanOwner {
  // Declared, not defined: the constructor sets them (in this order), so no
  // field initializer code is emitted for them.
  declare readonly resource: Resource;
  declare readonly limits: ResolvedSpanLimits;
  declare readonly clock: Clock;
  declare readonly scope: InstrumentationScope;
  readonly #shared: TracerShared;

  constructor(shared: TracerShared, scope: InstrumentationScope) {
    this.#shared = shared;
    this.resource = shared.resource;
    this.limits = shared.limits;
    this.clock = shared.clock;
    this.scope = scope;
  }

  /** @internal called by RecordingSpan.end() */
  onEnd(span: RecordingSpan): void {
    // Only sampled spans go to export; RECORD-only spans are seen by processors
    // that care (none of ours) but never leave the process.
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) {
      try {
        this.#shared.processor.onEnd(span);
      } catch {
        // A processor must never break the code that ended the span.
      }
    }
  }

  /**
   * Starts a span; the parent is the active span of `context` (default: the
   * current context), unless `options.root` is set.
   *
   * @example
   * const span = tracer.startSpan('load cart', { attributes: { 'cart.items': 3 } });
   * try { ... } finally { span.end(); }
   */
  startSpan(name: string, options: SpanOptions = {}, context: Context = this.#shared.contextManager.active()): Span {
    if (options.root) context = deleteSpan(context);
    const parent = getSpanContext(context);
    const hasParent = isSpanContextValid(parent);
    // Level 2: the random flag describes the trace id, so it travels with it.
    const traceId = hasParent ? parent.traceId : randomTraceId();
    // OTLP knows five kinds (0..4 here, sent as 1..5); anything else is INTERNAL.
    const kind = [0, 1, 2, 3, 4].includes(options.kind as number) ? (options.kind as SpanKind) : SpanKind.INTERNAL;
    let result;
    try {
      result = this.#shared.sampler.shouldSample(context, traceId, name, kind, options.attributes ?? NO_ATTRIBUTES, options.links ?? NONE);
    } catch {
      // a sampler that throws (or, below, answers nothing) drops the span
    }
    if (!result || typeof result !== 'object') result = { decision: SamplingDecision.NOT_RECORD };
    const traceState = result.traceState ?? (hasParent ? parent.traceState : undefined);
    const spanContext: SpanContext = {
      traceId,
      spanId: randomSpanId(),
      traceFlags: (hasParent ? parent.traceFlags & TraceFlags.RANDOM : TraceFlags.RANDOM) | (result.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : 0),
    };
    if (traceState) spanContext.traceState = traceState;
    if (result.decision === SamplingDecision.NOT_RECORD) return new NonRecordingSpan(spanContext);
    const span = new RecordingSpan(this, spanContext, toText(name), kind, hasParent ? parent : undefined, toEpochMillis(options.startTime) ?? this.clock(), options.attributes, options.links);
    if (result.attributes) span.setAttributes(result.attributes);
    try {
      this.#shared.processor.onStart(span, context);
    } catch {
      // see onEnd
    }
    return span;
  }

  /**
   * Starts a span, makes it active for `fn`, and returns what `fn` returns
   * (a promise stays a promise). The caller ends the span, as in OpenTelemetry.
   * With the synchronous context manager the span is active only until `fn`
   * returns or first awaits; see the README on context managers.
   *
   * @example
   * await tracer.startActiveSpan('checkout', async (span) => {
   *   try { await pay(); } finally { span.end(); }
   * });
   */
  startActiveSpan<T>(name: string, fn: Fn<T>): T;
  startActiveSpan<T>(name: string, options: SpanOptions, fn: Fn<T>): T;
  startActiveSpan<T>(name: string, options: SpanOptions, context: Context, fn: Fn<T>): T;
  startActiveSpan<T>(name: string, a: SpanOptions | Fn<T>, b?: Context | Fn<T>, c?: Fn<T>): T {
    let options: SpanOptions = {};
    let context: Context = this.#shared.contextManager.active();
    let fn: Fn<T>;
    if (typeof a === 'function') fn = a;
    else if (typeof b === 'function') {
      options = a ?? {};
      fn = b;
    } else {
      options = a ?? {};
      if (b) context = b;
      fn = c as Fn<T>;
    }
    const span = this.startSpan(name, options, context);
    return this.#shared.contextManager.with(setSpan(context, span), fn, undefined, span);
  }

  /** The span active in the current context, if any. */
  getActiveSpan(): Span | undefined {
    return getSpan(this.#shared.contextManager.active());
  }
}
