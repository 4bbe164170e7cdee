/**
 * tracelet/zipkin: export to Zipkin (v2 JSON) instead of OTLP. An opt-in
 * entry: no other entry imports it, so apps that do not import it carry none
 * of it.
 *
 * `exporter: 'zipkin'` is understood by the `createTracing` of this entry
 * only. The core `createTracing` (tracelet, tracelet/worker) keeps its names
 * `'otlp'` and `'console'`: resolving `'zipkin'` there would put this code in
 * every bundle that calls it. Everywhere else a built exporter does the same:
 * `exporter: new ZipkinExporter({ url })`, or `zipkinFromEnv(env)` for the
 * `OTEL_TRACES_EXPORTER=zipkin` variables.
 */
import { createTracing as createOtlpTracing, type Tracing, type TracingOptions } from './tracing.js';
import { DEFAULT_ZIPKIN_URL, ZipkinExporter } from './export/zipkin-http.js';

export { ZipkinExporter, DEFAULT_ZIPKIN_URL, type ZipkinExporterOptions } from './export/zipkin-http.js';
export { toZipkinSpan, encodeZipkinJson, type ZipkinSpan, type ZipkinEndpoint, type ZipkinAnnotation } from './export/zipkin-json.js';
export { zipkinFromEnv } from './export/zipkin-env.js';

export interface ZipkinTracingOptions extends Omit<TracingOptions, 'exporter'> {
  /**
   * `'zipkin'`: a `ZipkinExporter` sending to `endpoint` (default
   * `http://localhost:9411/api/v2/spans`) with `headers`, `compression`,
   * `timeoutMillis` and `retry`. Anything else as in tracelet's `createTracing`.
   */
  exporter?: TracingOptions['exporter'] | 'zipkin';
}

/**
 * tracelet's `createTracing`, which also takes `exporter: 'zipkin'`; then
 * `endpoint` is the Zipkin span URL.
 *
 * @example
 * import { createTracing } from 'tracelet/zipkin';
 * const { tracer, shutdown } = createTracing({ serviceName: 'checkout', exporter: 'zipkin', endpoint: 'http://zipkin:9411/api/v2/spans' });
 */
export function createTracing(options: ZipkinTracingOptions = {}): Tracing {
  if (options?.exporter !== 'zipkin') return createOtlpTracing(options as TracingOptions);
  const { endpoint, headers, compression, timeoutMillis, retry, baseUrl, ...rest } = options;
  const exporter = new ZipkinExporter({ url: endpoint ?? DEFAULT_ZIPKIN_URL, headers, compression, timeoutMillis, retry, baseUrl });
  return createOtlpTracing({ ...rest, baseUrl, exporter });
}
