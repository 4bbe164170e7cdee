import { ROOT_CONTEXT, type Context, type ContextManager } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { warnOnce } from '../core/diag.js';
import { getSpan, getSpanContext, setSpan } from '../core/span-in-context.js';
import { SyncContextManager } from '../core/sync-context-manager.js';
import { SpanKind, SpanStatusCode, type Attributes, type Link, type Span } from '../core/types.js';
import { PIPELINE_KEY } from '../api.js';
import { AsyncContextManager, fromAsyncLocalStorage } from '../context/async-context.js';
import { DEFAULT_REDACTED_QUERY_PARAMS, type UrlPattern } from '../http/urls.js';
import { serverSpanStart } from '../http/server-attributes.js';
import { errorMessage } from '../core/attributes.js';
import { DEFAULT_OTLP_ENDPOINT, resolveEndpoint } from '../export/otlp-http.js';
import { createTracing, type Tracing, type TracingOptions } from '../tracing.js';
import { configFromEnv } from './env-config.js';
import { withServerTiming } from './server-timing.js';
import { OUTBOUND_POLICY_KEY, installGlobalFetch, unwrapEnv, wrapEnv, type OutboundPolicy } from './outbound-fetch.js';
import { installCaches } from './bindings/cache.js';
import { VERSION } from '../version.js';
import { instrumentClass, methodsOf, type AnyClass } from './bindings/durable-object.js';

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

interface Pipeline {
  tracing: Tracing;
  policy: Omit<OutboundPolicy, 'host'>;
  serverTiming: boolean;
}

type Env = Record<string, unknown>;
type ExecutionContextLike = { waitUntil(promise: Promise<unknown>): void };

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

function fail(span: Span, error: unknown): void {
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

/**
 * Instruments a Worker's exported handler (`fetch`, `scheduled`, `queue`,
 * `email`): a SERVER span per request that continues the caller's trace, CLIENT
 * spans for outbound `fetch` and bindings, export in `ctx.waitUntil`. Its other
 * handlers (`tail`, ...) are passed on untraced, run on the handler.
 * Configuration: `config` (an object or `(env) => object`) over the
 * `OTEL_*` variables of `env`.
 * Given a Durable Object or WorkerEntrypoint class, returns a traced
 * subclass of it: SERVER spans for its fetch, alarm, RPC methods and
 * WebSocket handlers (docs/workers-durable-objects.md).
 *
 * @example
 * import { instrument } from 'tracelet/worker';
 * export default instrument({ async fetch(request, env) { return fetch(env.ORIGIN); } }, { serviceName: 'shop-edge' });
 * @example
 * const TracedRoom = instrument(Room); // class Room extends DurableObject
 * export { TracedRoom as Room };
 */
export function instrument<H extends object>(handler: H, config?: WorkerConfig | ((env: never) => WorkerConfig)): H {
  // A class (a Durable Object, a WorkerEntrypoint) must reach workerd as a
  // class it can construct: a traced subclass (bindings/durable-object.ts).
  if (typeof handler === 'function' && (handler as { prototype?: unknown }).prototype) {
    return instrumentClass(handler as unknown as AnyClass, config, { pipelineFor, runInvocation, invocationAttributes, recordResponse, activeContext }) as unknown as H;
  }
  // No handler at all (a default export that came out undefined) is passed on too, so workerd says what is missing.
  if (!handler || typeof handler !== 'object') {
    if (typeof handler === 'function') warnOnce('W33', DEV && 'instrument(): a function that is not a class is passed on untraced; give it a handler object or a class');
    else warnOnce('W34', DEV && `instrument(): the handler is ${handler === null ? 'null' : typeof handler}, not an object; passed on untraced`);
    return handler;
  }
  const h = handler as {
    fetch?: (request: Request, env: unknown, ctx: ExecutionContextLike) => Response | Promise<Response>;
    scheduled?: (controller: { cron?: string; scheduledTime?: number }, env: unknown, ctx: ExecutionContextLike) => unknown;
    queue?: (batch: { queue?: string; messages?: readonly { body?: unknown; id?: string }[] }, env: unknown, ctx: ExecutionContextLike) => unknown;
    email?: (message: EmailMessageLike, env: unknown, ctx: ExecutionContextLike) => unknown;
  };
  // workerd needs own fetch / scheduled / queue on the exported object, so the
  // export is a new object; the handler's methods still run with the handler
  // itself as `this` (a class instance with #private fields works, this === handler).
  const wrapped = Object.assign(Object.create(Object.getPrototypeOf(handler) as object | null) as object, handler) as Record<string, unknown>;
  // The handlers tracelet does not trace (tail, ...), own or inherited
  // from a class: workerd finds only own methods (an inherited email() is
  // "not implemented"), so each gets an own method that calls the handler's
  // with the handler itself as `this` and returns or throws what it does.
  // The nearest definition wins; getters are left alone (never run here).
  for (const name of methodsOf(handler).keys()) {
    // Defined, not assigned: an inherited setter or read-only member of that name is not triggered.
    Object.defineProperty(wrapped, name, {
      value: function (...args: unknown[]) {
        return (handler as Record<string, Function>)[name]!(...args);
      },
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }

  // Each traced handler: the handler's own call when tracing is off, else its
  // span from `start`, run by runInvocation; `done` sees what the handler returned.
  const trace = <E>(
    name: keyof typeof h,
    start: (p: Pipeline, event: E) => [Span, Context?, string?],
    done: (result: unknown, span: Span, p: Pipeline) => unknown = (result) => result,
  ): void => {
    if (typeof h[name] !== 'function') return;
    wrapped[name] = async function (event: E, env: unknown, ctx: ExecutionContextLike) {
      const run = (e: unknown) => (h[name] as Function).call(handler, event, e, ctx) as unknown;
      const p = pipelineFor(env, config, ctx);
      if (!p) return run(env);
      const [span, parent = ROOT_CONTEXT, host] = start(p, event);
      return runInvocation(p, span, parent, ctx, host, async (context) => done(await run(wrapEnv(env, context)), span, p));
    };
  };

  trace(
    'fetch',
    (p, request: Request) => {
      const parent = p.tracing.propagator.extract(ROOT_CONTEXT, request.headers);
      const url = new URL(request.url);
      const { name, attributes } = serverSpanStart(request.method, url, request.headers, p.policy.redactQueryParams);
      return [p.policy.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { ...attributes, ...invocationAttributes('http', request) } }, parent), parent, url.host];
    },
    (response, span, p) => {
      // Anything but a Response goes back untouched, so workerd reports its own error.
      if (!(response instanceof Response)) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: 'the fetch handler did not return a Response' });
        return response;
      }
      recordResponse(span, response.status);
      return p.serverTiming ? withServerTiming(response, span) : response;
    },
  );

  trace('scheduled', (p, controller: { cron?: string }) => {
    const attributes = invocationAttributes('timer');
    if (controller?.cron) attributes['faas.cron'] = controller.cron;
    // A timer-triggered FaaS invocation: "Span kind SHOULD be SERVER"
    // (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/#timer).
    return [p.policy.tracer.startSpan(`scheduled ${controller?.cron ?? ''}`.trim(), { kind: SpanKind.SERVER, attributes }, ROOT_CONTEXT)];
  });

  trace('queue', (p, batch: { queue?: string; messages?: readonly { body?: unknown }[] }) => {
    // A message may carry its producer's context (e.g. { traceparent } in its body).
    const carried = (batch?.messages ?? []).map((m) => p.tracing.propagator.extract(ROOT_CONTEXT, (m?.body && typeof m.body === 'object' ? m.body : {}) as object));
    const links: Link[] = [];
    for (const c of carried) {
      const sc = getSpanContext(c);
      if (sc) links.push({ context: sc });
    }
    const parent = carried.length === 1 ? carried[0]! : ROOT_CONTEXT;
    // Messaging spans: messaging.system.name and messaging.operation.name are Required
    // (https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/#messaging-attributes).
    const attributes: Attributes = {
      ...invocationAttributes('pubsub'),
      'messaging.system.name': 'cloudflare',
      'messaging.operation.name': 'process',
      'messaging.operation.type': 'process',
      'messaging.batch.message_count': carried.length,
    };
    if (batch?.queue) attributes['messaging.destination.name'] = batch.queue;
    return [p.policy.tracer.startSpan(`process ${batch?.queue ?? 'queue'}`, { kind: SpanKind.CONSUMER, attributes, links: carried.length > 1 ? links : [] }, parent), parent];
  });

  // `tail` stays untraced: a tail worker observes other invocations, and
  // tracing its own would be telemetry about telemetry, a loop wherever it is
  // (itself or through a worker it watches) its own tail consumer.
  trace('email', (p, message: EmailMessageLike) => {
    const span = p.policy.tracer.startSpan('email', { kind: SpanKind.SERVER, attributes: emailAttributes(message) }, ROOT_CONTEXT);
    if (span.isRecording()) observeReject(message, span);
    return [span];
  });
  return wrapped as H;
}

/** The parts of workerd's ForwardableEmailMessage read here (https://developers.cloudflare.com/email-routing/email-workers/runtime-api/). */
interface EmailMessageLike {
  from?: unknown;
  to?: unknown;
  rawSize?: unknown;
  setReject?: unknown;
}

/** The domain of an address (`buyer@example.com` -> `example.com`); never the local part, which names a person. */
function domainOf(address: unknown): string | undefined {
  const at = typeof address === 'string' ? address.lastIndexOf('@') : -1;
  return (at >= 0 && (address as string).slice(at + 1).toLowerCase()) || undefined;
}

/**
 * No semantic convention covers email. The FaaS conventions leave trigger
 * "other" to the instrumentation (faas-spans.md#other), and an incoming FaaS
 * invocation's "Span kind SHOULD be SERVER" (faas-spans.md#incoming-invocations).
 * It is one: the handler runs inside the sending server's SMTP transaction,
 * which waits for its verdict (accepted, setReject's permanent SMTP error, or
 * a temporary failure when it throws). The size is recorded with the
 * messaging attribute for "body and metadata".
 * Addresses are personal data: only their domains are recorded.
 */
function emailAttributes(message: EmailMessageLike): Attributes {
  const attributes: Attributes = invocationAttributes('other');
  const to = domainOf(message?.to);
  const from = domainOf(message?.from);
  if (to) attributes['email.to.domain'] = to;
  if (from) attributes['email.from.domain'] = from;
  // The raw RFC 5322 message, headers included: "body and metadata".
  if (typeof message?.rawSize === 'number') attributes['messaging.message.envelope.size'] = message.rawSize;
  return attributes;
}

/**
 * Marks `span` ERROR when the handler calls `message.setReject(reason)`:
 * an own `setReject` on this message that calls the original with the same
 * `this` and arguments and returns or throws what it does. A message that
 * cannot take the property is left as it is.
 */
function observeReject(message: EmailMessageLike, span: Span): void {
  try {
    const setReject = message.setReject;
    if (typeof setReject !== 'function') return;
    const own = Object.getOwnPropertyDescriptor(message, 'setReject');
    Object.defineProperty(message, 'setReject', {
      value: function (this: unknown, ...args: unknown[]) {
        const result: unknown = Reflect.apply(setReject, this, args);
        const reason = args[0];
        span.setAttribute('error.type', 'rejected');
        span.setStatus({ code: SpanStatusCode.ERROR, message: typeof reason === 'string' ? `rejected: ${reason}` : 'rejected' });
        return result;
      },
      writable: true,
      enumerable: !!own?.enumerable,
      configurable: true,
    });
  } catch {
    // a frozen message: not observed
  }
}
