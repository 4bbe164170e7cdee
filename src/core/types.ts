/**
 * Public types shaped like `@opentelemetry/api`, so OpenTelemetry users feel at
 * home and a thin adapter can register tracelet as the global provider.
 */
import type { Context } from './context.js';

export type AttributeValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string | null | undefined>
  | ReadonlyArray<number | null | undefined>
  | ReadonlyArray<boolean | null | undefined>;

export type Attributes = Record<string, AttributeValue | undefined>;

/** OTLP `Span.SpanKind` values minus one, exactly as in `@opentelemetry/api`. */
export const SpanKind = {
  INTERNAL: 0,
  SERVER: 1,
  CLIENT: 2,
  PRODUCER: 3,
  CONSUMER: 4,
} as const;
export type SpanKind = (typeof SpanKind)[keyof typeof SpanKind];

export const SpanStatusCode = { UNSET: 0, OK: 1, ERROR: 2 } as const;
export type SpanStatusCode = (typeof SpanStatusCode)[keyof typeof SpanStatusCode];

/** W3C Trace Context `trace-flags` bits (https://www.w3.org/TR/trace-context-2/#trace-flags). */
export const TraceFlags = { NONE: 0, SAMPLED: 1, RANDOM: 2 } as const;

export interface TraceState {
  get(key: string): string | undefined;
  set(key: string, value: string): TraceState;
  unset(key: string): TraceState;
  serialize(): string;
}

export interface SpanContext {
  traceId: string;
  spanId: string;
  traceFlags: number;
  traceState?: TraceState;
  isRemote?: boolean;
}

export interface SpanStatus {
  code: SpanStatusCode;
  message?: string;
}

/** Milliseconds since the unix epoch (what `Date.now()` gives), a `Date`, or an OpenTelemetry `[seconds, nanos]` pair. */
export type TimeInput = number | Date | readonly [number, number];

export interface Link {
  context: SpanContext;
  attributes?: Attributes;
}

export interface SpanOptions {
  kind?: SpanKind;
  attributes?: Attributes;
  links?: Link[];
  startTime?: TimeInput;
  /** Start a new trace even if the context has an active span. */
  root?: boolean;
}

export interface Exception {
  name?: string;
  message?: string;
  stack?: string;
  code?: string | number;
}

export interface InstrumentationScope {
  name: string;
  version?: string;
}

/** The span API every instrumentation and user writes against. */
export interface Span {
  spanContext(): SpanContext;
  setAttribute(key: string, value: AttributeValue | undefined): this;
  setAttributes(attributes: Attributes): this;
  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this;
  addLink(link: Link): this;
  addLinks(links: Link[]): this;
  setStatus(status: SpanStatus): this;
  updateName(name: string): this;
  end(endTime?: TimeInput): void;
  isRecording(): boolean;
  recordException(exception: Exception | string | unknown, time?: TimeInput): void;
}

export interface TimedEvent {
  name: string;
  /** Epoch milliseconds (fractional). */
  time: number;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface ReadableLink {
  context: SpanContext;
  attributes: Attributes;
  droppedAttributesCount: number;
}

export interface Resource {
  attributes: Attributes;
  schemaUrl?: string;
}

/** What processors and exporters read: a finished span. Times are epoch milliseconds (fractional). */
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  spanContext(): SpanContext;
  readonly parentSpanId: string | undefined;
  /** Whether the parent came from another process (OTLP span flags bit 9). Undefined for roots. */
  readonly parentIsRemote: boolean | undefined;
  readonly startTime: number;
  readonly endTime: number;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly droppedAttributesCount: number;
  readonly events: TimedEvent[];
  readonly droppedEventsCount: number;
  readonly links: ReadableLink[];
  readonly droppedLinksCount: number;
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly ended: boolean;
}

export interface SpanProcessor {
  onStart(span: Span & ReadableSpan, parentContext: Context): void;
  onEnd(span: ReadableSpan): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

export const ExportResultCode = { SUCCESS: 0, FAILED: 1 } as const;
export type ExportResultCode = (typeof ExportResultCode)[keyof typeof ExportResultCode];
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

/**
 * Where finished spans go. `export` may return a promise, a result, or nothing
 * (nothing = success). It must not throw; if it does, tracelet catches it.
 */
export interface SpanExporter {
  export(spans: ReadableSpan[]): Promise<ExportResult | void> | ExportResult | void;
  forceFlush?(): Promise<void>;
  shutdown?(): Promise<void>;
}

export const SamplingDecision = { NOT_RECORD: 0, RECORD: 1, RECORD_AND_SAMPLED: 2 } as const;
export type SamplingDecision = (typeof SamplingDecision)[keyof typeof SamplingDecision];

export interface SamplingResult {
  decision: SamplingDecision;
  attributes?: Attributes;
  traceState?: TraceState;
}

export interface Sampler {
  shouldSample(
    context: Context,
    traceId: string,
    spanName: string,
    spanKind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult;
  toString(): string;
}
