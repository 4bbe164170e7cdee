import { ROOT_CONTEXT, type Context } from '../../core/context.js';
import { setSpan } from '../../core/span-in-context.js';
import type { Attributes } from '../../core/types.js';
import type { TextMapPropagator } from '../../propagation/carrier.js';
import { OUTBOUND_POLICY_KEY, type OutboundPolicy } from '../policy.js';
import { bindingCall, declares } from './call.js';

/**
 * `rpc.system.name` of Workers RPC (Durable Object stubs, service bindings to
 * a WorkerEntrypoint). No well-known value names it, and a custom value may be
 * used (https://opentelemetry.io/docs/specs/semconv/registry/attributes/rpc/).
 */
export const RPC_SYSTEM = 'cloudflare_rpc';

/**
 * The RPC attributes of a call, client or server side, in the current
 * conventions (semantic-conventions 1.45 registry): `rpc.system.name`, and
 * `rpc.method`, "the fully-qualified logical name of the method"
 * (`{service}/{method}`). They replace `rpc.system` ("Replaced by
 * `rpc.system.name`") and `rpc.service` ("Value should be included in
 * `rpc.method` which is expected to be a fully-qualified name"), both
 * deprecated in that registry.
 */
export function rpcAttributes(service: string, method: string): Attributes {
  return { 'rpc.system.name': RPC_SYSTEM, 'rpc.method': rpcSpanName(service, method) };
}

/**
 * "The span name MUST be the full RPC method name formatted as
 * `$package.$service/$method`" (v1.37.0 rpc-spans.md#span-name); there is no
 * package. The same string is the fully-qualified `rpc.method`.
 */
export function rpcSpanName(service: string, method: string): string {
  return `${service}/${method}`;
}

/**
 * The key of the trailing argument that carries trace context across an RPC
 * call when the caller opted in (`propagateRpcTo`). Cap'n Proto RPC, which
 * Workers RPC is, has no per-call headers or metadata: an argument is the
 * only thing that crosses. An instrumented callee removes it before the
 * method sees its arguments.
 */
export const RPC_CONTEXT_ARG = '__tracelet';

/** The trailing argument for `context`: `{ __tracelet: { traceparent, tracestate?, baggage? } }`. */
function contextArgument(propagator: TextMapPropagator, context: Context): object {
  const carrier: Record<string, string> = {};
  propagator.inject(context, carrier);
  return { [RPC_CONTEXT_ARG]: carrier };
}

/**
 * Removes a trailing context argument (the last argument, a plain object whose
 * only own key is `__tracelet`) from `args` in place, and returns the context
 * it carries; ROOT_CONTEXT when there is none.
 */
export function takeRpcContext(args: unknown[], propagator: TextMapPropagator): Context {
  const last = args[args.length - 1];
  if (!last || typeof last !== 'object') return ROOT_CONTEXT;
  const proto = Object.getPrototypeOf(last) as unknown;
  if (proto !== Object.prototype && proto !== null) return ROOT_CONTEXT;
  const keys = Object.keys(last);
  const carrier = (last as Record<string, unknown>)[RPC_CONTEXT_ARG];
  if (keys.length !== 1 || keys[0] !== RPC_CONTEXT_ARG || !carrier || typeof carrier !== 'object') return ROOT_CONTEXT;
  args.pop();
  try {
    return propagator.extract(ROOT_CONTEXT, carrier);
  } catch {
    return ROOT_CONTEXT;
  }
}

/**
 * A traced RPC method of a stub: `stub[method]` is a callable, thenable
 * JsRpcProperty, and every property read on it may be a remote call. Calling
 * it through this Proxy makes a CLIENT span around
 * `Reflect.apply(property, stub, args)`, whose result or error reaches the
 * caller unchanged. Reads reach the property itself (`stub.a.b()` is the
 * property's own `b`, untraced), with one exception measured in workerd: a
 * Proxy with an `apply` trap alone breaks `await stub.prop` ("Illegal
 * invocation"), since `await` calls the property's native `then` with the
 * Proxy as `this`. So the methods the JsRpcProperty's class declares (`then`,
 * `catch`, `finally`: local, never remote) are bound to the property itself;
 * no other member is bound or probed.
 */
export function rpcStubMethod(property: Function, stub: object, service: string, method: string, call: () => Context): Function {
  return new Proxy(property, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' && typeof prop === 'string' && declares(target, prop) ? value.bind(target) : value;
    },
    apply(target, _thisArg, args: unknown[]) {
      const context = call();
      return bindingCall(context, rpcSpanName(service, method), rpcAttributes(service, method), (span) => {
        const policy = context.getValue(OUTBOUND_POLICY_KEY) as OutboundPolicy | undefined;
        if (span && policy?.propagateRpcTo?.includes(service)) {
          try {
            args = [...args, contextArgument(policy.propagator, setSpan(context, span))];
          } catch {
            // the call goes out without context
          }
        }
        return Reflect.apply(target, stub, args) as unknown;
      });
    },
  });
}
