/**
 * Parsing a W3C Trace Context Level 2 `traceparent` value, on its own so code
 * that only needs the parent (documentLoad's Server-Timing and meta tag) does
 * not carry the tracestate parser. https://www.w3.org/TR/trace-context-2/
 */
import { isValidSpanId, isValidTraceId } from '../core/ids.js';
import { trimOws } from './ows.js';
import { KNOWN_FLAGS } from './trace-context-inject.js';

/** `00-` + 32 + `-` + 16 + `-` + 2: the length of a version-00 value. */
const VERSION_00_LENGTH = 55;
// https://www.w3.org/TR/trace-context-2/#traceparent-header-field-values:
// lower-case hex only (HEXDIGLC), fields separated by "-".
const VERSION_00_FORMAT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** A parsed `traceparent` value. */
export interface Traceparent {
  /** Two lower-case hex digits; `00` for this spec, higher for future versions. */
  version: string;
  traceId: string;
  spanId: string;
  /** Only the bits defined by Level 2 (sampled, random); others are zeroed. */
  traceFlags: number;
}

/**
 * Parses a `traceparent` value; undefined when it is invalid. Never throws.
 *
 * - version is 2 lower-case hex digits followed by "-", and `ff` is invalid
 *   (https://www.w3.org/TR/trace-context-2/#version).
 * - version `00` is exactly `00-<32 hex>-<16 hex>-<2 hex>`.
 * - a higher version is parsed by the version-00 layout of its first 55
 *   characters, which must be the whole value or be followed by "-"; the
 *   fields after that are ignored
 *   (https://www.w3.org/TR/trace-context-2/#versioning-of-traceparent).
 * - an all-zero trace-id or parent-id is invalid
 *   (https://www.w3.org/TR/trace-context-2/#trace-id, https://www.w3.org/TR/trace-context-2/#parent-id).
 * - flag bits other than sampled and random are "reserved for future use.
 *   Vendors MUST set those to zero" (https://www.w3.org/TR/trace-context-2/#other-flags):
 *   they are zeroed, not treated as an error.
 *
 * @example
 * parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
 * // { version: '00', traceId: '4bf9...', spanId: '00f0...', traceFlags: 1 }
 */
export function parseTraceparent(value: unknown): Traceparent | undefined {
  if (typeof value !== 'string') return undefined;
  // A carrier that did not go through an HTTP parser may keep whitespace
  // around the value (https://www.rfc-editor.org/rfc/rfc9110#section-5.5).
  const header = trimOws(value);
  if (header.length < VERSION_00_LENGTH) return undefined;
  const version = header.slice(0, 2);
  if (version === 'ff') return undefined;
  if (version === '00' ? header.length !== VERSION_00_LENGTH : header.length > VERSION_00_LENGTH && header[VERSION_00_LENGTH] !== '-') {
    return undefined;
  }
  const match = VERSION_00_FORMAT.exec(header.slice(0, VERSION_00_LENGTH));
  if (!match) return undefined;
  const [, , traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (!isValidTraceId(traceId) || !isValidSpanId(spanId)) return undefined;
  return { version, traceId, spanId, traceFlags: parseInt(flags, 16) & KNOWN_FLAGS };
}
