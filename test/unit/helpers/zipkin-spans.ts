import { createTracing, ROOT_CONTEXT, setSpanContext, SpanKind, SpanStatusCode, type ReadableSpan } from '../../../src/index.js';
import { memoryExporter } from './spans.js';

export const REMOTE_PARENT = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1, isRemote: true };

/**
 * Finished spans of every shape the Zipkin mapping treats apart, made by a
 * real tracer with fixed times (epoch ms, whole microseconds), by name.
 */
export async function zipkinSampleSpans(): Promise<Map<string, ReadableSpan>> {
  const exporter = memoryExporter();
  const tracing = createTracing({
    serviceName: 'zipkin-test',
    serviceVersion: '1.2.3',
    resource: { 'deployment.environment.name': 'test', 'service.namespace': 'shop' },
    exporter,
    batch: false,
    registerGlobals: false,
    spanLimits: { attributeCountLimit: 4, eventCountLimit: 2, linkCountLimit: 1 },
  });
  const t0 = 1_700_000_000_123.456;
  const scoped = tracing.getTracer('checkout-lib', '0.9.0');
  const remote = setSpanContext(ROOT_CONTEXT, REMOTE_PARENT);

  const internal = tracing.tracer.startSpan('internal work', { startTime: t0, attributes: { 'cart.items': 3, ratio: 0.25, ok: true, note: 'plain' } }, ROOT_CONTEXT);
  internal.end(t0 + 12.345);

  const server = scoped.startSpan('GET /cart', { kind: SpanKind.SERVER, startTime: t0 + 1, attributes: { 'http.request.method': 'GET', 'http.route': '/cart' } }, remote);
  const serverContext = setSpanContext(ROOT_CONTEXT, server.spanContext());
  const client = scoped.startSpan('GET', { kind: SpanKind.CLIENT, startTime: t0 + 2, attributes: { 'server.address': 'api.example.com', 'server.port': 8443, 'http.response.status_code': 503 } }, serverContext);
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'upstream unavailable' });
  client.end(t0 + 5.001);
  const producer = scoped.startSpan('publish orders', { kind: SpanKind.PRODUCER, startTime: t0 + 3, attributes: { 'peer.service': 'orders-queue', 'server.address': '10.0.0.7' } }, serverContext);
  producer.end(t0 + 3.5);
  const consumer = scoped.startSpan('process orders', { kind: SpanKind.CONSUMER, startTime: t0 + 4 }, serverContext);
  consumer.setStatus({ code: SpanStatusCode.OK });
  consumer.end(t0 + 9);
  // SERVER spans that continue no remote parent: a root, and one under a local span.
  scoped.startSpan('GET /health', { kind: SpanKind.SERVER, startTime: t0 + 5 }, ROOT_CONTEXT).end(t0 + 6);
  scoped.startSpan('GET /local', { kind: SpanKind.SERVER, startTime: t0 + 6 }, serverContext).end(t0 + 7);
  server.addEvent('cache miss', t0 + 1.5);
  server.end(t0 + 20.002);

  // Over the limits: 6 attributes (4 kept), 3 events (2 kept), 2 links (1 kept).
  const dropping = tracing.tracer.startSpan('over the limits', { startTime: t0 + 30, attributes: { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, links: [{ context: REMOTE_PARENT }, { context: { ...REMOTE_PARENT, spanId: '00f067aa0ba902b8' } }] }, ROOT_CONTEXT);
  dropping.addEvent('one', t0 + 31);
  dropping.addEvent('two', t0 + 32);
  dropping.addEvent('three', t0 + 33);
  dropping.end(t0 + 40);

  // Where the spec and OpenTelemetry JS's exporter part ways (see the oracle test).
  const divergent = tracing.tracer.startSpan('divergent', { kind: SpanKind.CLIENT, startTime: t0 + 50, attributes: { 'http.request.header.accept': ['text/html', 'application/json'], codes: [1, 2], 'network.peer.address': '2001:db8::1', 'network.peer.port': 443 } }, ROOT_CONTEXT);
  divergent.addEvent('retry', { attempt: 2, reason: 'timeout "x"' }, t0 + 51);
  divergent.setStatus({ code: SpanStatusCode.ERROR });
  divergent.end(t0 + 50);

  await tracing.shutdown();
  return new Map(exporter.spans.map((s) => [s.name, s]));
}
