import type { Context } from '../../core/context.js';
import { isTracingSuppressed } from '../../core/context.js';
import { getSpan } from '../../core/span-in-context.js';
import { SpanKind, type Attributes, type Span } from '../../core/types.js';
import { recordClientError } from '../../http/client-attributes.js';
import { OUTBOUND_POLICY_KEY, type OutboundPolicy } from '../policy.js';

/**
 * How a binding module wraps one kind of binding found on `env`:
 * `wrap(value, call, name)` returns the traced binding, or undefined when
 * `value` is not of its kind. `call()` is the context to trace a call in (the
 * invocation running now); `name` is the env key the binding was read under
 * (`db.namespace`, `messaging.destination.name`), when known. Detection reads
 * the binding's prototype chain only (`declares`), never its members: RPC
 * stubs answer every property.
 */
export type BindingWrapper = (value: object, call: () => Context, name?: string) => object | undefined;

/** Whether `obj`'s class declares every one of `names` (`declares`). */
export const declaresAll = (obj: object, names: string): boolean => names.split(' ').every((name) => declares(obj, name));

/**
 * `target` behind a Proxy whose methods named in `traced` (space separated)
 * call `trace(name, args, run)`, where `run()` calls the original with
 * `target` as `this` and the same arguments. Other methods are bound to
 * `target` (native bindings check their receiver); anything else is handed
 * back as read. Only for bindings detected by their class: never an RPC stub.
 */
export function wrapMethods<T extends object>(target: T, traced: string, trace: (name: string, args: unknown[], run: () => unknown) => unknown): T {
  const names = traced.split(' ');
  return new Proxy(target, {
    get(t, p) {
      const value = Reflect.get(t, p) as unknown;
      if (typeof value !== 'function') return value;
      if (typeof p === 'string' && names.includes(p)) return (...args: unknown[]) => trace(p, args, () => Reflect.apply(value, t, args));
      return value.bind(t) as unknown;
    },
  });
}

/** Whether `obj`'s class really declares `name` (own or prototype-chain property), without touching RPC magic. */
export function declares(obj: object, name: string): boolean {
  for (let o: object | null = obj; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    if (Object.getOwnPropertyNames(o).includes(name)) return true;
  }
  return false;
}

/**
 * Runs `fn()` as a binding call: a span (CLIENT unless told) child of the
 * invocation's span in `context`, ended when the returned promise settles,
 * ERROR when it rejects or `fn` throws. What `fn` returns or throws reaches
 * the caller unchanged (a stream is never read); `fn` gets the span when
 * there is one (to propagate its context); `done` may add attributes
 * from the result (hit/miss, row counts) and must not consume it.
 * Outside an instrumented invocation `fn` runs untraced.
 */
export function bindingCall<T>(
  context: Context,
  name: string,
  attributes: Attributes,
  fn: (span?: Span) => T,
  done?: (result: Awaited<T>, span: Span) => void,
  kind: SpanKind = SpanKind.CLIENT,
): T {
  const policy = context.getValue(OUTBOUND_POLICY_KEY) as OutboundPolicy | undefined;
  if (!policy || !getSpan(context) || isTracingSuppressed(context)) return fn();
  let span: Span;
  try {
    span = policy.tracer.startSpan(name, { kind, attributes }, context);
  } catch {
    return fn();
  }
  const fail = (error: unknown) => {
    try {
      // "error.type ... Conditionally Required if and only if the operation failed"
      // (https://opentelemetry.io/docs/specs/semconv/database/database-spans/#common-attributes).
      recordClientError(span, error);
      span.end();
    } catch {
      // never break the call
    }
  };
  let result: T;
  try {
    result = fn(span);
  } catch (error) {
    fail(error);
    throw error;
  }
  const end = (value: Awaited<T>) => {
    try {
      done?.(value, span);
    } catch {
      // attributes are best effort
    }
    span.end();
  };
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    // Observed on a side branch: the caller gets the very promise the binding returned.
    (result as unknown as Promise<Awaited<T>>).then(end, fail);
    return result;
  }
  end(result as Awaited<T>);
  return result;
}
