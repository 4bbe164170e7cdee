import { batchSpanProcessor, type BatchSpanProcessor, type BatchOptions } from './core/batch-span-processor.js';
import { defaultClock, type Clock } from './core/clock.js';
import type { ContextManager } from './core/context.js';
import { DEV } from './core/dev.js';
import { fail, warnOnce } from './core/diag.js';
import { setGlobals } from './globals.js';
import { DEFAULT_SPAN_LIMITS, resolveSpanLimits, type ResolvedSpanLimits, type SpanLimits } from './core/limits.js';
import { createResource } from './core/resource.js';
import { alwaysOn, parentBased } from './core/sampler.js';
import { SimpleSpanProcessor } from './core/simple-span-processor.js';
import { SyncContextManager } from './core/sync-context-manager.js';
import { Tracer, type TracerShared } from './core/tracer.js';
import type { Attributes, Sampler, SpanExporter, SpanProcessor } from './core/types.js';
import { VERSION } from './version.js';
import type { TextMapPropagator } from './propagation/carrier.js';

/**
 * The parts of a pipeline, already built: nothing here is looked up by name,
 * so a bundle holds only the sampler, exporter and propagator the app passes.
 * `createTracing` (names, env-style strings) and `startBrowserTracing` build on it.
 */
export interface PipelineOptions {
  serviceName?: string;
  serviceVersion?: string;
  environment?: string;
  resource?: Attributes;
  exporter: SpanExporter;
  /** Default `parentBased(alwaysOn())`. */
  sampler?: Sampler;
  batch?: BatchOptions | false;
  /** Default: synchronous stack. */
  contextManager?: ContextManager;
  /** What goes into and comes out of headers, e.g. `new W3CTraceContextPropagator()`. */
  propagator: TextMapPropagator;
  spanLimits?: SpanLimits;
  /** Span limits already checked (`spanLimits()`); wins over `spanLimits`. */
  limits?: ResolvedSpanLimits;
  spanProcessors?: SpanProcessor[];
  /** Wraps or replaces the exporting processor (tail sampling; createTracing's `maxPendingExports`). */
  wrapExporting?: (exporting: SpanProcessor) => SpanProcessor;
  registerGlobals?: boolean;
  clock?: Clock;
  sdkLanguage?: string;
}

export interface Tracing {
  /** The tracer of scope `tracelet`. */
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

/**
 * One processor that hands every call to each of `processors`. One that
 * throws (an app's own processor) does not keep the span from the others, the
 * exporting one last among them.
 */
function fanOut(processors: SpanProcessor[]): SpanProcessor {
  const each = (call: (p: SpanProcessor) => unknown) => {
    for (const p of processors) {
      try {
        call(p);
      } catch {
        // the next processor still gets the span
      }
    }
  };
  const all = (m: 'forceFlush' | 'shutdown') => async () => void (await Promise.all(processors.map(async (p) => p[m]?.())));
  return processors.length < 2
    ? processors[0]!
    : {
        onStart: (span, context) => each((p) => p.onStart(span, context)),
        onEnd: (span) => each((p) => p.onEnd(span)),
        forceFlush: all('forceFlush'),
        shutdown: all('shutdown'),
      };
}

/** Throws a TypeError (naming it) for a part of the wrong type. */
export function checkParts(options: PipelineOptions): void {
  for (const key of ['serviceName', 'serviceVersion', 'environment'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') fail('E9', DEV && `${key} must be a string, got ${typeof options[key]}`, key);
  }
  const { exporter, batch, propagator } = options;
  if (typeof (options.sampler ?? alwaysOn()).shouldSample !== 'function') fail('E10', DEV && 'sampler must be an object with shouldSample()');
  if (typeof exporter?.export !== 'function') fail('E11', DEV && 'exporter must be an object with export(spans)');
  if (batch !== undefined && batch !== false && (typeof batch !== 'object' || !batch)) fail('E12', DEV && 'batch must be an options object or false');
  if (typeof propagator?.inject !== 'function') fail('E13', DEV && 'propagator must be an object with inject(), extract() and fields()');
}

/** Tracer -> processors -> exporter, from built parts; throws a TypeError for a part of the wrong type. */
export function createPipeline(options: PipelineOptions): Tracing {
  checkParts(options);
  const { exporter, batch } = options;
  return buildPipeline(options, batch === false ? new SimpleSpanProcessor(exporter) : undefined, options.limits ?? resolveSpanLimits(options.spanLimits));
}

/**
 * `createPipeline` without its checks, for options valid by construction (the
 * browser's and the script tag's). Batch options are still checked where they
 * are read. `exporting` replaces the batch processor (`batch: false`).
 */
export function buildPipeline(options: PipelineOptions, exporting?: SpanProcessor, limits = options.limits ?? DEFAULT_SPAN_LIMITS): Tracing {
  const { exporter, batch, propagator } = options;
  const sampler = options.sampler ?? parentBased(alwaysOn());
  const contextManager = options.contextManager ?? new SyncContextManager();
  const batchProcessor = exporting ? undefined : batchSpanProcessor(exporter, batch || undefined);
  exporting ??= batchProcessor!;
  const processor = fanOut([...(options.spanProcessors ?? []), options.wrapExporting ? options.wrapExporting(exporting) : exporting]);
  const shared: TracerShared = {
    resource: createResource(options, options.sdkLanguage ?? 'webjs', VERSION),
    limits,
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
  if (options.registerGlobals !== false) setGlobals({ contextManager, propagator, getTracer });
  let stopped: Promise<void> | undefined;
  const never = (p: () => Promise<void>) => async () => {
    try {
      await p();
    } catch (error) {
      warnOnce('W10', DEV && `flush failed: ${String(error)}`, DEV ? undefined : String(error));
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
