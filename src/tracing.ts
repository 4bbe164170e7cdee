import type { BatchOptions } from './core/batch-span-processor.js';
import type { Clock } from './core/clock.js';
import type { ContextManager } from './core/context.js';
import { fail, numberOption, warnOnce } from './core/diag.js';
import { DEV } from './core/dev.js';
import type { SpanLimits } from './core/limits.js';
import { createPipeline, type Tracing } from './pipeline.js';
import { alwaysOn, samplerFromName } from './core/sampler.js';
import { SimpleSpanProcessor } from './core/simple-span-processor.js';
import { TailSamplingProcessor, type TailSamplingOptions } from './core/tail-sampling-processor.js';
import type { Attributes, Sampler, SpanExporter, SpanProcessor } from './core/types.js';
import { consoleExporter } from './export/console.js';
import { OtlpHttpExporter, type RetryOptions } from './export/otlp-http.js';
import { createPropagator } from './propagation/composite.js';
import type { TextMapPropagator } from './propagation/carrier.js';

export type { Tracing } from './pipeline.js';

export interface TracingOptions {
  /** `service.name` of every span (default `unknown_service`). */
  serviceName?: string;
  serviceVersion?: string;
  /** `deployment.environment.name`, e.g. `production`. */
  environment?: string;
  /** Extra resource attributes. */
  resource?: Attributes;
  /** Full OTLP/HTTP traces URL (default `http://localhost:4318/v1/traces`). */
  endpoint?: string;
  /** Headers sent with every export request (API keys). */
  headers?: Record<string, string>;
  /** `'otlp'` (default), `'console'`, or any object with `export(spans)`. */
  exporter?: 'otlp' | 'console' | SpanExporter;
  /** A Sampler, or an `OTEL_TRACES_SAMPLER` name (default `parentbased_always_on`). */
  sampler?: Sampler | string;
  /** The ratio for `traceidratio` / `parentbased_traceidratio` (`OTEL_TRACES_SAMPLER_ARG`). */
  samplerArg?: number | string;
  /** Batch settings, or `false` to export each span as it ends. */
  batch?: BatchOptions | false;
  /**
   * With `batch: false`: how many exports may be unfinished at once (default
   * 64); while that many wait (a collector that does not answer), later spans
   * are dropped and counted. A whole number >= 1; ignored, with a warning,
   * while batching is on.
   */
  maxPendingExports?: number;
  /** Where the active span lives (default: synchronous stack). */
  contextManager?: ContextManager;
  spanLimits?: SpanLimits;
  /** OTLP exporter settings. */
  compression?: 'gzip' | 'none';
  timeoutMillis?: number;
  retry?: RetryOptions | false;
  /** `OTEL_PROPAGATORS` names or a propagator (default `tracecontext,baggage`). */
  propagators?: string | string[] | TextMapPropagator;
  /** Make this pipeline's context manager and propagator the global `context` / `propagation` (default true). */
  registerGlobals?: boolean;
  /**
   * Decide per trace after it ends: keep errors and slow traces, a ratio of the
   * rest. Spans are then always recorded (the head sampler is not consulted).
   */
  tailSampling?: TailSamplingOptions;
  /** Extra processors that see every span (they run before the exporting one). */
  spanProcessors?: SpanProcessor[];
  /** @internal runtime adapters set these */
  clock?: Clock;
  sdkLanguage?: string;
  baseUrl?: string;
}

const KNOWN_OPTIONS = new Set([
  'serviceName', 'serviceVersion', 'environment', 'resource', 'endpoint', 'headers', 'exporter', 'sampler', 'samplerArg',
  'batch', 'contextManager', 'spanLimits', 'compression', 'timeoutMillis', 'retry', 'spanProcessors', 'clock', 'sdkLanguage', 'baseUrl',
  'propagators', 'registerGlobals', 'tailSampling', 'maxPendingExports',
]);

function detectLanguage(): string {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node ? 'nodejs' : 'webjs';
}

/**
 * Creates a tracing pipeline: tracer -> processor -> exporter. Options are
 * checked here, so a bad endpoint, a negative size or an unknown sampler fails
 * at startup with a clear message instead of losing spans later.
 *
 * @example
 * import { createTracing } from 'tracelet';
 * const { tracer, shutdown } = createTracing({ serviceName: 'checkout', endpoint: 'http://localhost:4318/v1/traces' });
 * tracer.startActiveSpan('foo', (span) => { ...; span.end(); });
 * await shutdown();
 */
export function createTracing(options: TracingOptions = {}): Tracing {
  if (typeof options !== 'object' || options === null) fail('E5', DEV && 'createTracing(options) takes an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) warnOnce('W11', DEV && `unknown option "${key}" ignored; see the README for the options`, key);
  }
  let sampler: Sampler | undefined;
  if (typeof options.sampler === 'string') sampler = samplerFromName(options.sampler, options.samplerArg);
  else if (options.sampler !== undefined && typeof options.sampler?.shouldSample !== 'function') {
    fail('E10', DEV && 'sampler must be a sampler name (e.g. "parentbased_always_on") or an object with shouldSample()');
  } else sampler = options.sampler;

  let exporter!: SpanExporter;
  const choice = options.exporter ?? 'otlp';
  if (choice === 'otlp') {
    exporter = new OtlpHttpExporter({
      endpoint: options.endpoint,
      baseUrl: options.baseUrl,
      headers: options.headers,
      compression: options.compression,
      timeoutMillis: options.timeoutMillis,
      retry: options.retry,
    });
  } else if (choice === 'console') exporter = consoleExporter();
  else if (typeof choice === 'object' && choice !== null && typeof choice.export === 'function') exporter = choice;
  else fail('E11', DEV && `exporter must be 'otlp', 'console' or an object with export(spans), got ${String(choice)}`, choice);

  // The bound of `batch: false` is built here, not in createPipeline, so a
  // browser bundle (which has no such option) does not carry it.
  let simple: SimpleSpanProcessor | undefined;
  if (options.maxPendingExports !== undefined) {
    const max = numberOption('maxPendingExports', options.maxPendingExports, undefined, 'int>=1');
    if (options.batch === false) simple = new SimpleSpanProcessor(exporter, undefined, max);
    else warnOnce('W23', DEV && 'maxPendingExports applies only with batch: false; ignored');
  }
  const tail = options.tailSampling;
  const propagator =
    options.propagators && typeof options.propagators === 'object' && !Array.isArray(options.propagators)
      ? (options.propagators as TextMapPropagator)
      : createPropagator((options.propagators as string | string[] | undefined) ?? 'tracecontext,baggage');
  return createPipeline({
    serviceName: options.serviceName,
    serviceVersion: options.serviceVersion,
    environment: options.environment,
    resource: options.resource,
    exporter,
    // Tail sampling decides after the trace ends: every span is recorded.
    sampler: tail ? alwaysOn() : sampler,
    batch: options.batch,
    contextManager: options.contextManager,
    propagator,
    spanLimits: options.spanLimits,
    spanProcessors: options.spanProcessors,
    // `simple` takes the place of the default SimpleSpanProcessor (64 pending exports).
    wrapExporting:
      tail || simple
        ? (exporting) => {
            const exportingOne = simple ?? exporting;
            return tail ? new TailSamplingProcessor(exportingOne, tail) : exportingOne;
          }
        : undefined,
    registerGlobals: options.registerGlobals,
    clock: options.clock,
    sdkLanguage: options.sdkLanguage ?? detectLanguage(),
  });
}
