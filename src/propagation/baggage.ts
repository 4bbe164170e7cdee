/**
 * W3C Baggage (https://www.w3.org/TR/baggage/): application key/values that
 * travel with the trace, in the `baggage` header.
 */
import { createContextKey, isTracingSuppressed, type Context } from '../core/context.js';
import { defaultGetter, defaultSetter, readHeader, writeHeader, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from './carrier.js';
import { trimOws } from './ows.js';
import { toText } from '../core/attributes.js';

export const BAGGAGE_HEADER = 'baggage';
/** "A platform MUST propagate all list-members up to at least 64" (https://www.w3.org/TR/baggage/#limits). */
export const BAGGAGE_MAX_MEMBERS = 64;
/** "...and up to at least 8192 bytes" in total (https://www.w3.org/TR/baggage/#limits). */
export const BAGGAGE_MAX_BYTES = 8192;

export interface BaggageEntry {
  value: string;
  /** The member's properties as written after the first `;` (e.g. `ttl=30;secure`). */
  metadata?: string;
}

/** Immutable baggage, shaped like `@opentelemetry/api`'s `Baggage`. */
export class Baggage {
  readonly #entries: ReadonlyMap<string, BaggageEntry>;
  constructor(entries?: Iterable<readonly [string, BaggageEntry]>) {
    this.#entries = new Map(entries ?? []);
  }
  getEntry(key: string): BaggageEntry | undefined {
    return this.#entries.get(key);
  }
  getAllEntries(): [string, BaggageEntry][] {
    return [...this.#entries].map(([k, v]) => [k, { ...v }]);
  }
  setEntry(key: string, entry: BaggageEntry): Baggage {
    const next = new Map(this.#entries);
    next.set(key, { ...entry, value: String(entry.value) });
    return new Baggage(next);
  }
  removeEntry(key: string): Baggage {
    return this.removeEntries(key);
  }
  removeEntries(...keys: string[]): Baggage {
    const next = new Map(this.#entries);
    for (const k of keys) next.delete(k);
    return new Baggage(next);
  }
  clear(): Baggage {
    return new Baggage();
  }
}

/** Baggage from `{ key: 'value' }` or `{ key: { value, metadata } }`. */
export function createBaggage(entries: Record<string, string | BaggageEntry> = {}): Baggage {
  return new Baggage(Object.entries(entries).map(([k, v]) => [k, typeof v === 'string' ? { value: v } : { ...v }] as const));
}

/** `@opentelemetry/api`'s own baggage key, for the same reason as the span key (core/span-in-context.ts). */
const BAGGAGE_KEY = createContextKey('OpenTelemetry Baggage Key');

export function getBaggage(context: Context): Baggage | undefined {
  return context.getValue(BAGGAGE_KEY) as Baggage | undefined;
}
export function setBaggage(context: Context, baggage: Baggage): Context {
  return context.setValue(BAGGAGE_KEY, baggage);
}
export function deleteBaggage(context: Context): Context {
  return context.deleteValue(BAGGAGE_KEY);
}

// key = token (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2), https://www.w3.org/TR/baggage/#key
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// value = *baggage-octet, baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
// (https://www.w3.org/TR/baggage/#value): printable ASCII but space, '"', ',', ';', '\'.
const VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/** Percent-decodes a value; a malformed escape leaves the value as received (never throws). */
function decodeValue(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

// Any code point but baggage-octet (see VALUE) and `%` itself; `u` takes a
// surrogate pair as one code point.
const UNSAFE = /[^\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/gu;

/**
 * Percent-encodes every character outside baggage-octet, and `%` itself, as
 * UTF-8 (https://www.w3.org/TR/baggage/#value: "Any code points outside of the
 * baggage-octet range MUST be percent-encoded"). encodeURIComponent leaves
 * only `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as they are, all of them baggage-octets
 * that never reach it, so what it returns is fully encoded. A lone surrogate
 * makes it throw, as before: the caller then sends no baggage.
 */
function encodeValue(value: string): string {
  return value.replace(UNSAFE, encodeURIComponent);
}

/** One list-member: `key OWS "=" OWS value *( OWS ";" OWS property )`, or undefined if invalid. */
function parseMember(raw: string): readonly [string, BaggageEntry] | undefined {
  const semi = raw.indexOf(';');
  const kv = semi < 0 ? raw : raw.slice(0, semi);
  const eq = kv.indexOf('=');
  if (eq < 0) return undefined;
  const key = trimOws(kv.slice(0, eq));
  const value = trimOws(kv.slice(eq + 1));
  if (!TOKEN.test(key) || !VALUE.test(value)) return undefined;
  const entry: BaggageEntry = { value: decodeValue(value) };
  if (semi >= 0) {
    const metadata = raw
      .slice(semi + 1)
      .split(';')
      .map(trimOws)
      .filter((p) => p.length > 0)
      .join(';');
    if (metadata) entry.metadata = metadata;
  }
  return [key, entry];
}

/**
 * Parses `baggage` header values (several headers combine in order). Invalid
 * members are skipped; parsing stops at 64 members or 8192 bytes, keeping
 * only whole members. A later duplicate key overrides an earlier one.
 */
export function parseBaggage(values: readonly string[]): Baggage {
  const entries = new Map<string, BaggageEntry>();
  let bytes = 0;
  for (const raw of values.join(',').split(',')) {
    if (entries.size >= BAGGAGE_MAX_MEMBERS) break;
    const member = trimOws(raw);
    if (!member) continue;
    bytes += member.length + (bytes > 0 ? 1 : 0);
    if (bytes > BAGGAGE_MAX_BYTES) break;
    const parsed = parseMember(member);
    if (parsed) entries.set(parsed[0], parsed[1]);
  }
  return new Baggage(entries);
}

/**
 * The header value for `baggage`: whole members only, at most 64 and 8192
 * bytes; a member that would cross a limit is left out, never cut.
 */
export function serializeBaggage(baggage: Baggage): string {
  const members: string[] = [];
  let bytes = 0;
  for (const [key, entry] of baggage.getAllEntries()) {
    if (members.length >= BAGGAGE_MAX_MEMBERS) break;
    if (!TOKEN.test(key)) continue;
    // Properties go out as given only when they cannot break the header: printable ASCII, no member separator.
    const properties = entry.metadata ? toText(entry.metadata) : '';
    const member = `${key}=${encodeValue(entry.value)}${/^[\x20-\x2b\x2d-\x7e]+$/.test(properties) ? ';' + properties : ''}`;
    const size = member.length + (members.length > 0 ? 1 : 0); // ASCII after encoding: characters are bytes
    if (bytes + size > BAGGAGE_MAX_BYTES) continue;
    members.push(member);
    bytes += size;
  }
  return members.join(',');
}

/**
 * Writes the context's baggage as the `baggage` header (nothing when tracing is
 * suppressed or there is none). Never throws. Shared by `W3CBaggagePropagator`
 * and the inject-only `W3CInjector`, which must not carry the parser.
 */
export function injectBaggage<C>(context: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter): void {
  try {
    if (isTracingSuppressed(context)) return;
    const baggage = getBaggage(context);
    if (!baggage) return;
    const value = serializeBaggage(baggage);
    if (value) writeHeader(setter, carrier, BAGGAGE_HEADER, value);
  } catch {
    // best effort
  }
}

/**
 * Propagates W3C Baggage.
 *
 * @example
 * const ctx = propagation.setBaggage(context.active(), createBaggage({ 'user.tier': 'gold' }));
 * new W3CBaggagePropagator().inject(ctx, headers); // baggage: user.tier=gold
 */
export class W3CBaggagePropagator implements TextMapPropagator {
  inject<C>(context: Context, carrier: C, setter: TextMapSetter<C> = defaultSetter): void {
    injectBaggage(context, carrier, setter);
  }

  extract<C>(context: Context, carrier: C, getter: TextMapGetter<C> = defaultGetter): Context {
    try {
      const values = readHeader(getter, carrier, BAGGAGE_HEADER);
      if (values.length === 0) return context;
      const baggage = parseBaggage(values);
      return baggage.getAllEntries().length > 0 ? setBaggage(context, baggage) : context;
    } catch {
      return context;
    }
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
