#!/usr/bin/env node
// tracelet-collector: the dev collector from the command line. `--help` lists the flags.
import { parseArgs } from 'node:util';
import { startCollector, DEFAULT_LIMITS } from './collector.mjs';

const USAGE = `usage: tracelet-collector [options]

A development OTLP/HTTP JSON collector with a trace viewer. Not for production:
send production telemetry to an OpenTelemetry Collector.

  --port N              port to listen on (default 4318; 0 picks a free one)
  --host ADDRESS        address to bind (default 127.0.0.1; anything else warns)
  --allow-origin ORIGIN only pages of this origin may send spans (repeatable;
                        default: every origin may send, none may read)
  --allow-host NAME     also accept requests whose Host is NAME (repeatable)
  --max-spans N         spans kept at most (default ${DEFAULT_LIMITS.maxSpans}); the least
                        recently updated traces are dropped whole
  --max-mb N            about N MiB of span data kept at most (default ${DEFAULT_LIMITS.maxBytes / 1048576})
  --jsonl FILE          also append every span to FILE, one JSON object per line
  --quiet-ms N          print a trace once it got no span for N ms (default 1000)
  --no-print            print no traces
  -h, --help            this text`;

const fail = (message) => {
  console.error(`tracelet-collector: ${message}`);
  process.exit(2);
};

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: 'string', default: '4318' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-origin': { type: 'string', multiple: true },
      'allow-host': { type: 'string', multiple: true },
      'max-spans': { type: 'string' },
      'max-mb': { type: 'string' },
      jsonl: { type: 'string' },
      'quiet-ms': { type: 'string', default: '1000' },
      'no-print': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const whole = (name, value, min, max = Number.MAX_SAFE_INTEGER) => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) fail(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
};
const port = whole('port', args.port, 0, 65535);
const quietMs = whole('quiet-ms', args['quiet-ms'], 0);
const maxSpans = args['max-spans'] === undefined ? undefined : whole('max-spans', args['max-spans'], 1);
const maxBytes = args['max-mb'] === undefined ? undefined : whole('max-mb', args['max-mb'], 1) * 1048576;
// Origins as browsers send them: scheme://host[:port], no path (https://html.spec.whatwg.org/#ascii-serialisation-of-an-origin).
const allowOrigins = args['allow-origin']?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map((v) => {
  if (v === 'null') return v;
  let origin;
  try {
    origin = new URL(v).origin;
  } catch {
    origin = 'null';
  }
  if (origin === 'null') fail(`--allow-origin takes an origin such as http://localhost:5173, got ${JSON.stringify(v)}`);
  return origin;
});

let collector;
try {
  collector = await startCollector({ port, host: args.host, jsonl: args.jsonl, quietMs, print: !args['no-print'], allowOrigins, allowHosts: args['allow-host'], maxSpans, maxBytes });
} catch (error) {
  if (error?.code === 'EADDRINUSE') {
    console.error(`tracelet-collector: port ${port} on ${args.host} is busy; stop what uses it or pass --port <other port> (0 picks a free one)`);
  } else {
    console.error(`tracelet-collector: ${error?.message ?? error}`);
  }
  process.exit(1);
}
console.log(`tracelet dev collector listening on ${collector.url} (POST /v1/traces, viewer at ${collector.url}/)`);
// Stop at once: drop open connections and exit without waiting for them.
const stop = () => {
  void collector.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
