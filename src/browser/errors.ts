import { redactHref, type PagePolicy } from './lib/request-policy.js';
import { numberOption } from '../core/diag.js';
import type { Tracer } from '../core/tracer.js';
import { SpanStatusCode } from '../core/types.js';
import { patch } from './lib/patch.js';

export interface ErrorOptions extends PagePolicy {
  /** Also record `console.error` calls (default false). */
  console?: boolean;
  /** At most this many errors per minute (default 10); the rest are counted, not sent. */
  maxPerMinute?: number;
}

/**
 * Uncaught errors and unhandled promise rejections as spans named
 * `exception` with an `exception` event (type, message, stack:
 * https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/),
 * deduplicated (same type, message and stack once per page) and rate-limited.
 */
export function instrumentErrors(tracer: Tracer, options: ErrorOptions = {}): () => void {
  const seen = new Set<string>();
  const max = numberOption('errors.maxPerMinute', options.maxPerMinute, 10, '>=0');
  let windowStart = 0;
  let inWindow = 0;

  function record(error: unknown, source: string): void {
    try {
      const e = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
      const type = typeof e.name === 'string' ? e.name : typeof error === 'string' ? 'Error' : typeof error;
      const message = typeof e.message === 'string' ? e.message : String(error);
      const stack = typeof e.stack === 'string' ? e.stack : '';
      const id = `${type}|${message}|${stack}`;
      if (seen.has(id)) return;
      const now = Date.now();
      if (now - windowStart > 60_000) {
        windowStart = now;
        inWindow = 0;
      }
      if (++inWindow > max) return;
      // Bounded: a long-lived page with ever new messages forgets the oldest rather than grow.
      if (seen.size >= 100) seen.delete(seen.values().next().value!);
      seen.add(id);
      const span = tracer.startSpan('exception', { attributes: { 'exception.source': source, 'url.full': redactHref(location.href.split('#')[0]!, options) }, root: false });
      span.recordException(typeof error === 'object' && error ? error : { name: type, message });
      span.setStatus({ code: SpanStatusCode.ERROR, message });
      span.end();
    } catch {
      // never throw from an error handler
    }
  }

  const onError = (event: ErrorEvent) => record(event.error ?? event.message, 'error');
  const onRejection = (event: PromiseRejectionEvent) => record(event.reason, 'unhandledrejection');
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  const originalConsoleError = console.error;
  const patchedConsoleError = function (this: Console, ...args: unknown[]) {
    try {
      record(args.find((a) => a instanceof Error) ?? args.map(String).join(' '), 'console.error');
    } catch {
      // an argument whose toString throws: the page's console.error still runs
    }
    return originalConsoleError.apply(this, args);
  };
  const unpatch = options.console ? patch(console, 'error', patchedConsoleError) : undefined;
  return () => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
    unpatch?.();
  };
}
