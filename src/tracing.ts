import { BatchSpanProcessor, type BatchOptions } from './core/batch-span-processor.js';
import { defaultClock, type Clock } from './core/clock.js';
import type { ContextManager } from './core/context.js';
import { warnOnce } from './core/diag.js';
import { resolveSpanLimits, type SpanLimits } from './core/limits.js';
import { createResource } from './core/resource.js';
import { parentBased, alwaysOn, samplerFromName } from './core/sampler.js';
import { SimpleSpanProcessor } from './core/simple-span-processor.js';
import { TailSamplingProcessor, type TailSamplingOptions } from './core/tail-sampling-processor.js';
import { SyncContextManager } from './core/sync-context-manager.js';
import { Tracer, type TracerShared } from './core/tracer.js';
import type { Attributes, Sampler, SpanExporter, SpanProcessor } from './core/types.js';
import { consoleExporter } from './export/console.js';
import { OtlpHttpExporter, type RetryOptions } from './export/otlp-http.js';
import { VERSION } from './version.js';
import { context as contextApi, propagation as propagationApi } from './api.js';
import { createPropagator } from './propagation/composite.js';
import type { TextMapPropagator } from './propagation/carrier.js';

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

export interface Tracing {
  /** The tracer of scope `tracelet` (or `serviceName`). */
  tracer: Tracer;
  /** A tracer for one instrumentation scope (library name and version). */
  getTracer(name: string, version?: string): Tracer;
  /** Exports everything finished so far; resolves when done (never rejects). */
  flush(): Promise<void>;
  /** Flushes and stops; spans ended later are dropped. */
  shutdown(): Promise<void>;
  readonly contextManager: ContextManager;
  readonly processor: SpanProcessor;
  /** Injects and extracts the configured headers. */
  readonly propagator: TextMapPropagator;
  /** The batch processor that feeds the exporter (undefined with `batch: false`). */
  readonly batchProcessor: BatchSpanProcessor | undefined;
}

const KNOWN_OPTIONS = new Set([
  'serviceName', 'serviceVersion', 'environment', 'resource', 'endpoint', 'headers', 'exporter', 'sampler', 'samplerArg',
  'batch', 'contextManager', 'spanLimits', 'compression', 'timeoutMillis', 'retry', 'spanProcessors', 'clock', 'sdkLanguage', 'baseUrl',
  'propagators', 'registerGlobals', 'tailSampling',
]);

function detectLanguage(): string {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node ? 'nodejs' : 'webjs';
}

function fanOut(processors: SpanProcessor[]): SpanProcessor {
  if (processors.length === 1) return processors[0]!;
  return {
    onStart(span, context) {
      for (const p of processors) p.onStart(span, context);
    },
    onEnd(span) {
      for (const p of processors) p.onEnd(span);
    },
    async forceFlush() {
      await Promise.all(processors.map((p) => p.forceFlush()));
    },
    async shutdown() {
      await Promise.all(processors.map((p) => p.shutdown()));
    },
  };
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
  if (typeof options !== 'object' || options === null) throw new TypeError('tracelet: createTracing(options) takes an object');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) warnOnce('unknown-option:' + key, `unknown option "${key}" ignored; see the README for the options`);
  }
  for (const key of ['serviceName', 'serviceVersion', 'environment'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') {
      throw new TypeError(`tracelet: ${key} must be a string, got ${typeof options[key]}`);
    }
  }

  let sampler: Sampler;
  if (options.sampler === undefined) sampler = parentBased(alwaysOn());
  else if (typeof options.sampler === 'string') sampler = samplerFromName(options.sampler, options.samplerArg);
  else if (typeof options.sampler === 'object' && typeof options.sampler.shouldSample === 'function') sampler = options.sampler;
  else throw new TypeError('tracelet: sampler must be a sampler name (e.g. "parentbased_always_on") or an object with shouldSample()');

  let exporter: SpanExporter;
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
  else throw new TypeError(`tracelet: exporter must be 'otlp', 'console' or an object with export(spans), got ${String(choice)}`);

  if (options.batch !== undefined && options.batch !== false && (typeof options.batch !== 'object' || options.batch === null)) {
    throw new TypeError('tracelet: batch must be an options object or false');
  }
  const batchProcessor = options.batch === false ? undefined : new BatchSpanProcessor(exporter, options.batch);
  let exporting: SpanProcessor = batchProcessor ?? new SimpleSpanProcessor(exporter);
  if (options.tailSampling) {
    exporting = new TailSamplingProcessor(exporting, options.tailSampling);
    sampler = alwaysOn();
  }
  const processor = fanOut([...(options.spanProcessors ?? []), exporting]);

  const contextManager = options.contextManager ?? new SyncContextManager();
  const propagator =
    options.propagators && typeof options.propagators === 'object' && !Array.isArray(options.propagators)
      ? (options.propagators as TextMapPropagator)
      : createPropagator((options.propagators as string | string[] | undefined) ?? 'tracecontext,baggage');
  if (options.registerGlobals !== false) {
    contextApi.setGlobalContextManager(contextManager);
    propagationApi.setGlobalPropagator(propagator);
  }
  const shared: TracerShared = {
    resource: createResource({
      serviceName: options.serviceName,
      serviceVersion: options.serviceVersion,
      environment: options.environment,
      attributes: options.resource,
      sdkLanguage: options.sdkLanguage ?? detectLanguage(),
      sdkVersion: VERSION,
    }),
    limits: resolveSpanLimits(options.spanLimits),
    clock: options.clock ?? defaultClock,
    sampler,
    processor,
    contextManager,
  };

  const tracers = new Map<string, Tracer>();
  const getTracer = (name: string, version?: string): Tracer => {
    const key = `${name}@${version ?? ''}`;
    let tracer = tracers.get(key);
    if (!tracer) tracers.set(key, (tracer = new Tracer(shared, version ? { name, version } : { name })));
    return tracer;
  };
  let stopped: Promise<void> | undefined;
  const never = (p: () => Promise<void>) => async () => {
    try {
      await p();
    } catch (error) {
      warnOnce('flush-failed', `flush failed: ${String(error)}`);
    }
  };
  return {
    tracer: getTracer('tracelet', VERSION),
    getTracer,
    flush: never(() => processor.forceFlush()),
    shutdown: never(() => (stopped ??= processor.shutdown())),
    contextManager,
    processor,
    propagator,
    batchProcessor,
  };
}
