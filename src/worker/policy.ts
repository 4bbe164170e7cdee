import { createContextKey } from '../core/context.js';
import type { Tracer } from '../core/tracer.js';
import type { TextMapPropagator } from '../propagation/carrier.js';
import type { UrlPattern } from '../http/urls.js';

/** What outbound requests of one invocation need to know; kept in the request's context. */
export interface OutboundPolicy {
  tracer: Tracer;
  propagator: TextMapPropagator;
  /** `'all'` (default), `'none'`, or URL patterns (the request's own host always). */
  propagateTo: 'all' | 'none' | readonly UrlPattern[];
  exporterUrl: string;
  redactQueryParams: readonly string[];
  /** Binding names whose RPC calls carry the trace context as a trailing argument (bindings/rpc.ts). */
  propagateRpcTo?: readonly string[];
  /** Host of the incoming request: same-host calls always get headers. */
  host?: string;
}

export const OUTBOUND_POLICY_KEY = createContextKey('tracelet.worker.outbound');
