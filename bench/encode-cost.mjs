// µs to encode 512 spans to an OTLP JSON body, and bytes per span:
// tracelet's encoder versus the official @opentelemetry/otlp-transformer,
// for the same spans (made once by each SDK with the same names, attributes and events).
// Usage: node bench/encode-cost.mjs <tracelet|otel>; prints one JSON line.
import { createTracing, encodeOtlpJson } from '../dist/index.js';

const impl = process.argv[2];
const COUNT = 512;
const ROUNDS = 40;

function fill(tracer) {
  for (let i = 0; i < COUNT; i++) {
    const span = tracer.startSpan('GET /api/items/:id', { kind: 2 });
    span.setAttribute('http.request.method', 'GET');
    span.setAttribute('url.full', `https://api.example.com/api/items/${i}?q=shoes`);
    span.setAttribute('server.address', 'api.example.com');
    span.setAttribute('server.port', 443);
    span.setAttribute('http.response.status_code', 200);
    span.addEvent('response headers', { 'http.response.body.size': 1234 });
    span.end();
  }
}

let encode;
if (impl === 'tracelet') {
  const spans = [];
  const { tracer } = createTracing({ serviceName: 'bench', exporter: { export: (s) => void spans.push(...s) }, batch: false });
  fill(tracer);
  await new Promise((r) => setTimeout(r, 0));
  encode = () => encodeOtlpJson(spans);
} else {
  const { BasicTracerProvider, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { JsonTraceSerializer } = await import('@opentelemetry/otlp-transformer');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const spans = [];
  const exporter = { export: (s, cb) => { spans.push(...s); cb({ code: 0 }); }, shutdown: async () => {}, forceFlush: async () => {} };
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'bench' }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  fill(provider.getTracer('bench'));
  await new Promise((r) => setTimeout(r, 0));
  // The exporter sends exactly these bytes: the serializer's output.
  encode = () => JsonTraceSerializer.serializeRequest(spans);
}

const samples = [];
let bytes = 0;
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  const out = encode();
  const t1 = performance.now();
  bytes = typeof out === 'string' ? Buffer.byteLength(out) : out.byteLength;
  if (r >= 5) samples.push((t1 - t0) * 1000);
}
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ impl, median: samples[samples.length >> 1], min: samples[0], max: samples[samples.length - 1], bytesPerSpan: bytes / COUNT }));
