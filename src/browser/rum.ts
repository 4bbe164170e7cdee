/**
 * Everything at once, chosen by name: what the script tag uses, and a
 * shorthand for apps that want all of it (their bundle then holds all of it).
 */
import type { TextMapPropagator } from '../propagation/carrier.js';
import type { ContextManager } from '../core/context.js';
import { DEV } from '../core/dev.js';
import { fail, warnOnce } from '../core/diag.js';
import { resourceTimingDetails } from './lib/resource-timing.js';
import { SyncContextManager } from '../core/sync-context-manager.js';
import { AsyncContextManager, nativeAsyncContext } from '../context/async-context.js';
import { ZoneContextManager, getZone } from '../context/zone.js';
import type { ErrorOptions } from './errors.js';
import {
  documentLoadInstrumentation,
  errorsInstrumentation,
  fetchInstrumentation,
  interactionsInstrumentation,
  navigationInstrumentation,
  resourceTimingInstrumentation,
  sessionInstrumentation,
  webVitalsInstrumentation,
  xhrInstrumentation,
  type BrowserInstrumentation,
} from './instrumentations.js';
import type { SessionOptions } from './session.js';

export interface RumSelection {
  /** On with Resource Timing details; `resourceTimingWaitMs` is how long a span waits for its entry (default 1000). */
  fetch?: boolean | { resourceTimingWaitMs?: number };
  xhr?: boolean | { resourceTimingWaitMs?: number };
  interactions?: boolean | { events?: string[] };
  errors?: boolean | ErrorOptions;
  navigation?: boolean | { settleMs?: number };
  session?: boolean | SessionOptions;
  documentLoad?: boolean | { propagator?: TextMapPropagator };
  webVitals?: boolean;
  /** Off unless asked: `{ sampleRate: 0.1 }`. */
  resourceTiming?: boolean | { sampleRate?: number };
}

export const RUM_NAMES = ['fetch', 'xhr', 'interactions', 'errors', 'navigation', 'session', 'documentLoad', 'webVitals', 'resourceTiming'] as const;

// In the order of RUM_NAMES. Navigation says `first`, so it installs before fetch and XHR ask it for parents.
const MAKERS: ((options: never) => BrowserInstrumentation)[] = [
  (o: { resourceTimingWaitMs?: number }) => fetchInstrumentation({ details: resourceTimingDetails({ waitMs: o.resourceTimingWaitMs }) }),
  (o: { resourceTimingWaitMs?: number }) => xhrInstrumentation({ details: resourceTimingDetails({ waitMs: o.resourceTimingWaitMs }) }),
  interactionsInstrumentation,
  errorsInstrumentation,
  navigationInstrumentation,
  sessionInstrumentation,
  documentLoadInstrumentation,
  webVitalsInstrumentation,
  resourceTimingInstrumentation,
];

/** All instrumentations, each on unless `false` (resourceTiming off unless set). */
export function rumInstrumentations(select: RumSelection = {}): BrowserInstrumentation[] {
  return RUM_NAMES.flatMap((name, i) => {
    const v = select[name];
    return v === false || v === null || (v === undefined && name === 'resourceTiming') ? [] : [MAKERS[i]!((typeof v === 'object' ? v : {}) as never)];
  });
}

const CHOICES = ['auto', 'zone', 'async-context', 'sync'];

/** zone.js if loaded, then native AsyncContext, then the synchronous stack: `autoContextManager('auto')`, and the script tag's. */
export function pickContextManager(): ContextManager {
  if (getZone()) return new ZoneContextManager();
  const storage = nativeAsyncContext();
  return storage ? new AsyncContextManager(storage) : new SyncContextManager();
}

/** `'auto'`: zone.js if loaded, then native AsyncContext, then the synchronous stack. */
export function autoContextManager(choice: 'auto' | 'zone' | 'async-context' | 'sync' = 'auto'): ContextManager {
  if (!CHOICES.includes(choice)) fail('E14', DEV && `autoContextManager() takes ${CHOICES.join(', ')}, got ${String(choice)}`, choice);
  if (choice === 'auto') return pickContextManager();
  if (choice === 'zone') {
    if (getZone()) return new ZoneContextManager();
    warnOnce('W15', DEV && 'contextManager "zone" needs zone.js loaded before tracelet; using the synchronous context manager');
  }
  if (choice === 'async-context') {
    const storage = nativeAsyncContext();
    if (storage) return new AsyncContextManager(storage);
    warnOnce('W16', DEV && 'this browser has no AsyncContext; using the synchronous context manager');
  }
  return new SyncContextManager();
}
