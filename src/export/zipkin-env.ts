import { DEV } from '../core/dev.js';
import { warnOnce } from '../core/diag.js';
import { DEFAULT_ZIPKIN_URL, ZipkinExporter, type ZipkinExporterOptions } from './zipkin-http.js';

const read = (env: Record<string, unknown>, key: string): string | undefined => {
  const v = env[key];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/**
 * The Zipkin exporter the OpenTelemetry environment variables ask for
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#zipkin-exporter,
 * "#exporter-selection"): `{ exporter }` when `OTEL_TRACES_EXPORTER` names
 * `zipkin` (any case, in a comma-separated list), sending to
 * `OTEL_EXPORTER_ZIPKIN_ENDPOINT` (default `http://localhost:9411/api/v2/spans`)
 * with `OTEL_EXPORTER_ZIPKIN_TIMEOUT` milliseconds per request (default
 * 10000); else `{}`, which leaves the exporter as it was (OTLP). An invalid
 * endpoint or timeout is reported once (W50) and the default used.
 * `options` are the exporter's other settings (headers, retry, ...).
 *
 * A config fragment, so it spreads into a Worker config or createTracing's
 * options; a Worker's bundle holds Zipkin code only when it imports this.
 *
 * @example
 * import { instrument } from 'tracelet/worker';
 * import { zipkinFromEnv } from 'tracelet/zipkin';
 * export default instrument(handler, (env) => ({ serviceName: 'shop-edge', ...zipkinFromEnv(env) }));
 */
export function zipkinFromEnv(env: unknown, options: Omit<ZipkinExporterOptions, 'url' | 'timeoutMillis'> = {}): { exporter?: ZipkinExporter } {
  const e = (env && typeof env === 'object' ? env : {}) as Record<string, unknown>;
  const names = (read(e, 'OTEL_TRACES_EXPORTER') ?? '').toLowerCase().split(',').map((n) => n.trim());
  if (!names.includes('zipkin')) return {};
  let url = read(e, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
  // An endpoint that is no http(s) URL would make the exporter throw (E30) and turn tracing off.
  if (url && !/^https?:\/\/[^/]/i.test(url)) {
    warnOnce('W50', DEV && `OTEL_EXPORTER_ZIPKIN_ENDPOINT: invalid value "${url}" ignored; using ${DEFAULT_ZIPKIN_URL}`, `OTEL_EXPORTER_ZIPKIN_ENDPOINT=${url}`);
    url = undefined;
  }
  const timeout = read(e, 'OTEL_EXPORTER_ZIPKIN_TIMEOUT');
  let timeoutMillis: number | undefined = Number(timeout);
  if (timeout === undefined) timeoutMillis = undefined;
  else if (!(timeoutMillis > 0)) {
    warnOnce('W50', DEV && `OTEL_EXPORTER_ZIPKIN_TIMEOUT: invalid value "${timeout}" ignored; using 10000 ms`, `OTEL_EXPORTER_ZIPKIN_TIMEOUT=${timeout}`);
    timeoutMillis = undefined;
  }
  return { exporter: new ZipkinExporter({ ...options, url: url ?? DEFAULT_ZIPKIN_URL, timeoutMillis }) };
}
