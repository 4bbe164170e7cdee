import type { Context } from '../core/context.js';
import { B3Propagator } from './b3.js';
import { W3CBaggagePropagator } from './baggage.js';
import type { TextMapGetter, TextMapPropagator, TextMapSetter } from './carrier.js';
import { W3CTraceContextPropagator } from './trace-context.js';
import { fromNames, PROPAGATOR_NAMES } from './names.js';
import { fail } from '../core/diag.js';
import { DEV } from '../core/dev.js';

export { PROPAGATOR_NAMES };

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

/**
 * A propagator from `OTEL_PROPAGATORS` names: `'tracecontext,baggage'` (the
 * default), `['tracecontext', 'b3multi']`, `'none'`. Throws a TypeError on an
 * unknown name.
 */
export function createPropagator(names: string | readonly string[] = 'tracecontext,baggage'): TextMapPropagator {
  const propagators = fromNames<TextMapPropagator>(
    names,
    {
      tracecontext: () => new W3CTraceContextPropagator(),
      baggage: () => new W3CBaggagePropagator(),
      b3: () => new B3Propagator({ injectEncoding: 'single' }),
      b3multi: () => new B3Propagator({ injectEncoding: 'multi' }),
    },
    (name) => fail('E17', DEV && `unknown propagator "${name}"; use ${PROPAGATOR_NAMES.join(', ')}`, name),
  );
  return new CompositePropagator({ propagators });
}
