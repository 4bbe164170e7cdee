// tracelet dev collector: a real OTLP/HTTP JSON receiver for development,
// tests and the demo (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
// A development tool, safe to leave running on a laptop; production telemetry
// goes to an OpenTelemetry Collector.
//
//   POST /v1/traces        application/json (gzip accepted) -> 200 ExportTraceServiceResponse
//                          400 {code, message} naming the bad field; 413 past a size bound; 415 for other types
//   POST /api/v2/spans     Zipkin v2 JSON (zipkin.mjs), the same rules and bounds -> 202 as Zipkin answers;
//                          the spans are stored as OTLP ones, so the viewer and the printed trees show them
//   GET  /                 the trace viewer (viewer.html, viewer.js)
//   GET  /api/summary      the newest traces, the suggested one, counts and drops (the viewer polls this;
//                          ?since=<version> answers 204 while nothing changed)
//   GET  /api/traces/<id>  one trace { traceId, spans }
//   GET  /api/traces       { traces: [{ traceId, spans }] }      GET /api/spans  { spans }
//   GET  /api/stats        counts, drops, truncations and limits
//   DELETE /api/traces     clears the store
//
// Who may call what (access.mjs): every request must name one of the
// collector's own hosts; only ingestion (POST /v1/traces, POST /api/v2/spans) answers other origins (CORS:
// exact Origin echo, never *, credentials allowed because a sendBeacon with a
// JSON Blob is credentialed and preflighted, Retry-After exposed); the viewer
// and the /api routes answer only their own origin.
//
// What it keeps (store.mjs): at most `maxSpans` spans and about `maxBytes`,
// dropping the least recently updated traces whole; strings and lists are cut
// to fixed lengths and counted. Bodies are bounded before and after gzip.
//
// Test hook: a request header `x-collector-partial-success: N` gets a 200 with
// partialSuccess.rejectedSpans = N and stores nothing.
import { createServer } from 'node:http';
import { appendFile, readFile } from 'node:fs/promises';
import { validateTraceRequest } from './validate.mjs';
import { zipkinToOtlp } from './zipkin.mjs';
import { createStore, DEFAULT_LIMITS } from './store.mjs';
import { createPrinter } from './printer.mjs';
import { createAccess, exposureWarning, reachableUrl } from './access.mjs';
import { readBody, HttpError } from './body.mjs';
import { printable } from './tree.mjs';

export { DEFAULT_LIMITS };
/** Bytes on the wire per request, and after gzip inflation. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
/** Requests remembered for `requests()` (tests read what was sent). */
const MAX_REQUESTS = 1000;
/** Traces the viewer's list shows. */
const SUMMARY_TRACES = 200;

const tick = () => new Promise((resolve) => setImmediate(resolve));
/** Resolves when `res` can take more data, or is gone. */
const drained = (res) =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * Starts the collector. `port: 0` picks a free port.
 * @param {import('./collector.d.mts').CollectorOptions} [options]
 */
export async function startCollector(options = {}) {
  const { port = 4318, host = '127.0.0.1', jsonl, quietMs = 1000, allowOrigins, allowHosts, maxBodyBytes = MAX_BODY_BYTES, maxInflatedBytes = MAX_INFLATED_BYTES } = options;
  const print = options.print === false ? null : typeof options.print === 'function' ? options.print : (t) => console.log(t);
  const warn = options.warn ?? ((t) => console.warn(t));
  const store = createStore(pick(options, Object.keys(DEFAULT_LIMITS)));
  const access = createAccess({ host, allowHosts, allowOrigins });
  const requests = [];
  const waiters = new Set();
  const sockets = new Set();
  const routes = new Map(); // "METHOD /path" -> handler(req, res, url)
  let url = '';
  let warnedDrop = false;
  /** Requests refused by the access rules: a foreign Host, or another origin where only the collector's own may ask. */
  const refused = { host: 0, origin: 0 };
  const stats = () => ({ ...store.stats(), refused: { ...refused } });
  const printer = print && createPrinter({ print, quietMs, store, viewerUrl: () => url });

  const notify = () => {
    for (const w of waiters) w();
  };

  const send = (res, status, body, type = 'application/json', headers = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };

  // Ingestion's CORS answer (https://fetch.spec.whatwg.org/#http-cors-protocol).
  function cors(req, res) {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin) return;
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }

  /** The ingestion routes: OTLP/HTTP JSON, and Zipkin v2 JSON turned into OTLP. */
  const INGEST = new Set(['/v1/traces', '/api/v2/spans']);

  async function receive(req, res, u) {
    const zipkin = u.pathname === '/api/v2/spans';
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return send(res, 415, { code: 3, message: `unsupported content type ${JSON.stringify(type.slice(0, 100))}; tracelet-collector accepts application/json` });
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'gzip' && encoding !== 'identity') {
      req.resume();
      return send(res, 415, { code: 3, message: `unsupported content encoding ${JSON.stringify(encoding.slice(0, 100))}; use gzip or none` });
    }
    const raw = await readBody(req, { gzip: encoding === 'gzip', maxBodyBytes, maxInflatedBytes });
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return send(res, 400, { code: 3, message: `invalid JSON: ${error.message.slice(0, 200)}` });
    }
    if (zipkin) {
      const converted = zipkinToOtlp(body);
      if (converted.problem) return send(res, 400, { code: 3, message: converted.problem });
      body = converted.request;
    }
    const problem = validateTraceRequest(body);
    if (problem) return send(res, 400, { code: 3, message: problem });
    const partial = req.headers['x-collector-partial-success'];
    if (partial !== undefined && !zipkin) {
      return send(res, 200, { partialSuccess: { rejectedSpans: String(Number(partial) || 0), errorMessage: 'rejected by test hook' } });
    }
    const { added, touched, evictedTraces } = store.add(body);
    requests.push({ headers: req.headers, contentEncoding: encoding, bytes: raw.length, spanCount: added.length });
    if (requests.length > MAX_REQUESTS) requests.splice(0, requests.length - MAX_REQUESTS);
    if (evictedTraces > 0 && !warnedDrop) {
      warnedDrop = true;
      const { maxSpans, maxBytes } = store.limits;
      warn(`tracelet-collector: keeping at most ${maxSpans} spans and about ${Math.round(maxBytes / 1048576)} MiB; from now on the least recently updated traces are dropped whole (--max-spans, --max-mb to change). The viewer and GET /api/stats count the drops.`);
    }
    printer?.touch(touched);
    // Zipkin answers 202 Accepted with no body (zipkin2-api.yaml, POST /spans).
    if (zipkin) res.writeHead(202, { 'Cache-Control': 'no-store' }).end();
    else send(res, 200, {});
    notify();
    if (jsonl && added.length > 0) await appendFile(jsonl, added.map((s) => JSON.stringify(s)).join('\n') + '\n').catch(() => {});
  }

  /** Writes JSON made of many small pieces without ever building one huge string. */
  async function stream(res, pieces) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    let buffer = '';
    for (const piece of pieces) {
      buffer += piece;
      if (buffer.length < 1 << 20) continue;
      const ok = res.write(buffer);
      buffer = '';
      if (res.destroyed) return;
      await (ok ? tick() : drained(res)); // let other requests in between chunks
      if (res.destroyed) return;
    }
    res.end(buffer);
  }
  function* spansJson(spans, first = true) {
    for (const s of spans) {
      yield (first ? '' : ',') + JSON.stringify(s);
      first = false;
    }
  }
  function* tracesJson(traces) {
    yield '{"traces":[';
    let first = true;
    for (const t of traces) {
      yield `${first ? '' : ','}{"traceId":${JSON.stringify(t.traceId)},"spans":[`;
      yield* spansJson(t.spans.slice());
      yield ']}';
      first = false;
    }
    yield ']}';
  }

  // What the viewer lists: the newest traces, and the one it should open on.
  function summary() {
    const traces = [...store.traces()];
    const newest = traces.slice(-SUMMARY_TRACES).reverse();
    // The most recent trace with more than one span, else the newest page load, else the newest.
    let suggested;
    for (let i = traces.length - 1; i >= 0 && !suggested; i--) if (traces[i].spans.length > 1) suggested = traces[i];
    for (let i = traces.length - 1; i >= 0 && !suggested; i--) if (traces[i].spans.some((s) => s.name === 'documentLoad')) suggested = traces[i];
    suggested ??= traces.at(-1);
    const stats = store.stats();
    return {
      version: store.version,
      spans: stats.spans,
      traces: stats.traces,
      dropped: stats.dropped,
      truncated: stats.truncated,
      limits: { maxSpans: stats.limits.maxSpans, maxBytes: stats.limits.maxBytes },
      suggested: suggested?.traceId,
      list: newest.map(summarise),
    };
  }
  function summarise(trace) {
    let root;
    let start;
    let end;
    let errors = 0;
    const services = new Set();
    const ids = new Set(trace.spans.map((s) => s.spanId));
    for (const s of trace.spans) {
      const from = BigInt(s.startTimeUnixNano);
      const to = BigInt(s.endTimeUnixNano);
      if (start === undefined || from < start) start = from;
      if (end === undefined || to > end) end = to;
      if (s.status?.code === 2) errors++;
      services.add(String(s.resource['service.name'] ?? '?'));
      const isRoot = !s.parentSpanId || !ids.has(s.parentSpanId);
      if (isRoot && (!root || from < BigInt(root.startTimeUnixNano))) root = s;
    }
    return { traceId: trace.traceId, name: root.name, spanCount: trace.spans.length, services: [...services], errors, startTimeUnixNano: String(start), durationMs: Number(end - start) / 1e6 };
  }

  const viewerFile = (name) => readFile(new URL(`./${name}`, import.meta.url));
  const viewerHeaders = {
    // The viewer renders only text from the store; nothing may frame it.
    'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
  routes.set('GET /', async (_req, res) => send(res, 200, await viewerFile('viewer.html'), 'text/html; charset=utf-8', viewerHeaders));
  routes.set('GET /viewer.js', async (_req, res) => send(res, 200, await viewerFile('viewer.js'), 'text/javascript', viewerHeaders));
  routes.set('GET /api/summary', (_req, res, u) => {
    if (u.searchParams.get('since') === String(store.version)) return res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    send(res, 200, summary());
  });
  routes.set('GET /api/traces', (_req, res) => stream(res, tracesJson([...store.traces()])));
  routes.set('GET /api/spans', (_req, res) => stream(res, (function* () {
    yield '{"spans":[';
    yield* spansJson(store.spans());
    yield ']}';
  })()));
  routes.set('GET /api/stats', (_req, res) => send(res, 200, stats()));
  routes.set('DELETE /api/traces', (_req, res) => {
    store.clear();
    send(res, 200, {});
  });
  routes.set('POST /v1/traces', receive);
  routes.set('POST /api/v2/spans', receive);

  async function handle(req, res) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const u = new URL(req.url ?? '/', 'http://collector');
    const hostProblem = access.hostProblem(req);
    if (hostProblem) {
      refused.host++;
      req.resume();
      return send(res, 403, { code: 7, message: hostProblem });
    }
    if (INGEST.has(u.pathname)) {
      if (!access.ingestAllowed(req)) {
        refused.origin++;
        req.resume();
        return send(res, 403, { code: 7, message: `origin ${JSON.stringify(String(req.headers.origin).slice(0, 100))} is not in --allow-origin` });
      }
      cors(req, res);
      if (req.method === 'OPTIONS') {
        // Preflight (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        const asked = req.headers['access-control-request-headers'];
        if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
        res.setHeader('Access-Control-Max-Age', '600');
        return res.writeHead(204).end();
      }
    } else {
      const problem = access.localProblem(req, u);
      if (problem) {
        refused.origin++;
        req.resume();
        return send(res, 403, { code: 7, message: problem });
      }
    }
    const key = `${req.method} ${u.pathname}`;
    const handler = routes.get(key) ?? (req.method === 'GET' && u.pathname.startsWith('/api/traces/') ? oneTrace : undefined);
    if (!handler) {
      req.resume();
      return send(res, 404, { code: 5, message: `no route for ${printable(req.method, 10)} ${printable(u.pathname, 100)}` });
    }
    await handler(req, res, u);
  }
  function oneTrace(_req, res, u) {
    const trace = store.get(u.pathname.slice('/api/traces/'.length));
    if (!trace) return send(res, 404, { code: 5, message: 'no such trace (it may have been dropped by the collector\'s limits)' });
    return stream(res, (function* () {
      yield `{"traceId":${JSON.stringify(trace.traceId)},"spans":[`;
      yield* spansJson(trace.spans.slice());
      yield ']}';
    })());
  }

  // Every handler's failure, synchronous or not, becomes an answer: the process stays up.
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (res.headersSent) return res.destroy();
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { code: status === 413 ? 8 : status < 500 ? 3 : 13, message: String(error?.message ?? error).slice(0, 500) }, 'application/json', status === 413 ? { Connection: 'close' } : {});
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  url = reachableUrl(host, actualPort);
  const exposure = exposureWarning(host);
  if (exposure) warn(exposure);

  return {
    url,
    port: actualPort,
    tracesUrl: `${url}/v1/traces`,
    routes,
    limits: store.limits,
    spans: () => store.spans(),
    traces: () => [...store.traces()].map((t) => ({ traceId: t.traceId, spans: t.spans.slice() })),
    requests: () => requests.slice(),
    stats,
    clear() {
      store.clear();
      requests.length = 0;
      printer?.clear();
    },
    waitForSpans(until, { timeoutMs = 10_000 } = {}) {
      const done = typeof until === 'number' ? (all) => all.length >= until : until;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(store.live())) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(store.spans());
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const names = store.spans().map((s) => `${s.name} [${s.resource['service.name']}]`).join(', ') || 'nothing';
          reject(new Error(`waited ${timeoutMs} ms for spans; the collector received: ${names}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      printer?.clear();
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function pick(object, keys) {
  const out = {};
  for (const k of keys) if (object[k] !== undefined) out[k] = object[k];
  return out;
}
