/**
 * tracelet: the runtime-neutral entry. `createTracing` plus the pieces it is
 * made of, for people who compose their own pipeline.
 */
export { createTracing, type Tracing, type TracingOptions } from './tracing.js';
export { createPipeline, type PipelineOptions } from './pipeline.js';
export { Tracer } from './core/tracer.js';
export { RecordingSpan, NonRecordingSpan } from './core/span.js';
export { ROOT_CONTEXT, createContextKey, suppressTracing, isTracingSuppressed, type Context, type ContextManager } from './core/context.js';
export { SyncContextManager } from './core/sync-context-manager.js';
export { getSpan, setSpan, deleteSpan, getSpanContext, setSpanContext, isSpanContextValid, wrapSpanContext } from './core/span-in-context.js';
export { alwaysOn, alwaysOff, traceIdRatio, parentBased, samplerFromName, SAMPLER_NAMES, type ParentBasedOptions } from './core/sampler.js';
export { BatchSpanProcessor, batchSpanProcessor, type BatchOptions } from './core/batch-span-processor.js';
export { SimpleSpanProcessor } from './core/simple-span-processor.js';
export { TailSamplingProcessor, type TailSamplingOptions } from './core/tail-sampling-processor.js';
export { randomTraceId, randomSpanId, isValidTraceId, isValidSpanId } from './core/ids.js';
export { toUnixNanoString, toHrTime } from './core/clock.js';
export { setDiagnosticSink, type DiagnosticSink } from './core/diag.js';
export type { SpanLimits } from './core/limits.js';
export { OtlpHttpExporter, parseRetryAfter, type OtlpHttpExporterOptions, type RetryOptions } from './export/otlp-http.js';
export { encodeOtlpJson, toOtlpRequest } from './export/otlp-json.js';
export { consoleExporter, spanToConsoleJson } from './export/console.js';
export {
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  SamplingDecision,
  ExportResultCode,
  type Attributes,
  type AttributeValue,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type Link,
  type TimeInput,
  type TraceState,
  type ReadableSpan,
  type SpanProcessor,
  type SpanExporter,
  type ExportResult,
  type Sampler,
  type SamplingResult,
  type Resource,
  type InstrumentationScope,
} from './core/types.js';
export { VERSION } from './version.js';
export { trace, context, propagation, type ApiTracer } from './api.js';
export * from './propagation/index.js';
