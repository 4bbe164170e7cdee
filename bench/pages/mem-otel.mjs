// OpenTelemetry web minimal (WebTracerProvider + BatchSpanProcessor + OTLP/HTTP exporter + FetchInstrumentation) exporting to the sink or a closed port.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { trace } from '@opentelemetry/api';
import { memBench, endpoint } from './mem-loop.mjs';
const provider = new WebTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'bench' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint() }))],
});
provider.register();
registerInstrumentations({ instrumentations: [new FetchInstrumentation({ ignoreUrls: [/\/v1\/traces/] })] });
window.bench = memBench(trace.getTracer('bench'));
