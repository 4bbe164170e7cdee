// The demo origin: a plain Node HTTP API instrumented with the official
// OpenTelemetry Node SDK (HTTP instrumentation, OTLP/HTTP JSON export), to show
// that tracelet's traces join those of other OpenTelemetry SDKs.
// Env: COLLECTOR_URL (required), PORT (default 0 = free). Prints "listening <port>".
// CommonJS on purpose: the HTTP instrumentation patches `http` through
// require(); an ESM import of node:http is not seen without a loader hook.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-base');

const sdk = new NodeSDK({
  serviceName: 'demo-origin',
  // Simple processor: the demo wants the origin's span at the collector at once.
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${process.env.COLLECTOR_URL}/v1/traces` }))],
  instrumentations: [new HttpInstrumentation()],
});
sdk.start();

// Required after sdk.start() so the HTTP instrumentation can patch it.
const { createServer } = require('node:http');
let orders = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/orders') {
      orders++;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ order: orders, status: 'placed' }));
    } else if (req.url === '/fail') {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'the warehouse is on fire' }));
    } else {
      res.writeHead(404).end();
    }
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening ${server.address().port}`));
// Stop promptly: drop idle keep-alive connections (the worker keeps one open),
// flush the SDK, and never hang on either for more than two seconds.
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 2000).unref();
  server.closeAllConnections();
  server.close(() => sdk.shutdown().finally(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The parent holds our stdin: when it goes away (even killed), so do we.
process.stdin.on('end', stop).on('error', stop).resume();
