import { ROOT_CONTEXT, createContextKey, type Context } from '../../core/context.js';
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '../../core/types.js';
import type { TextMapPropagator } from '../../propagation/carrier.js';
import { serverSpanStart } from '../../http/server-attributes.js';
import { activeContext, invocationAttributes, pipelineFor, recordResponse, runInvocation, type WorkerConfig } from '../instrument.js';
import { wrapEnv } from '../outbound-fetch.js';
import { withServerTiming } from '../server-timing.js';
import { declares } from './call.js';
import { rpcAttributes, rpcSpanName, takeRpcContext } from './rpc.js';

type Config = WorkerConfig | ((env: never) => WorkerConfig) | undefined;
type Pipeline = NonNullable<ReturnType<typeof pipelineFor>>;
export type AnyClass = new (...args: any[]) => object;
type Ctx = { waitUntil(promise: Promise<unknown>): void };

/** The span of one entry into an object: its span, its parent context, the request's host for same-host propagation. */
type Entry = [Span, Context, string?];

/**
 * Handlers workerd calls by name that are not RPC methods: traced here by
 * their own rules (fetch, alarm, webSocket*) or passed on untouched (the
 * WorkerEntrypoint's other event handlers, and names workerd reserves).
 */
const NOT_RPC = new Set(['constructor', 'fetch', 'alarm', 'webSocketMessage', 'webSocketClose', 'webSocketError', 'connect', 'scheduled', 'queue', 'email', 'tail', 'tailStream', 'trace', 'test', 'dup']);

/** On an entry's context: the object it entered, so the object calling its own methods (`this.add()`) is no new entry. */
const OBJECT_KEY = createContextKey('tracelet.worker.object');

/** What each traced object was constructed with: the env the runtime passed (pipelines are kept per env) and its ctx. */
const constructed = new WeakMap<object, { env: unknown; ctx: Ctx }>();

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

  const define = (
    name: string,
    original: Function,
    start: (p: Pipeline, args: unknown[], carried: Context) => Entry,
    done?: (result: unknown, span: Span, p: Pipeline, ctx: Ctx) => unknown,
  ) => {
    Object.defineProperty(Traced.prototype, name, {
      value: function (this: object, ...args: unknown[]) {
        const made = constructed.get(this);
        const p = made && pipelineFor(made.env, config, made.ctx);
        // A context argument comes off even when nothing is traced: the method sees its own arguments.
        const carried = NOT_RPC.has(name) ? ROOT_CONTEXT : takeRpcContext(args, p ? p.tracing.propagator : NO_PROPAGATOR);
        const run = () => Reflect.apply(original, this, args) as unknown;
        // Not an entry: the object calling its own method inside one of its entries.
        if (!p || activeContext()?.getValue(OBJECT_KEY) === this) return run();
        const [span, parent, host] = start(p, args, carried);
        return runInvocation(p, span, parent.setValue(OBJECT_KEY, this), made.ctx, host, async () => {
          const result = await run();
          return done ? done(result, span, p, made.ctx) : result;
        });
      },
      writable: true,
      enumerable: false,
      configurable: true,
    });
  };

  const server = (p: Pipeline, name: string, attributes: Attributes, parent: Context = ROOT_CONTEXT): Entry => [
    p.policy.tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent),
    parent,
  ];

  for (const [name, original] of methodsOf(Original)) {
    if (name === 'fetch') {
      define(
        name,
        original,
        (p, [request]) => {
          // The caller's stub fetch injected its context (wrapEnv): continued here.
          const r = request as Request;
          const parent = p.tracing.propagator.extract(ROOT_CONTEXT, r.headers);
          const url = new URL(r.url);
          const { name: spanName, attributes } = serverSpanStart(r.method, url, r.headers, p.policy.redactQueryParams);
          const [span] = server(p, spanName, { ...attributes, ...invocationAttributes('http', r) }, parent);
          return [span, parent, url.host];
        },
        (response, span, p, ctx) => {
          if (!(response instanceof Response)) {
            span.setStatus({ code: SpanStatusCode.ERROR, message: 'the fetch handler did not return a Response' });
            return response;
          }
          recordResponse(span, response.status);
          // Server-Timing is for a page reading the response: a WorkerEntrypoint may
          // answer one; a Durable Object answers its caller, which adds its own.
          return p.serverTiming && !declares(ctx, 'storage') ? withServerTiming(response, span) : response;
        },
      );
    } else if (name === 'alarm') {
      define(name, original, (p, [info]) => {
        // A timer-triggered invocation: "Span kind SHOULD be SERVER"
        // (https://opentelemetry.io/docs/specs/semconv/faas/faas-spans/#timer).
        const attributes = invocationAttributes('timer');
        const { retryCount, isRetry } = (info ?? {}) as { retryCount?: unknown; isRetry?: unknown };
        if (typeof retryCount === 'number') attributes['cloudflare.alarm.retry_count'] = retryCount;
        if (typeof isRetry === 'boolean') attributes['cloudflare.alarm.is_retry'] = isRetry;
        return server(p, `alarm ${service}`, attributes);
      });
    } else if (name === 'webSocketMessage' || name === 'webSocketClose' || name === 'webSocketError') {
      define(name, original, (p, args) => {
        const attributes = invocationAttributes('other');
        if (name === 'webSocketMessage') {
          const message = args[1];
          attributes['websocket.message.type'] = typeof message === 'string' ? 'text' : 'binary';
          const size = typeof message === 'string' ? new TextEncoder().encode(message).length : (message as ArrayBuffer | undefined)?.byteLength;
          if (typeof size === 'number') attributes['messaging.message.body.size'] = size;
        } else if (name === 'webSocketClose') {
          if (typeof args[1] === 'number') attributes['websocket.close.code'] = args[1];
          if (typeof args[3] === 'boolean') attributes['websocket.close.was_clean'] = args[3];
        }
        const entry = server(p, `${name} ${service}`, attributes);
        if (name === 'webSocketError') {
          entry[0].recordException(args[1]);
          entry[0].setStatus({ code: SpanStatusCode.ERROR });
        }
        return entry;
      });
    } else if (!NOT_RPC.has(name)) {
      // One SERVER span per RPC call: "for incoming requests [SpanKind MUST be set] to SERVER"
      // (v1.37.0 rpc-spans.md#common-remote-procedure-call-conventions).
      // The caller's context arrives only as a trailing argument (propagateRpcTo, bindings/rpc.ts).
      define(name, original, (p, _args, carried) => server(p, rpcSpanName(service, name), { ...rpcAttributes(service, name), ...invocationAttributes('other') }, carried));
    }
  }
  return Traced as unknown as C;
}

/** Reads no context: a trailing context argument is still removed when tracing is off. */
const NO_PROPAGATOR = { inject() {}, extract: (context: Context) => context, fields: () => [] } as unknown as TextMapPropagator;

/**
 * The methods of a class's instances, own or inherited (the nearest
 * definition wins), up to Object.prototype: what workerd may call. Getters
 * are never run.
 */
function methodsOf(Class: AnyClass): Map<string, Function> {
  const methods = new Map<string, Function>();
  const seen = new Set<string>();
  for (let o: object | null = Class.prototype as object; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const value = Object.getOwnPropertyDescriptor(o, name)?.value as unknown;
      if (typeof value === 'function' && name !== 'constructor') methods.set(name, value);
    }
  }
  return methods;
}
