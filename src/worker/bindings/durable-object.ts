import { ROOT_CONTEXT, createContextKey, type Context } from '../../core/context.js';
import type { Attributes, Span } from '../../core/types.js';
import type { TextMapPropagator } from '../../propagation/carrier.js';
import { activeContext, fail, fetchDone, httpEntry, invocationAttributes, pipelineFor, runInvocation, startServerSpan, type Pipeline, type WorkerConfig } from '../invocation.js';
import { wrapEnv } from '../outbound-fetch.js';
import { declares } from './call.js';
import { rpcAttributes, rpcSpanName, takeRpcContext } from './rpc.js';

type Config = WorkerConfig | ((env: never) => WorkerConfig) | undefined;
export type AnyClass = new (...args: any[]) => object;
type Ctx = { waitUntil(promise: Promise<unknown>): void };

/** How an entry's span starts: its name, attributes, parent context and (fetch) the request's host for same-host propagation. */
type Entry = { name: string; attributes: Attributes; parent?: Context; host?: string };
type EntryStart = (p: Pipeline, args: unknown[], service: string, method: string) => Entry;

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
const fetchEntry: EntryStart = (p, [request]) => httpEntry(p, request as Request);

/**
 * A timer-triggered invocation: "Span kind SHOULD be SERVER"
 * (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/#timer).
 * workerd passes `alarm(alarmInfo)` with `{ retryCount, isRetry }`
 * (https://developers.cloudflare.com/durable-objects/api/base/#alarm).
 */
const alarmEntry: EntryStart = (_p, [info], service) => {
  const attributes = invocationAttributes('timer');
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
const webSocketEntry: EntryStart = (_p, [, detail, , wasClean], service, method) => {
  const attributes = invocationAttributes('other');
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
const rpcEntry: EntryStart = (p, args, service, method) => ({
  name: rpcSpanName(service, method),
  attributes: { ...rpcAttributes(service, method), ...invocationAttributes('other') },
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
export function instrumentClass<C extends AnyClass>(Original: C, config: Config): C {
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
        const p = made && pipelineFor(made.env, config, made.ctx);
        const run = () => Reflect.apply(original, this, args) as unknown;
        // Not traced, or not an entry (the object calling its own method inside
        // one of its entries). A context argument still comes off: the method sees its own arguments.
        if (!p || activeContext()?.getValue(OBJECT_KEY) === this) {
          if (rpc) takeRpcContext(args, NO_PROPAGATOR);
          return run();
        }
        let entry: Entry;
        let span: Span;
        try {
          entry = start(p, args, service, method);
          span = startServerSpan(p, entry);
          if (method === 'webSocketError') fail(span, args[1]);
        } catch {
          // never break the object: its entry runs untraced
          return run();
        }
        const { parent = ROOT_CONTEXT, host } = entry;
        return runInvocation(p, span, parent.setValue(OBJECT_KEY, this), made.ctx, host, async () => {
          const result = await run();
          // Server-Timing is for a page reading the response: a WorkerEntrypoint may
          // answer one; a Durable Object answers its caller, which adds its own.
          return method === 'fetch' ? fetchDone(result, span, p.serverTiming && !declares(made.ctx, 'storage')) : result;
        });
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return Traced as unknown as C;
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
