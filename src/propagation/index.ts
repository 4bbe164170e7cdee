export * from './carrier.js';
export { TraceContextInjector, W3CInjector } from './trace-context-inject.js';
export { W3CTraceContextPropagator, parseTraceparent, formatTraceparent, TRACEPARENT_HEADER, TRACESTATE_HEADER, type Traceparent } from './trace-context.js';
export { W3CTraceState, parseTraceState, isValidTraceStateKey, isValidTraceStateValue } from './trace-state.js';
export { W3CBaggagePropagator, Baggage, createBaggage, getBaggage, setBaggage, deleteBaggage, parseBaggage, serializeBaggage, type BaggageEntry } from './baggage.js';
export { B3Propagator, type B3PropagatorOptions } from './b3.js';
export { CompositePropagator, createPropagator, PROPAGATOR_NAMES } from './composite.js';
