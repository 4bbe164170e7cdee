import { numberOption } from './diag.js';

/**
 * Span limits (OpenTelemetry SDK spec, "Span Limits":
 * https://opentelemetry.io/docs/specs/otel/trace/sdk/#span-limits). What is
 * dropped is counted and reported in OTLP `dropped*Count` fields.
 */
export interface SpanLimits {
  /** Attributes per span (default 128). */
  attributeCountLimit?: number;
  /** Longest string attribute value, in UTF-16 code units; longer values are truncated (default: no limit). */
  attributeValueLengthLimit?: number;
  /** Events per span (default 128). */
  eventCountLimit?: number;
  /** Links per span (default 128). */
  linkCountLimit?: number;
  /** Attributes per event (default 128). */
  attributePerEventCountLimit?: number;
  /** Attributes per link (default 128). */
  attributePerLinkCountLimit?: number;
}

export type ResolvedSpanLimits = Required<SpanLimits>;

export const DEFAULT_SPAN_LIMITS: ResolvedSpanLimits = {
  attributeCountLimit: 128,
  attributeValueLengthLimit: Infinity,
  eventCountLimit: 128,
  linkCountLimit: 128,
  attributePerEventCountLimit: 128,
  attributePerLinkCountLimit: 128,
};

export function resolveSpanLimits(limits: SpanLimits | undefined): ResolvedSpanLimits {
  const resolved = { ...DEFAULT_SPAN_LIMITS };
  // Own keys only: for-in would also walk what a page added to Object.prototype.
  for (const k of Object.keys(resolved) as (keyof SpanLimits)[]) {
    resolved[k] = numberOption('spanLimits.' + k, limits?.[k], resolved[k], '>=0');
  }
  return resolved;
}

/** Limits made by `spanLimits()`: checked, so a page bundle can take them without carrying the checks. */
export const CHECKED_LIMITS = new WeakSet<object>();

/**
 * Checked span limits for `startBrowserTracing({ spanLimits })` (an opt-in
 * import there; `createTracing` also takes a plain object).
 *
 * @example
 * import { startBrowserTracing, spanLimits } from 'tracelet/browser';
 * startBrowserTracing({ spanLimits: spanLimits({ attributeValueLengthLimit: 2048 }) });
 */
export function spanLimits(limits: SpanLimits): ResolvedSpanLimits {
  const resolved = resolveSpanLimits(limits);
  CHECKED_LIMITS.add(resolved);
  return resolved;
}
