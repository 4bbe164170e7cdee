import { numberOption } from '../core/diag.js';
import { toJson } from '../export/otlp-json.js';
import { randomSpanId, randomTraceId } from '../core/ids.js';
import type { Span, SpanProcessor } from '../core/types.js';

export interface SessionOptions {
  /** A session ends after this long without spans (default 15 min). */
  inactivityMs?: number;
  /** A session never lasts longer (default 4 h). */
  maxDurationMs?: number;
  /** localStorage key (default `tracelet:session`). */
  storageKey?: string;
}

interface Stored {
  id: string;
  start: number;
  last: number;
}

/**
 * `session.id` (semantic conventions, https://opentelemetry.io/docs/specs/semconv/general/session/)
 * kept across page loads in localStorage, renewed after inactivity or at a
 * maximum age, and a `browser.page_view.id` new on every load; both are set
 * on every span as it starts. Without storage the session lives for the page.
 */
export function sessionProcessor(options: SessionOptions = {}): SpanProcessor & { sessionId(): string; pageViewId: string } {
  const inactivity = numberOption('session.inactivityMs', options.inactivityMs, 15 * 60_000);
  const maxAge = numberOption('session.maxDurationMs', options.maxDurationMs, 4 * 60 * 60_000);
  const key = options.storageKey ?? 'tracelet:session';
  const pageViewId = randomSpanId();
  let current: Stored | undefined;
  let lastSync = -Infinity;

  /** The session in storage, if it is one: another tab may have renewed it. */
  const stored = (): Stored | undefined => {
    try {
      const s = JSON.parse(localStorage.getItem(key) ?? 'null') as Stored | null;
      if (s && /^[0-9a-f]{32}$/.test(s.id) && Number.isFinite(s.start) && Number.isFinite(s.last)) return s;
    } catch {
      // unreadable or blocked
    }
    return undefined;
  };

  function sessionId(): string {
    const now = Date.now();
    const expired = (s: Stored) => now - s.last > inactivity || now - s.start > maxAge;
    // In step with storage for a few seconds (a clock that went back is not in step).
    const inStep = now >= lastSync && now - lastSync <= 5000;
    if (!current || !inStep || expired(current)) current = stored() ?? current;
    if (!current || expired(current)) current = { id: randomTraceId(), start: now, last: now };
    else {
      current.last = now;
      // Write the activity time at most every few seconds, not on every span.
      if (inStep) return current.id;
    }
    lastSync = now;
    try {
      localStorage.setItem(key, toJson(current));
    } catch {
      // storage blocked: the session lives for this page
    }
    return current.id;
  }

  return Object.assign(
    startProcessor((span) => {
      span.setAttribute('session.id', sessionId());
      span.setAttribute('browser.page_view.id', pageViewId);
    }),
    { pageViewId, sessionId },
  );
}

/** A span processor that only does `onStart` (adds attributes). */
export function startProcessor(onStart: (span: Span) => void): SpanProcessor {
  return { onStart, onEnd() {}, forceFlush: async () => {}, shutdown: async () => {} };
}
