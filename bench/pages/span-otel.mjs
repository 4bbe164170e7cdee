// OpenTelemetry in the page: WebTracerProvider (StackContextManager) + BatchSpanProcessor + no-op exporter.
import { WebTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-web';
import { trace } from '@opentelemetry/api';
import { spanBench } from './span-loop.mjs';
const noop = { export: (_s, cb) => cb({ code: 0 }), shutdown: async () => {}, forceFlush: async () => {} };
const provider = new WebTracerProvider({ spanProcessors: [new BatchSpanProcessor(noop)] });
provider.register();
window.bench = spanBench(trace.getTracer('bench'));
