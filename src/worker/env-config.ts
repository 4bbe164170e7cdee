import type { Attributes } from '../core/types.js';

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

/** `k1=v1,k2=v2` with percent-encoded values (the W3C Baggage format the spec uses). */
export function parseKeyValueList(list: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of list.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // keep as written
    }
    if (key) out[key] = value;
  }
  return out;
}

export function configFromEnv(env: unknown): EnvConfig {
  const e = (env && typeof env === 'object' ? env : {}) as Record<string, unknown>;
  const config: EnvConfig = {};
  const resource = str(e, 'OTEL_RESOURCE_ATTRIBUTES');
  if (resource) config.resource = parseKeyValueList(resource);
  // OTEL_SERVICE_NAME wins over service.name in OTEL_RESOURCE_ATTRIBUTES.
  const serviceName = str(e, 'OTEL_SERVICE_NAME') ?? (config.resource?.['service.name'] as string | undefined);
  if (serviceName) config.serviceName = serviceName;
  // The signal-specific endpoint is used as is; the generic one gets /v1/traces appended.
  const traces = str(e, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = str(e, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (traces) config.endpoint = traces;
  else if (base) config.endpoint = base.replace(/\/+$/, '') + '/v1/traces';
  const headers = str(e, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') ?? str(e, 'OTEL_EXPORTER_OTLP_HEADERS');
  if (headers) config.headers = parseKeyValueList(headers);
  const sampler = str(e, 'OTEL_TRACES_SAMPLER');
  if (sampler) config.sampler = sampler;
  const samplerArg = str(e, 'OTEL_TRACES_SAMPLER_ARG');
  if (samplerArg) config.samplerArg = samplerArg;
  const propagators = str(e, 'OTEL_PROPAGATORS');
  if (propagators) config.propagators = propagators;
  return config;
}
