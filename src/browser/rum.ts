/**
 * Everything at once, chosen by name: what the script tag uses, and a
 * shorthand for apps that want all of it (their bundle then holds all of it).
 */
import type { ContextManager } from '../core/context.js';
import { warnOnce } from '../core/diag.js';
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
  fetch?: boolean | { resourceTimingWaitMs?: number };
  xhr?: boolean;
  interactions?: boolean | { events?: string[] };
  errors?: boolean | ErrorOptions;
  navigation?: boolean | { settleMs?: number };
  session?: boolean | SessionOptions;
  documentLoad?: boolean;
  webVitals?: boolean;
  /** Off unless asked: `{ sampleRate: 0.1 }`. */
  resourceTiming?: boolean | { sampleRate?: number };
}

export const RUM_NAMES = ['fetch', 'xhr', 'interactions', 'errors', 'navigation', 'session', 'documentLoad', 'webVitals', 'resourceTiming'] as const;

/** All instrumentations, each on unless `false` (resourceTiming off unless set). */
export function rumInstrumentations(select: RumSelection = {}): BrowserInstrumentation[] {
  const on = <T>(v: boolean | T | undefined, byDefault = true): T | undefined =>
    v === false || (v === undefined && !byDefault) ? undefined : ((typeof v === 'object' ? v : {}) as T);
  const out: BrowserInstrumentation[] = [];
  const add = <T>(v: boolean | T | undefined, make: (o: T) => BrowserInstrumentation, byDefault = true) => {
    const o = on(v, byDefault);
    if (o) out.push(make(o));
  };
  add(select.session, sessionInstrumentation);
  add(select.navigation, navigationInstrumentation);
  add(select.interactions, interactionsInstrumentation);
  add(select.errors, errorsInstrumentation);
  add(select.documentLoad, documentLoadInstrumentation);
  add(select.resourceTiming, resourceTimingInstrumentation, false);
  add(select.webVitals, webVitalsInstrumentation);
  add(select.fetch, fetchInstrumentation);
  add(select.xhr, xhrInstrumentation);
  return out;
}

/** `'auto'`: zone.js if loaded, then native AsyncContext, then the synchronous stack. */
export function autoContextManager(choice: 'auto' | 'zone' | 'async-context' | 'sync' = 'auto'): ContextManager {
  if (choice === 'zone' || (choice === 'auto' && getZone())) {
    if (getZone()) return new ZoneContextManager();
    warnOnce('no-zone', 'contextManager "zone" needs zone.js loaded before tracelet; using the synchronous context manager');
  }
  if (choice === 'async-context' || choice === 'auto') {
    const storage = nativeAsyncContext();
    if (storage) return new AsyncContextManager(storage);
    if (choice === 'async-context') warnOnce('no-async-context', 'this browser has no AsyncContext; using the synchronous context manager');
  }
  if (!['auto', 'zone', 'async-context', 'sync'].includes(choice)) {
    throw new TypeError(`tracelet: contextManager must be 'auto', 'zone', 'async-context', 'sync' or a ContextManager, got ${String(choice)}`);
  }
  return new SyncContextManager();
}
