import { ROOT_CONTEXT, type Context } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { warnOnce } from '../core/diag.js';
import { getSpanContext } from '../core/span-in-context.js';
import { SpanKind, SpanStatusCode, type Attributes, type Link, type Span } from '../core/types.js';
import { wrapEnv } from './outbound-fetch.js';
import { instrumentClass, methodsOf, type AnyClass } from './bindings/durable-object.js';
import { fetchDone, httpEntry, invocationAttributes, pipelineFor, runInvocation, startServerSpan, type ExecutionContextLike, type Pipeline, type WorkerConfig } from './invocation.js';

export type { WorkerConfig } from './invocation.js';

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
    return instrumentClass(handler as unknown as AnyClass, config) as unknown as H;
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
      const entry = httpEntry(p, request);
      return [startServerSpan(p, entry), entry.parent, entry.host];
    },
    (response, span, p) => fetchDone(response, span, p.serverTiming),
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
