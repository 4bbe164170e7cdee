// OpenTelemetry web: WebTracerProvider + BatchSpanProcessor + OTLP/HTTP exporter to the local sink + FetchInstrumentation.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { fetchBench } from './fetch-loop.mjs';
const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${location.origin}/v1/traces` }))],
});
provider.register();
registerInstrumentations({ instrumentations: [new FetchInstrumentation({ ignoreUrls: [/\/v1\/traces/] })] });
window.bench = fetchBench;
