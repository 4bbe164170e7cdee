import type { Context } from '../core/context.js';
import { B3Propagator } from './b3.js';
import { W3CBaggagePropagator } from './baggage.js';
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from './carrier.js';
import { W3CTraceContextPropagator } from './trace-context.js';

/**
 * Runs several propagators: `inject` calls each; `extract` calls each in order,
 * so a later one wins where both set the span (OpenTelemetry's behaviour).
 */
export class CompositePropagator implements TextMapPropagator {
  readonly #propagators: readonly TextMapPropagator[];
  constructor(options: { propagators?: TextMapPropagator[] } = {}) {
    this.#propagators = options.propagators ?? [];
  }
  inject<C>(context: Context, carrier: C, setter?: TextMapSetter<C>): void {
    for (const p of this.#propagators) {
      try {
        p.inject(context, carrier, setter);
      } catch {
        // one broken propagator must not stop the others
      }
    }
  }
  extract<C>(context: Context, carrier: C, getter?: TextMapGetter<C>): Context {
    let ctx = context;
    for (const p of this.#propagators) {
      try {
        ctx = p.extract(ctx, carrier, getter);
      } catch {
        // same
      }
    }
    return ctx;
  }
  fields(): string[] {
    return [...new Set(this.#propagators.flatMap((p) => p.fields()))];
  }
}

/** The `OTEL_PROPAGATORS` names (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#general-sdk-configuration). */
export const PROPAGATOR_NAMES = ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'] as const;

/**
 * A propagator from `OTEL_PROPAGATORS` names: `'tracecontext,baggage'` (the
 * default), `['tracecontext', 'b3multi']`, `'none'`. Throws a TypeError on an
 * unknown name.
 */
export function createPropagator(names: string | readonly string[] = 'tracecontext,baggage'): TextMapPropagator {
  const list = (typeof names === 'string' ? names.split(',') : [...names]).map((n) => String(n).trim().toLowerCase()).filter(Boolean);
  const propagators: TextMapPropagator[] = [];
  for (const name of new Set(list)) {
    switch (name) {
      case 'tracecontext':
        propagators.push(new W3CTraceContextPropagator());
        break;
      case 'baggage':
        propagators.push(new W3CBaggagePropagator());
        break;
      case 'b3':
        propagators.push(new B3Propagator({ injectEncoding: 'single' }));
        break;
      case 'b3multi':
        propagators.push(new B3Propagator({ injectEncoding: 'multi' }));
        break;
      case 'none':
        break;
      default:
        throw new TypeError(`tracelet: unknown propagator "${name}"; use ${PROPAGATOR_NAMES.join(', ')}`);
    }
  }
  if (list.includes('none')) propagators.length = 0;
  return new CompositePropagator({ propagators });
}
