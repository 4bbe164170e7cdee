import type { Attributes } from '../core/types.js';
import { DEV } from '../core/dev.js';
import { warnOnce } from '../core/diag.js';
import { SAMPLER_NAMES } from '../core/sampler.js';
import { PROPAGATOR_NAMES } from '../propagation/names.js';

/**
 * Configuration from the OpenTelemetry environment variables, read from the
 * Worker's `env` bindings (vars and secrets)
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/,
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/).
 */
export interface EnvConfig {
  serviceName?: string;
  endpoint?: string;
  headers?: Record<string, string>;
  sampler?: string;
  samplerArg?: string;
  resource?: Attributes;
  propagators?: string;
}

function str(env: Record<string, unknown>, key: string): string | undefined {
  const v = env[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/**
 * `k1=v1,k2=v2` with percent-encoded values (the W3C Baggage format the spec
 * uses). A value that fails percent-decoding is `undefined`.
 */
export function parseKeyValueList(list: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const pair of list.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    let value: string | undefined;
    try {
      value = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      value = undefined;
    }
    if (key) out[key] = value;
  }
  return out;
}

// An invalid value is reported once and the default used, never tracing off
// (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#parsing-empty-value).
const invalid = (name: string, value: string, fallback: string) => warnOnce('W35', DEV && `${name}: invalid value "${value}" ignored; ${fallback}`, `${name}=${value}`);

// RFC 9110 section 5.1 (field names are tokens) and 5.5 (field values: visible ASCII, obs-text, SP, HTAB).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function headersFrom(name: string, list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseKeyValueList(list))) {
    if (value !== undefined && HEADER_NAME.test(key) && HEADER_VALUE.test(value)) out[key] = value;
    else invalid(name, `${key}=…`, 'that header is not sent');
  }
  return out;
}

/** Enum values are case-insensitive (spec: "Enum values"); a bad ratio falls back to 1. */
function samplerFrom(config: EnvConfig, name: string | undefined, arg: string | undefined): void {
  if (name) {
    const lower = name.toLowerCase();
    if ((SAMPLER_NAMES as readonly string[]).includes(lower)) config.sampler = lower;
    else invalid('OTEL_TRACES_SAMPLER', name, 'using parentbased_always_on');
  }
  if (arg) {
    const ratio = Number(arg);
    if (ratio >= 0 && ratio <= 1) config.samplerArg = arg;
    else invalid('OTEL_TRACES_SAMPLER_ARG', arg, 'using the ratio 1.0');
  }
}

/** Known names only; unknown ones are reported and skipped, and with none known the default applies. */
function propagatorsFrom(list: string): string | undefined {
  const names = list.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  const known = names.filter((n) => (PROPAGATOR_NAMES as readonly string[]).includes(n));
  for (const n of names) if (!known.includes(n)) invalid('OTEL_PROPAGATORS', n, 'skipped');
  return known.length ? known.join(',') : undefined;
}

export function configFromEnv(env: unknown): EnvConfig {
  const e = (env && typeof env === 'object' ? env : {}) as Record<string, unknown>;
  const config: EnvConfig = {};
  const resource = str(e, 'OTEL_RESOURCE_ATTRIBUTES');
  if (resource) {
    const attributes = parseKeyValueList(resource);
    // A decoding failure discards the whole variable (resource SDK spec, "Specifying resource information via an environment variable").
    if (Object.values(attributes).includes(undefined)) invalid('OTEL_RESOURCE_ATTRIBUTES', resource, 'a value fails percent-decoding');
    else config.resource = attributes as Attributes;
  }
  // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES.
  const serviceName = str(e, 'OTEL_SERVICE_NAME') ?? (config.resource?.['service.name'] as string | undefined);
  if (serviceName) config.serviceName = serviceName;
  // The signal-specific endpoint is used as is; the generic one gets /v1/traces appended.
  const traces = str(e, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = str(e, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint = traces || (base && base.replace(/\/+$/, '') + '/v1/traces');
  // An endpoint that is no http(s) URL (`otel-collector:4318`) would fail createTracing and turn tracing off.
  if (endpoint && /^https?:\/\/[^/]/i.test(endpoint)) config.endpoint = endpoint;
  else if (endpoint) invalid(traces ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT', traces || base!, 'using the default endpoint');
  const headersName = str(e, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') ? 'OTEL_EXPORTER_OTLP_TRACES_HEADERS' : 'OTEL_EXPORTER_OTLP_HEADERS';
  const headers = str(e, headersName);
  if (headers) config.headers = headersFrom(headersName, headers);
  samplerFrom(config, str(e, 'OTEL_TRACES_SAMPLER'), str(e, 'OTEL_TRACES_SAMPLER_ARG'));
  const propagators = str(e, 'OTEL_PROPAGATORS');
  const known = propagators && propagatorsFrom(propagators);
  if (known) config.propagators = known;
  return config;
}
