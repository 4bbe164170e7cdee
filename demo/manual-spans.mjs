// The seeds' manual-spans example (OpenTelemetry Python getting started:
// `start_as_current_span` foo > bar > baz), written with tracelet.
// Run by `npm run demo`; runs alone too:
//   TRACELET_ENDPOINT=http://127.0.0.1:4318/v1/traces node demo/manual-spans.mjs
import { createTracing } from '../dist/index.js';

const tracing = createTracing({
  serviceName: 'demo-node',
  serviceVersion: '0.1.0',
  environment: 'demo',
  endpoint: process.env.TRACELET_ENDPOINT ?? 'http://127.0.0.1:4318/v1/traces',
});
const tracer = tracing.getTracer('demo.manual-spans', '0.1.0');

tracer.startActiveSpan('foo', (foo) => {
  foo.setAttribute('demo.step', 1);
  tracer.startActiveSpan('bar', (bar) => {
    bar.setAttribute('demo.step', 2);
    tracer.startActiveSpan('baz', (baz) => {
      baz.setAttribute('demo.step', 3);
      baz.addEvent('hello from baz', { 'demo.greeting': 'hi' });
      baz.end();
    });
    bar.end();
  });
  foo.end();
});

// Export what is queued before the process exits.
await tracing.shutdown();
