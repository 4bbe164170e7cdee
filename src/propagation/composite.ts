// TEMPORARY stand-in until the propagation work lands: tracecontext only.
import type { Context } from '../core/context.js';
import type { TextMapPropagator, TextMapGetter, TextMapSetter } from './carrier.js';
import { W3CTraceContextPropagator } from './trace-context.js';

export function createPropagator(_names: string | string[]): TextMapPropagator {
  const tc = new W3CTraceContextPropagator();
  return {
    inject<C>(context: Context, carrier: C, setter?: TextMapSetter<C>) {
      tc.inject(context, carrier, setter);
    },
    extract<C>(context: Context, carrier: C, getter?: TextMapGetter<C>) {
      return tc.extract(context, carrier, getter);
    },
    fields: () => tc.fields(),
  };
}
