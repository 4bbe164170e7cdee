import type { AttributeValue, Attributes } from './types.js';

/**
 * Attribute values allowed by the OpenTelemetry common spec
 * (https://opentelemetry.io/docs/specs/otel/common/#attribute): primitives, or
 * homogeneous arrays of one primitive type where null/undefined entries are kept.
 */
export function isAttributeValue(value: unknown): value is AttributeValue {
  const t = typeof value;
  if (t === 'string' || t === 'boolean' || t === 'number') return true;
  if (!Array.isArray(value)) return false;
  let type: string | undefined;
  for (const item of value) {
    if (item === null || item === undefined) continue;
    const it = typeof item;
    if (it !== 'string' && it !== 'number' && it !== 'boolean') return false;
    if (type === undefined) type = it;
    else if (type !== it) return false;
  }
  return true;
}

/**
 * `value` with strings cut to `max` UTF-16 code units; arrays are always
 * copied, so later mutation by the caller changes nothing, and holes become
 * undefined (sent as empty values: JSON would make them null, which OTLP rejects).
 */
export function truncate(value: AttributeValue, max: number): AttributeValue {
  return (Array.isArray(value) ? Array.from(value as unknown[], (v) => cut(v, max)) : cut(value, max)) as AttributeValue;
}

function cut(v: unknown, max: number): unknown {
  if (typeof v != 'string' || v.length <= max) return v;
  // Never keep half of a surrogate pair: a lone half is not valid UTF-8 on the wire.
  const c = v.charCodeAt(max - 1);
  return v.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

/** `String(value)`, or '' for what cannot be converted (a null-prototype object, a throwing toString). */
export function toText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '';
  }
}

/**
 * The message of a thrown value (its `message`, else the value itself) as
 * text, for a span status or a diagnostic; undefined when it has no string
 * form. Never throws: the host must get the value it threw, not our TypeError
 * (`throw Object.create(null)`, a throwing getter).
 */
export function errorMessage(error: unknown): string | undefined {
  try {
    return String((error as { message?: unknown })?.message ?? error);
  } catch {
    return undefined;
  }
}

/** A fresh attribute map without a prototype, so keys like `__proto__` or `toString` are plain keys. */
export function newAttributes(): Attributes {
  return Object.create(null) as Attributes;
}

/**
 * Copies the own keys of `source` into `target`, adding at most `countLimit` new keys. Returns
 * how many new keys were dropped for the count limit. Invalid values are
 * ignored (as the spec says), not counted as dropped; arrays are copied so
 * later mutation by the caller cannot change a recorded span. `target` must
 * come from `newAttributes()`.
 */
export function addAttributes(target: Attributes, source: Attributes | undefined, countLimit: number, lengthLimit: number): number {
  let count = 0;
  let dropped = 0;
  if (!source) return dropped;
  // Own keys only (as setAttributes): an enumerable Object.prototype member is no attribute.
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (key === '' || !isAttributeValue(value)) continue;
    if (!(key in target)) {
      if (count >= countLimit) {
        dropped++;
        continue;
      }
      count++;
    }
    target[key] = truncate(value, lengthLimit);
  }
  return dropped;
}
