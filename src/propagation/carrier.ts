/**
 * Carriers: where propagators read and write headers. The shapes match
 * `@opentelemetry/api` (`TextMapGetter`, `TextMapSetter`, `TextMapPropagator`),
 * so OpenTelemetry getters, setters and propagators plug in unchanged.
 *
 * The default getter and setter understand every carrier tracelet meets:
 * fetch `Headers` (browser, Workers, Node), plain objects with header names in
 * any letter case, and Node's `IncomingHttpHeaders` whose values may be arrays.
 */
import type { Context } from '../core/context.js';

/** Reads headers from a carrier. `get` may return several values for one header. */
export interface TextMapGetter<Carrier = unknown> {
  keys(carrier: Carrier): string[];
  get(carrier: Carrier, key: string): string | string[] | undefined;
}

/** Writes one header into a carrier. */
export interface TextMapSetter<Carrier = unknown> {
  set(carrier: Carrier, key: string, value: string): void;
}

/**
 * Moves a context across a process boundary. `inject` writes headers for the
 * context; `extract` returns a new context built from headers. Neither throws.
 */
export interface TextMapPropagator {
  inject<C>(context: Context, carrier: C, setter?: TextMapSetter<C>): void;
  extract<C>(context: Context, carrier: C, getter?: TextMapGetter<C>): Context;
  /** The header names this propagator writes (for CORS allow-lists, or clearing a reused carrier). */
  fields(): string[];
}

/** The structural part of fetch `Headers` we use (also fits a `Map<string, string>`). */
interface HeadersLike {
  get(name: string): unknown;
  set(name: string, value: string): void;
  keys?(): Iterable<unknown>;
}

// Detect fetch `Headers` by shape, never by `instanceof Headers`: the global
// does not exist in every runtime, and a polyfill's class is a different one.
function isRecord(carrier: unknown): carrier is Record<string, unknown> {
  return typeof carrier === 'object' && carrier !== null;
}

function isHeadersLike(carrier: unknown): carrier is HeadersLike {
  return isRecord(carrier) && typeof carrier.get === 'function' && typeof carrier.set === 'function';
}

/** A header value as a string or a list of strings; anything else (numbers, null, objects) is no value. */
function asHeaderValue(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const strings = value.filter((v): v is string => typeof v === 'string');
    return strings.length > 0 ? strings : undefined;
  }
  return undefined;
}

function recordGet(carrier: Record<string, unknown>, key: string): string | string[] | undefined {
  // Header names are case-insensitive (https://www.rfc-editor.org/rfc/rfc9110#section-5.1)
  // and the W3C specs say to accept any case, so a plain object may hold
  // `TraceParent`, or even two spellings of one header: collect all, in order.
  const wanted = key.toLowerCase();
  let found: string | string[] | undefined;
  let values: string[] | undefined;
  for (const name of Object.keys(carrier)) {
    if (name.toLowerCase() !== wanted) continue;
    const value = asHeaderValue(carrier[name]);
    if (value === undefined) continue;
    if (found === undefined) {
      found = value;
      continue;
    }
    values ??= typeof found === 'string' ? [found] : [...found];
    if (typeof value === 'string') values.push(value);
    else values.push(...value);
  }
  return values ?? found;
}

function headersGet(carrier: HeadersLike, key: string): string | string[] | undefined {
  // fetch Headers joins repeated headers with ", " (https://fetch.spec.whatwg.org/#concept-header-list-get);
  // propagators decide per header whether such a combined value is valid.
  return asHeaderValue(carrier.get(key));
}

function headersKeys(carrier: HeadersLike): string[] {
  if (typeof carrier.keys !== 'function') return [];
  const keys: string[] = [];
  for (const key of carrier.keys()) if (typeof key === 'string') keys.push(key);
  return keys;
}

/**
 * Reads fetch `Headers`, plain objects (any letter case) and Node header
 * objects (array values). Never throws: a hostile carrier reads as empty.
 */
export const defaultGetter: TextMapGetter<unknown> = {
  keys(carrier) {
    try {
      if (isHeadersLike(carrier)) return headersKeys(carrier);
      if (isRecord(carrier)) return Object.keys(carrier);
    } catch {
      // A throwing getter or proxy must not break the request being traced.
    }
    return [];
  },
  get(carrier, key) {
    try {
      if (isHeadersLike(carrier)) return headersGet(carrier, key);
      if (isRecord(carrier)) return recordGet(carrier, key);
    } catch {
      // see keys()
    }
    return undefined;
  },
};

/**
 * Writes into fetch `Headers` (`set`, replacing) or a plain object. On a plain
 * object any other spelling of the same header is removed first, so the carrier
 * never ends up with both `TraceParent` and `traceparent`.
 */
export const defaultSetter: TextMapSetter<unknown> = {
  set(carrier, key, value) {
    try {
      if (isHeadersLike(carrier)) {
        carrier.set(key, value);
        return;
      }
      if (!isRecord(carrier)) return;
      const wanted = key.toLowerCase();
      for (const name of Object.keys(carrier)) {
        if (name !== key && name.toLowerCase() === wanted) delete carrier[name];
      }
      carrier[key] = value;
    } catch {
      // Frozen objects, immutable Headers (a Response's), proxies: leave the carrier as it is.
    }
  },
};

/**
 * Reads one header through `getter`, without letting a user getter throw.
 * Returns the value list, in order; `Headers`-style ", " joins are left as one string.
 */
export function readHeader<C>(getter: TextMapGetter<C>, carrier: C, key: string): string[] {
  let value: unknown;
  try {
    value = getter.get(carrier, key);
  } catch {
    return [];
  }
  const normalized = asHeaderValue(value);
  if (normalized === undefined) return [];
  return typeof normalized === 'string' ? [normalized] : normalized;
}

/**
 * Reads a header that must occur once (`traceparent`, `b3`, ...). Several
 * values, whether as an array or joined by a comma, make it absent: a
 * single-valued header sent twice is ambiguous, so nothing is trusted.
 */
export function readSingleHeader<C>(getter: TextMapGetter<C>, carrier: C, key: string): string | undefined {
  const values = readHeader(getter, carrier, key);
  return values.length === 1 ? values[0] : undefined;
}

/** Writes one header through `setter`, without letting a user setter throw. */
export function writeHeader<C>(setter: TextMapSetter<C>, carrier: C, key: string, value: string): void {
  try {
    setter.set(carrier, key, value);
  } catch {
    // Injection is best effort: the request must go out even if a header cannot be set.
  }
}
