import { ROOT_CONTEXT, type Context, type ContextManager } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { warnOnce } from '../core/diag.js';
import { getSpan, setSpan } from '../core/span-in-context.js';
import { SyncContextManager } from '../core/sync-context-manager.js';
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '../core/types.js';
import { PIPELINE_KEY } from '../api.js';
import { AsyncContextManager, fromAsyncLocalStorage } from '../context/async-context.js';
import { DEFAULT_REDACTED_QUERY_PARAMS, type UrlPattern } from '../http/urls.js';
import { serverSpanStart } from '../http/server-attributes.js';
import { errorMessage } from '../core/attributes.js';
import { DEFAULT_OTLP_ENDPOINT, resolveEndpoint } from '../export/otlp-http.js';
import { createTracing, type Tracing, type TracingOptions } from '../tracing.js';
import { configFromEnv } from './env-config.js';
import { withServerTiming } from './server-timing.js';
import { OUTBOUND_POLICY_KEY, installGlobalFetch, unwrapEnv, type OutboundPolicy } from './outbound-fetch.js';
import { installCaches } from './bindings/cache.js';
import { VERSION } from '../version.js';

// What every traced Worker invocation shares, whichever entry it came in by
// (instrument()'s handlers, an instrumented Durable Object or
// WorkerEntrypoint, the Hono middleware): the pipeline per env and config,
// the isolate's context manager, and the span's start and end.

export interface WorkerConfig extends Omit<TracingOptions, 'contextManager' | 'clock' | 'sdkLanguage' | 'baseUrl' | 'registerGlobals'> {
  /** Which outbound URLs get trace headers: `'all'` (default, the collector never), `'none'`, or patterns (the request's own host always). */
  propagateTo?: 'all' | 'none' | UrlPattern[];
  /** Query parameters redacted in `url.query` / `url.full`. */
  redactQueryParams?: string[];
  /** Add `Server-Timing: traceparent;desc="00-…"` to responses so pages can join the trace (default true). */
  serverTiming?: boolean;
  /**
   * Env keys of Durable Object namespaces and service bindings whose RPC calls
   * carry the trace context as a trailing argument, so the callee's SERVER
   * span joins the caller's trace. Only for callees instrumented with
   * `instrument(Class)`, which remove that argument again; an uninstrumented
   * callee would receive it (docs/workers-durable-objects.md).
   */
  propagateRpcTo?: string[];
  /** `AsyncLocalStorage` from `node:async_hooks`, for the `nodejs_als` flag (found by itself with `nodejs_compat`). */
  AsyncLocalStorage?: new () => { getStore(): unknown; run<R>(store: unknown, fn: () => R): R };
}

export interface Pipeline {
  tracing: Tracing;
  policy: Omit<OutboundPolicy, 'host'>;
  serverTiming: boolean;
}

export type ExecutionContextLike = { waitUntil(promise: Promise<unknown>): void };

let coldStart = true;
let sharedContextManager: ContextManager | undefined;

/**
 * The isolate's one context manager (made on first use, kept in sharedContextManager). AsyncLocalStorage follows the request
 * through every await (workerd has no AsyncContext yet); without it the
 * request span is still recorded and outbound calls made before the first
 * await are parented, and one message says which flag to add.
 */
function contextManagerFor(config: WorkerConfig): ContextManager {
  type ALSCtor = NonNullable<WorkerConfig['AsyncLocalStorage']>;
  let ALS: ALSCtor | undefined = config.AsyncLocalStorage;
  try {
    type Proc = { getBuiltinModule?: (id: string) => { AsyncLocalStorage?: ALSCtor } | undefined };
    ALS ||= (globalThis as { process?: Proc }).process?.getBuiltinModule?.('node:async_hooks')?.AsyncLocalStorage;
  } catch {
    // not found: ALS stays unset
  }
  if (ALS) return new AsyncContextManager(fromAsyncLocalStorage(new ALS()));
  warnOnce(
    'W30',
    DEV &&
      'AsyncLocalStorage is unavailable, so spans after an await are not parented to the request span: ' +
        'add compatibility_flags = ["nodejs_compat"] (or "nodejs_als" and config.AsyncLocalStorage)',
  );
  return new SyncContextManager();
}

/** The context running now (an invocation's, or the root), if tracing ever started in this isolate. */
export function activeContext(): Context | undefined {
  return sharedContextManager?.active();
}

/** The span of the instrumented invocation running now (instrument() or the Hono middleware), if any. */
export function invocationSpan(): Span | undefined {
  const active = sharedContextManager?.active();
  return active?.getValue(PIPELINE_KEY) ? getSpan(active) : undefined;
}

// env -> config -> pipeline. workerd passes one env object to every handler of
// a module (and to its Durable Objects), so two instrument() calls with their
// own configs get their own pipelines; instrument()'s per-request env wrapper
// counts as the env it wraps (a handler instrumented inside another).
const pipelines = new WeakMap<object, Map<unknown, Pipeline>>();
const FALLBACK_ENV = {};
// Configs are told apart by identity, so a config object made per request
// (`tracelet({ ... })` inside a middleware) would add a pipeline per request.
// The most recently used ones are kept; past that the oldest is let go.
const MAX_CONFIGS_PER_ENV = 16;

export function pipelineFor(
  env: unknown,
  config: WorkerConfig | ((env: never) => WorkerConfig) | undefined,
  ctx?: ExecutionContextLike,
): Pipeline | undefined {
  const raw = unwrapEnv(env);
  const key = raw && typeof raw === 'object' ? raw : FALLBACK_ENV;
  let byConfig = pipelines.get(key);
  if (!byConfig) pipelines.set(key, (byConfig = new Map()));
  const cached = byConfig.get(config);
  if (cached) {
    byConfig.delete(config);
    byConfig.set(config, cached);
    return cached;
  }
  try {
    // A config function may return nothing: the env configuration alone.
    const code: WorkerConfig = (typeof config === 'function' ? config(env as never) : config) ?? {};
    const fromEnv = configFromEnv(env);
    // Code configuration overrides the environment, except that the resources
    // merge: "The SDK MUST extract information from the OTEL_RESOURCE_ATTRIBUTES
    // environment variable and merge this, as the secondary resource, with any
    // resource information provided by the user"
    // (https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable).
    // The code's options are read once each, by the spread (getters included).
    const merged: WorkerConfig = { ...fromEnv, ...code };
    const own = (o: object | undefined, key: string) => !!o && Object.hasOwn(o, key);
    if (own(code, 'resource')) {
      const resource = merged.resource;
      merged.resource = { ...fromEnv.resource, ...resource };
      // OTEL_SERVICE_NAME is the env's service.name (same section), so a
      // service.name in the code's resource wins over it too.
      if (!own(code, 'serviceName') && own(resource, 'service.name')) delete merged.serviceName;
    }
    const contextManager = (sharedContextManager ??= contextManagerFor(merged));
    const { propagateTo = 'all', propagateRpcTo = [], redactQueryParams = DEFAULT_REDACTED_QUERY_PARAMS, serverTiming = true, AsyncLocalStorage: _als, ...options } = merged;
    // Registers the global `trace` / `context` / `propagation` for user code in
    // the handler (trace.getTracer at module scope, trace.getActiveSpan()).
    const tracing = createTracing({
      timeoutMillis: 5000,
      retry: { maxAttempts: 2, initialBackoffMillis: 100 },
      ...options,
      resource: { 'cloud.provider': 'cloudflare', 'cloud.platform': 'cloudflare.workers', ...options.resource },
      // Workers freeze timers between I/O; the exporter is driven by waitUntil(flush()).
      // `batch: false` exports each span as it ends; flush() waits for those exports.
      batch: options.batch === false ? false : { scheduledDelayMillis: 60_000, ...options.batch },
      contextManager,
      clock: () => Date.now(),
      sdkLanguage: 'webjs',
    });
    const exporterUrl = resolveEndpoint(options.endpoint ?? DEFAULT_OTLP_ENDPOINT);
    installGlobalFetch(contextManager);
    installCaches(contextManager);
    const pipeline: Pipeline = {
      tracing,
      policy: { tracer: tracing.getTracer('tracelet.worker', VERSION), propagator: tracing.propagator, propagateTo, propagateRpcTo, exporterUrl, redactQueryParams },
      serverTiming,
    };
    if (byConfig.size >= MAX_CONFIGS_PER_ENV) {
      warnOnce('W31', DEV && 'over 16 config objects, the oldest let go: a config made per request? Make it once, or pass (env) => config');
      const [oldest, evicted] = byConfig.entries().next().value!;
      byConfig.delete(oldest);
      // Spans that ended after their invocation's flush (in a waitUntil) wait
      // for the pipeline's next flush, which an evicted pipeline would never
      // get: flushed now, in this invocation. Not shut down: an invocation
      // still running on it keeps ending spans into it and flushing it.
      waitUntil(ctx, evicted.tracing.flush());
    }
    byConfig.set(config, pipeline);
    return pipeline;
  } catch (error) {
    warnOnce('W32', DEV && `tracing is off: ${errorMessage(error)}`, errorMessage(error), 'error');
    return undefined;
  }
}

/** `ctx.waitUntil(promise)`; without a working waitUntil the promise still runs. */
function waitUntil(ctx: ExecutionContextLike | undefined, promise: Promise<unknown>): void {
  try {
    ctx?.waitUntil(promise);
  } catch {
    // no waitUntil: the flush still runs
  }
}

export function invocationAttributes(trigger: string, request?: Request): Attributes {
  const attributes: Attributes = { 'faas.trigger': trigger, 'faas.coldstart': coldStart };
  coldStart = false;
  const colo = (request as { cf?: { colo?: unknown } } | undefined)?.cf?.colo;
  if (typeof colo === 'string') attributes['cloud.region'] = colo;
  return attributes;
}

/** Status of a server span: 5xx is an error (4xx is the client's). */
export function recordResponse(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

export function fail(span: Span, error: unknown): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

/** Runs `fn` as the invocation's work and exports in `waitUntil`, never delaying the result. */
export async function runInvocation<T>(
  p: Pipeline,
  span: Span,
  parent: Context,
  ctx: ExecutionContextLike | undefined,
  host: string | undefined,
  fn: (context: Context) => Promise<T> | T,
): Promise<T> {
  // The invocation carries its pipeline, so trace.getTracer spans go to it even
  // if a pipeline for another env registered globally since.
  const context = setSpan(parent, span).setValue(OUTBOUND_POLICY_KEY, { ...p.policy, host }).setValue(PIPELINE_KEY, p.tracing);
  try {
    // Every pipeline runs on the isolate's one context manager (contextManagerFor).
    return await sharedContextManager!.with(context, () => fn(context));
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    span.end();
    waitUntil(ctx, p.tracing.flush());
  }
}

/** Where an HTTP request's SERVER span starts: its name and attributes, the caller's context from its headers, and its host (same-host propagation). */
export interface HttpEntry {
  name: string;
  attributes: Attributes;
  parent: Context;
  host: string;
}

/**
 * An incoming HTTP request's SERVER span start, for instrument()'s fetch, an
 * instrumented object's fetch and the Hono middleware: HTTP server span name
 * and attributes (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server),
 * the invocation's FaaS attributes, and the parent extracted from the
 * request's `traceparent` (W3C Trace Context §3.2).
 */
export function httpEntry(p: Pipeline, request: Request): HttpEntry {
  const url = new URL(request.url);
  const { name, attributes } = serverSpanStart(request.method, url, request.headers, p.policy.redactQueryParams);
  return { name, attributes: { ...attributes, ...invocationAttributes('http', request) }, parent: p.tracing.propagator.extract(ROOT_CONTEXT, request.headers), host: url.host };
}

/** A SERVER span started for `entry` under its parent. */
export function startServerSpan(p: Pipeline, entry: { name: string; attributes: Attributes; parent?: Context }): Span {
  return p.policy.tracer.startSpan(entry.name, { kind: SpanKind.SERVER, attributes: entry.attributes }, entry.parent ?? ROOT_CONTEXT);
}

/**
 * What a fetch handler returned, recorded on its span and handed back: a
 * Response gets its status (recordResponse) and, with `serverTiming`, our
 * Server-Timing entry; anything else goes back untouched, so workerd reports
 * its own error, and the span is ERROR.
 */
export function fetchDone(response: unknown, span: Span, serverTiming: boolean): unknown {
  if (!(response instanceof Response)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the fetch handler did not return a Response' });
    return response;
  }
  recordResponse(span, response.status);
  return serverTiming ? withServerTiming(response, span) : response;
}
