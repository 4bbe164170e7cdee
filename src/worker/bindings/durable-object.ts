import { ROOT_CONTEXT, createContextKey, type Context } from '../../core/context.js';
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '../../core/types.js';
import type { TextMapPropagator } from '../../propagation/carrier.js';
import { errorMessage } from '../../core/attributes.js';
import { serverSpanStart } from '../../http/server-attributes.js';
import type { WorkerConfig, activeContext, invocationAttributes, pipelineFor, recordResponse, runInvocation } from '../instrument.js';
import { wrapEnv } from '../outbound-fetch.js';
import { withServerTiming } from '../server-timing.js';
import { declares } from './call.js';
import { rpcAttributes, rpcSpanName, takeRpcContext } from './rpc.js';

type Config = WorkerConfig | ((env: never) => WorkerConfig) | undefined;

/**
 * What instrument.ts lends this module (handed in, not imported: instrument.ts
 * imports this module, and a cycle of imports is what rollup warns about).
 */
export interface Invocations {
  pipelineFor: typeof pipelineFor;
  runInvocation: typeof runInvocation;
  invocationAttributes: typeof invocationAttributes;
  recordResponse: typeof recordResponse;
  activeContext: typeof activeContext;
}
type Pipeline = NonNullable<ReturnType<typeof pipelineFor>>;
export type AnyClass = new (...args: any[]) => object;
type Ctx = { waitUntil(promise: Promise<unknown>): void };

/** How an entry's span starts: its name, attributes, parent context and (fetch) the request's host for same-host propagation. */
type Entry = { name: string; attributes: Attributes; parent?: Context; host?: string };
type EntryStart = (p: Pipeline, args: unknown[], service: string, method: string, i: Invocations) => Entry;

/**
 * Handlers workerd calls by name that are not RPC methods: traced by their
 * own rules below (fetch, alarm, webSocket*) or passed on untouched (the
 * WorkerEntrypoint's other event handlers, and names workerd reserves).
 */
const NOT_RPC = new Set('constructor fetch alarm webSocketMessage webSocketClose webSocketError connect scheduled queue email tail tailStream trace test dup'.split(' '));

/** On an entry's context: the object it entered, so the object calling its own methods (`this.add()`) is no new entry. */
const OBJECT_KEY = createContextKey('tracelet.worker.object');

/** What each traced object was constructed with: the env the runtime passed (pipelines are kept per env) and its ctx. */
const constructed = new WeakMap<object, { env: unknown; ctx: Ctx }>();

/** The caller's stub fetch injected its context (wrapEnv): continued here. */
const fetchEntry: EntryStart = (p, [request], _service, _method, i) => {
  const r = request as Request;
  const url = new URL(r.url);
  const { name, attributes } = serverSpanStart(r.method, url, r.headers, p.policy.redactQueryParams);
  return { name, attributes: { ...attributes, ...i.invocationAttributes('http', r) }, parent: p.tracing.propagator.extract(ROOT_CONTEXT, r.headers), host: url.host };
};

/**
 * A timer-triggered invocation: "Span kind SHOULD be SERVER"
 * (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/#timer).
 * workerd passes `alarm(alarmInfo)` with `{ retryCount, isRetry }`
 * (https://developers.cloudflare.com/durable-objects/api/base/#alarm).
 */
const alarmEntry: EntryStart = (_p, [info], service, _method, i) => {
  const attributes = i.invocationAttributes('timer');
  const { retryCount, isRetry } = (info ?? {}) as { retryCount?: unknown; isRetry?: unknown };
  if (typeof retryCount === 'number') attributes['cloudflare.alarm.retry_count'] = retryCount;
  if (typeof isRetry === 'boolean') attributes['cloudflare.alarm.is_retry'] = isRetry;
  return { name: `alarm ${service}`, attributes };
};

/**
 * A hibernatable WebSocket's event (webSocketMessage(ws, message),
 * webSocketClose(ws, code, reason, wasClean), webSocketError(ws, error)): an
 * incoming invocation of trigger "other" (faas-spans.md#other), its own trace.
 */
const webSocketEntry: EntryStart = (_p, [, detail, , wasClean], service, method, i) => {
  const attributes = i.invocationAttributes('other');
  if (method === 'webSocketMessage') attributes['websocket.message.type'] = typeof detail === 'string' ? 'text' : 'binary';
  if (method === 'webSocketClose') {
    if (typeof detail === 'number') attributes['websocket.close.code'] = detail;
    if (typeof wasClean === 'boolean') attributes['websocket.close.was_clean'] = wasClean;
  }
  return { name: `${method} ${service}`, attributes };
};

/**
 * One SERVER span per RPC call: "for incoming requests [SpanKind MUST be set]
 * to SERVER" (v1.37.0 rpc-spans.md#common-remote-procedure-call-conventions).
 * The caller's context arrives only as a trailing argument (propagateRpcTo, bindings/rpc.ts).
 */
const rpcEntry: EntryStart = (p, args, service, method, i) => ({
  name: rpcSpanName(service, method),
  attributes: { ...rpcAttributes(service, method), ...i.invocationAttributes('other') },
  parent: takeRpcContext(args, p.tracing.propagator),
});

/**
 * `Original` (a Durable Object class or a WorkerEntrypoint class) as a
 * subclass workerd accepts in its place: same `name`, `instanceof Original`
 * holds, static members inherited, `extends DurableObject` /
 * `extends WorkerEntrypoint` kept. Its constructor hands `Original` the
 * traced env (bindings and outbound fetch of the object are children of the
 * entry running); each entry (fetch, alarm, RPC method, WebSocket handler)
 * that `Original` defines is overridden by a method that records a SERVER
 * span around the original, called with the same `this` and arguments, and
 * returns or throws what it does. Export runs in `ctx.waitUntil`.
 */
export function instrumentClass<C extends AnyClass>(Original: C, config: Config, i: Invocations): C {
  const service = Original.name || 'anonymous';
  const Traced = class extends (Original as AnyClass) {
    constructor(...args: any[]) {
      // workerd constructs both kinds as (ctx, env).
      const [ctx, env] = args as [Ctx, unknown];
      super(ctx, wrapEnv(env, ROOT_CONTEXT), ...args.slice(2));
      constructed.set(this, { env, ctx });
    }
  };
  Object.defineProperty(Traced, 'name', { value: Original.name, configurable: true });

  for (const [method, original] of methodsOf(Original.prototype as object)) {
    const rpc = !NOT_RPC.has(method);
    const start = rpc ? rpcEntry : method === 'fetch' ? fetchEntry : method === 'alarm' ? alarmEntry : method.startsWith('webSocket') ? webSocketEntry : undefined;
    if (!start) continue;
    Object.defineProperty(Traced.prototype, method, {
      value: function (this: object, ...args: unknown[]) {
        const made = constructed.get(this);
        const p = made && i.pipelineFor(made.env, config, made.ctx);
        const run = () => Reflect.apply(original, this, args) as unknown;
        // Not traced, or not an entry (the object calling its own method inside
        // one of its entries). A context argument still comes off: the method sees its own arguments.
        if (!p || i.activeContext()?.getValue(OBJECT_KEY) === this) {
          if (rpc) takeRpcContext(args, NO_PROPAGATOR);
          return run();
        }
        let entry: Entry;
        let span: Span;
        try {
          entry = start(p, args, service, method, i);
          span = p.policy.tracer.startSpan(entry.name, { kind: SpanKind.SERVER, attributes: entry.attributes }, entry.parent);
          if (method === 'webSocketError') fail(span, args[1]);
        } catch {
          // never break the object: its entry runs untraced
          return run();
        }
        const { parent = ROOT_CONTEXT, host } = entry;
        return i.runInvocation(p, span, parent.setValue(OBJECT_KEY, this), made.ctx, host, async () => {
          const result = await run();
          return method === 'fetch' ? fetchDone(result, span, p, made.ctx, i) : result;
        });
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return Traced as unknown as C;
}

function fetchDone(response: unknown, span: Span, p: Pipeline, ctx: Ctx, i: Invocations): unknown {
  if (!(response instanceof Response)) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the fetch handler did not return a Response' });
    return response;
  }
  i.recordResponse(span, response.status);
  // Server-Timing is for a page reading the response: a WorkerEntrypoint may
  // answer one; a Durable Object answers its caller, which adds its own.
  return p.serverTiming && !declares(ctx, 'storage') ? withServerTiming(response, span) : response;
}

function fail(span: Span, error: unknown): void {
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}

/** Reads no context: a trailing context argument is still removed when tracing is off. */
const NO_PROPAGATOR = { inject() {}, extract: (context: Context) => context, fields: () => [] } as unknown as TextMapPropagator;

/**
 * The methods of `start` (an object or a class's prototype), own or inherited
 * (the nearest definition wins), up to Object.prototype, constructor left
 * out: what workerd may call. Getters are never run.
 */
export function methodsOf(start: object): Map<string, Function> {
  const methods = new Map<string, Function>();
  const seen = new Set<string>();
  for (let o: object | null = start; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const value = Object.getOwnPropertyDescriptor(o, name)?.value as unknown;
      if (typeof value === 'function' && name !== 'constructor') methods.set(name, value);
    }
  }
  return methods;
}
