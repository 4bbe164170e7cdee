import type { Context } from './context.js';
import { traceIdRatio } from './sampler.js';
import { ROOT_CONTEXT } from './context.js';
import { SamplingDecision, SpanKind, SpanStatusCode, type ReadableSpan, type Span, type SpanProcessor } from './types.js';

export interface TailSamplingOptions {
  /** Keep every trace with a span whose status is ERROR (default true). */
  keepErrors?: boolean;
  /** Keep every trace whose local root lasted at least this long (ms). */
  slowerThanMs?: number;
  /** Keep this share of the other traces, decided from the trace id (default 0.1). */
  ratio?: number;
  /** Traces buffered at once; beyond it the oldest trace is decided early (default 512). */
  maxTraces?: number;
  /** Spans buffered per trace; beyond it they are passed on undecided (default 512). */
  maxSpansPerTrace?: number;
}

interface Buffered {
  spans: ReadableSpan[];
  error: boolean;
}

/**
 * Decides per trace once its local root span ends: keep it if any span failed
 * or the root was slow, else keep `ratio` of traces
 * (https://opentelemetry.io/docs/concepts/sampling/#tail-sampling). Spans wait
 * in a bounded buffer until then; memory stays bounded by `maxTraces` ×
 * `maxSpansPerTrace`.
 */
export class TailSamplingProcessor implements SpanProcessor {
  readonly #next: SpanProcessor;
  readonly #keepErrors: boolean;
  readonly #slowerThan: number;
  readonly #ratio: ReturnType<typeof traceIdRatio>;
  readonly #maxTraces: number;
  readonly #maxSpans: number;
  readonly #traces = new Map<string, Buffered>();
  /** Recent decisions, so spans that end after their root (work in waitUntil) follow them; bounded by maxTraces. */
  readonly #decided = new Map<string, boolean>();

  constructor(next: SpanProcessor, options: TailSamplingOptions = {}) {
    this.#next = next;
    this.#keepErrors = options.keepErrors !== false;
    this.#slowerThan = options.slowerThanMs ?? Infinity;
    this.#ratio = traceIdRatio(options.ratio ?? 0.1);
    this.#maxTraces = options.maxTraces ?? 512;
    this.#maxSpans = options.maxSpansPerTrace ?? 512;
  }

  onStart(span: Span & ReadableSpan, context: Context): void {
    this.#next.onStart(span, context);
  }

  onEnd(span: ReadableSpan): void {
    const traceId = span.spanContext().traceId;
    const decided = this.#decided.get(traceId);
    if (decided !== undefined) {
      if (decided) this.#next.onEnd(span);
      return;
    }
    let entry = this.#traces.get(traceId);
    if (!entry) {
      if (this.#traces.size >= this.#maxTraces) this.#decide(this.#traces.keys().next().value as string, undefined);
      this.#traces.set(traceId, (entry = { spans: [], error: false }));
    }
    if (span.status.code === SpanStatusCode.ERROR) entry.error = true;
    if (entry.spans.length < this.#maxSpans) entry.spans.push(span);
    else this.#next.onEnd(span);
    // The local root: no parent, or a parent in another process.
    if (span.parentSpanId === undefined || span.parentIsRemote === true) this.#decide(traceId, span);
  }

  #decide(traceId: string, root: ReadableSpan | undefined): void {
    const entry = this.#traces.get(traceId);
    if (!entry) return;
    this.#traces.delete(traceId);
    const slow = root !== undefined && root.endTime - root.startTime >= this.#slowerThan;
    const keep =
      (this.#keepErrors && entry.error) ||
      slow ||
      this.#ratio.shouldSample(ROOT_CONTEXT, traceId, '', SpanKind.INTERNAL, {}, []).decision === SamplingDecision.RECORD_AND_SAMPLED;
    if (keep) for (const s of entry.spans) this.#next.onEnd(s);
    if (this.#decided.size >= this.#maxTraces) this.#decided.delete(this.#decided.keys().next().value as string);
    this.#decided.set(traceId, keep);
  }

  /**
   * Flushes the decided traces. A trace whose root has not ended keeps waiting:
   * a flush for one request (a Worker flushes after each) must not decide the
   * traces of requests still running.
   */
  async forceFlush(): Promise<void> {
    await this.#next.forceFlush();
  }

  /** Decides every waiting trace with what is known, then shuts down. */
  async shutdown(): Promise<void> {
    for (const traceId of [...this.#traces.keys()]) this.#decide(traceId, undefined);
    await this.#next.shutdown();
  }
}
