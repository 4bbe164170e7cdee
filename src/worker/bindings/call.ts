import type { Context } from '../../core/context.js';
import { isTracingSuppressed } from '../../core/context.js';
import { getSpan } from '../../core/span-in-context.js';
import { errorMessage } from '../../core/attributes.js';
import { SpanKind, SpanStatusCode, type Attributes, type Span } from '../../core/types.js';
import { OUTBOUND_POLICY_KEY, type OutboundPolicy } from '../policy.js';

/**
 * How a binding module wraps one kind of binding found on `env`:
 * `wrap(value, call)` returns the traced binding, or undefined when `value` is
 * not of its kind. `call()` is the context to trace a call in (the invocation
 * running now). Detection reads the binding's prototype chain only
 * (`declares`), never its members: RPC stubs answer every property.
 */
export type BindingWrapper = (value: object, call: () => Context) => object | undefined;

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
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
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
