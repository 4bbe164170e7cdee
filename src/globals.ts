import type { ContextManager } from './core/context.js';
import type { Tracer } from './core/tracer.js';
import type { TextMapPropagator } from './propagation/carrier.js';

/**
 * The slot the global API (`trace`, `context`, `propagation` in api.ts) reads,
 * on `globalThis[Symbol.for('tracelet.api')]` so two copies of tracelet in one
 * page agree. Pipelines write it without pulling in the API module.
 */
export interface Globals {
  contextManager: ContextManager;
  propagator: TextMapPropagator;
  /** The registered pipeline's tracers; absent until a pipeline registers (`trace.getTracer` spans are then non-recording). */
  getTracer?: (name: string, version?: string) => Tracer;
}

export const GLOBALS_KEY = Symbol.for('tracelet.api');

export function getGlobals(): Globals | undefined {
  return (globalThis as { [GLOBALS_KEY]?: Globals })[GLOBALS_KEY];
}

export function setGlobals(globals: Globals): void {
  (globalThis as { [GLOBALS_KEY]?: Globals })[GLOBALS_KEY] = globals;
}
