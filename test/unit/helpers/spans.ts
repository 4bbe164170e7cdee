import { createTracing, type ReadableSpan, type SpanExporter } from '../../../src/index.js';

/** An exporter that keeps what it is given, for tests of the pipeline above export. */
export function memoryExporter(): SpanExporter & { spans: ReadableSpan[]; calls: ReadableSpan[][] } {
  const spans: ReadableSpan[] = [];
  const calls: ReadableSpan[][] = [];
  return {
    spans,
    calls,
    export(batch) {
      calls.push(batch);
      spans.push(...batch);
    },
  };
}

/** Finished spans made by a real tracer, to feed exporters and encoders. */
export async function makeSpans(count: number, name = 'span'): Promise<ReadableSpan[]> {
  const exporter = memoryExporter();
  const tracing = createTracing({ serviceName: 'test', exporter, batch: false });
  for (let i = 0; i < count; i++) {
    const span = tracing.tracer.startSpan(`${name} ${i}`, { attributes: { i } });
    span.end();
  }
  await tracing.flush();
  return exporter.spans;
}

/** Collects console diagnostics for the duration of a test. */
export { setDiagnosticSink } from '../../../src/index.js';
