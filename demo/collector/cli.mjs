#!/usr/bin/env node
// tracelet-collector [--port 4318] [--host 127.0.0.1] [--jsonl FILE] [--quiet-ms 1000] [--no-print]
import { parseArgs } from 'node:util';
import { startCollector } from './collector.mjs';

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '4318' },
      host: { type: 'string', default: '127.0.0.1' },
      jsonl: { type: 'string' },
      'quiet-ms': { type: 'string', default: '1000' },
      'no-print': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  console.error(`tracelet-collector: ${error.message}`);
  process.exit(2);
}
if (args.help) {
  console.log('usage: tracelet-collector [--port 4318] [--host 127.0.0.1] [--jsonl FILE] [--quiet-ms 1000] [--no-print]');
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`tracelet-collector: --port must be 0-65535, got ${args.port}`);
  process.exit(2);
}

try {
  const collector = await startCollector({ port, host: args.host, jsonl: args.jsonl, quietMs: Number(args['quiet-ms']), print: !args['no-print'] });
  console.log(`tracelet dev collector listening on ${collector.url} (POST /v1/traces, GET /api/traces)`);
  const stop = () => collector.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (error?.code === 'EADDRINUSE') {
    console.error(`tracelet-collector: port ${port} on ${args.host} is busy; stop what uses it or pass --port <other port> (0 picks a free one)`);
  } else {
    console.error(`tracelet-collector: ${error?.message ?? error}`);
  }
  process.exit(1);
}
