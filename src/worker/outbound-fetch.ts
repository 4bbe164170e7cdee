import { SUPPRESS_TRACING, isTracingSuppressed, type Context, type ContextManager } from '../core/context.js';
import { getSpan, setSpan } from '../core/span-in-context.js';
import { SpanKind, type Span } from '../core/types.js';
import { OUTBOUND_POLICY_KEY, type OutboundPolicy } from './policy.js';
import { declares, declaresAll, wrapMethods } from './bindings/call.js';
import { BINDINGS } from './bindings/index.js';
import { rpcStubMethod } from './bindings/rpc.js';
import { clientSpanStart, recordClientError, recordClientStatus } from '../http/client-attributes.js';
import { absoluteUrl, matchesAny, type UrlPattern } from '../http/urls.js';
import { copyInit } from '../http/request-init.js';

export { OUTBOUND_POLICY_KEY, type OutboundPolicy } from './policy.js';

/**
 * The members of workerd's RequestInit: the Fetch standard's
 * (https://fetch.spec.whatwg.org/#requestinit) plus `cf`, `fetcher` and
 * `encodeResponseBody` (https://developers.cloudflare.com/workers/runtime-apis/request/#the-cf-property-requestinitcfproperties).
 */
const WORKER_INIT_MEMBERS = 'method headers body redirect signal cf fetcher cache integrity keepalive duplex encodeResponseBody'.split(' ');

/** `init` with other headers, every member read as fetch reads it (`copyInit`): a Request used as init keeps its method, body and `cf`. */
function initWithHeaders(init: RequestInit | undefined, headers: Headers): RequestInit {
  const next = copyInit(init, WORKER_INIT_MEMBERS);
  next.headers = headers;
  return next;
}

function mayPropagate(url: URL, policy: OutboundPolicy): boolean {
  if (policy.propagateTo === 'none') return false;
  if (policy.propagateTo === 'all') return true;
  return url.host === policy.host || matchesAny(url.href, policy.propagateTo);
}

/**
 * Calls `send(input, init)` as a traced outbound request when `context` holds
 * an invocation's policy and span: a CLIENT span, and trace headers where
 * allowed. Never for the collector; never changes what `send` returns or throws.
 */
export function tracedSend(
  context: Context,
  send: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>,
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const policy = context.getValue(OUTBOUND_POLICY_KEY) as OutboundPolicy | undefined;
  if (!policy || !getSpan(context) || isTracingSuppressed(context) || (init as Record<symbol, unknown> | undefined)?.[SUPPRESS_TRACING]) {
    return send(input, init);
  }
  let span: Span | undefined;
  try {
    const request = input instanceof Request ? input : undefined;
    const url = absoluteUrl(input);
    if (url && url.href !== policy.exporterUrl) {
      const { name, attributes } = clientSpanStart(init?.method ?? request?.method ?? 'GET', url, policy.redactQueryParams);
      span = policy.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, context);
      if (mayPropagate(url, policy)) {
        const headers = new Headers(init?.headers ?? request?.headers);
        const add: Record<string, string> = {};
        policy.propagator.inject(setSpan(context, span), add);
        // The app's own trace headers win: if it set traceparent itself, our
        // tracestate (which belongs to our traceparent) is not added either.
        if (headers.has('traceparent')) delete add.tracestate;
        for (const [k, v] of Object.entries(add)) if (!headers.has(k)) headers.set(k, v);
        init = initWithHeaders(init, headers);
      }
    }
  } catch {
    // never break the request
  }
  const result = send(input, init);
  if (!span) return result;
  return result.then(
    (response) => {
      recordClientStatus(span!, response.status);
      span!.end();
      return response;
    },
    (error: unknown) => {
      recordClientError(span!, error);
      span!.end();
      throw error;
    },
  );
}

let installed: ContextManager | undefined;

/** Wraps the global fetch once per isolate; it traces only inside an instrumented invocation. */
export function installGlobalFetch(contextManager: ContextManager): void {
  if (installed) return;
  installed = contextManager;
  const original = globalThis.fetch;
  globalThis.fetch = function fetch(input: RequestInfo | URL, init?: RequestInit) {
    return tracedSend(contextManager.active(), (i, n) => original(i, n), input, init);
  } as typeof globalThis.fetch;
}

/**
 * The context a binding call is traced in: the invocation's running now, so a
 * binding kept past the request it was read in (a client made once at module
 * scope) joins the request calling it; else `made`, the invocation the
 * wrapper was made in (a call after an await without AsyncLocalStorage).
 */
function callContext(made: Context): Context {
  const active = installed?.active();
  return active?.getValue(OUTBOUND_POLICY_KEY) ? active : made;
}

/** Each env wrapper -> the env the runtime passed (also through wrappers of wrappers). */
const unwrapped = new WeakMap<object, object>();

/** The env the runtime passed, for `env` or a wrapper of it made by `wrapEnv`. */
export const unwrapEnv = <E>(env: E): E => ((env && typeof env === 'object' && (unwrapped.get(env) as E)) || env);

/**
 * `env` with service bindings and Durable Object stubs traced: their
 * `fetch` goes through `tracedSend` in the invocation's context, their RPC
 * method calls get CLIENT spans named `{env key}/{method}`.
 */
export function wrapEnv<E>(env: E, context: Context): E {
  if (!env || typeof env !== 'object') return env;
  // A service binding or a Durable Object stub, named by its env key (`service`).
  const fetcher = (target: { fetch: Function }, service: string) =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop);
        if (prop === 'fetch' && typeof value === 'function') {
          return (input: RequestInfo | URL, init?: RequestInit) => tracedSend(callContext(context), (i, n) => value.call(t, i, n), input, init);
        }
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        // A method the binding's class declares (connect, ...) needs the binding as `this`.
        if (declares(t, prop)) return value.bind(t);
        // Anything else is an RPC member: every property read on it may be a remote call
        // (`.bind` is one, and failed with DataCloneError), so it is never bound or probed; a
        // call of it is traced by a Proxy that only traps `apply` (bindings/rpc.ts).
        return prop === 'then' ? value : rpcStubMethod(value, t, service, prop, () => callContext(context));
      },
    });
  // Each binding's wrapper is made once per invocation, so `env.SVC === env.SVC` as on the env itself.
  const made = new WeakMap<object, unknown>();
  // Over the env the runtime passed: given another invocation's wrapper (a
  // handler instrumented inside another), a binding is wrapped once, not
  // twice (two CLIENT spans for one call).
  const raw = unwrapEnv(env) as unknown as object;
  const wrapper = new Proxy(raw, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (!value || typeof value !== 'object') return value;
      if (!made.has(value)) made.set(value, traced(value, String(prop)));
      return made.get(value);
    },
  });
  function traced(value: object, key: string): unknown {
    // A Durable Object namespace: trace the stubs it hands out. Checked on the
    // prototype: RPC-capable bindings answer *any* property with a function.
    if (declaresAll(value, 'idFromName get')) return wrapMethods(value, 'get getByName', (_method, _args, run) => fetcher(run() as { fetch: Function }, key));
    // KV, R2, D1, Queues: each kind in its own module (bindings/).
    for (const wrap of BINDINGS) {
      const done = wrap(value, () => callContext(context), key);
      if (done) return done;
    }
    // A service binding (Fetcher).
    if (declares(value, 'fetch')) return fetcher(value as { fetch: Function }, key);
    return value;
  }
  unwrapped.set(wrapper, raw);
  return wrapper as E;
}
