// tracelet dev collector: a real OTLP/HTTP JSON receiver for development,
// tests and the demo (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
//
//   POST /v1/traces     application/json (gzip accepted) -> 200 ExportTraceServiceResponse
//                       400 {code, message} naming the bad field; 415 for other content types
//   GET  /api/traces    { traces: [{ traceId, spans }] }      GET /api/spans  { spans }
//   DELETE /api/traces  clears the store
//   GET  /              the trace viewer (viewer.html, viewer.js): traces and waterfalls, live
//
// CORS is answered for browsers: exact Origin echo (never *), credentials
// allowed (a sendBeacon with a JSON Blob is credentialed and preflighted),
// requested headers allowed, Retry-After exposed.
//
// Test hook: a request header `x-collector-partial-success: N` gets a 200 with
// partialSuccess.rejectedSpans = N and stores nothing.
import { createServer } from 'node:http';
import { appendFile, readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { validateTraceRequest, decodeAttributes } from './validate.mjs';
import { formatTrace } from './tree.mjs';

const gunzipAsync = promisify(gunzip);
const MAX_BODY = 8 * 1024 * 1024;

/**
 * Starts the collector. `port: 0` picks a free port.
 * @param {{ port?: number, host?: string, jsonl?: string, quietMs?: number, print?: boolean | ((text: string) => void) }} [options]
 */
export async function startCollector(options = {}) {
  const { port = 4318, host = '127.0.0.1', jsonl, quietMs = 1000 } = options;
  const print = options.print === false ? null : typeof options.print === 'function' ? options.print : (t) => console.log(t);
  const spans = [];
  const requests = [];
  const waiters = new Set();
  const quietTimers = new Map();
  const sockets = new Set();
  const routes = new Map(); // "METHOD /path" -> handler(req, res, url)

  const notify = () => {
    for (const w of waiters) w();
  };

  function schedulePrint(traceId) {
    if (!print) return;
    clearTimeout(quietTimers.get(traceId));
    const t = setTimeout(() => {
      quietTimers.delete(traceId);
      print(formatTrace(spans.filter((s) => s.traceId === traceId)) + '\n');
    }, quietMs);
    t.unref();
    quietTimers.set(traceId, t);
  }

  function cors(req, res) {
    const origin = req.headers.origin;
    if (origin) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    res.setHeader('Vary', 'Origin');
  }

  const send = (res, status, body, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
  };

  function store(request, headers, bytes, encoding) {
    let count = 0;
    for (const rs of request.resourceSpans) {
      const resource = decodeAttributes(rs.resource?.attributes);
      for (const ss of rs.scopeSpans ?? []) {
        const scope = { name: ss.scope?.name ?? '', version: ss.scope?.version };
        for (const s of ss.spans ?? []) {
          spans.push({ ...s, parentSpanId: s.parentSpanId || undefined, resource, scope, attributesMap: decodeAttributes(s.attributes) });
          schedulePrint(s.traceId);
          count++;
        }
      }
    }
    requests.push({ headers, contentEncoding: encoding, bytes, spanCount: count });
    return count;
  }

  async function receive(req, res) {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return send(res, 415, { code: 3, message: `unsupported content type ${JSON.stringify(type)}; tracelet-collector accepts application/json` });
    }
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY) return send(res, 413, { code: 8, message: `body larger than ${MAX_BODY} bytes` });
      chunks.push(chunk);
    }
    let raw = Buffer.concat(chunks);
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding === 'gzip') {
      try {
        raw = await gunzipAsync(raw);
      } catch (error) {
        return send(res, 400, { code: 3, message: `invalid gzip body: ${error.message}` });
      }
    } else if (encoding !== 'identity') {
      return send(res, 415, { code: 3, message: `unsupported content encoding ${JSON.stringify(encoding)}; use gzip or none` });
    }
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      return send(res, 400, { code: 3, message: `invalid JSON: ${error.message}` });
    }
    const problem = validateTraceRequest(body);
    if (problem) return send(res, 400, { code: 3, message: problem });
    const partial = req.headers['x-collector-partial-success'];
    if (partial !== undefined) {
      return send(res, 200, { partialSuccess: { rejectedSpans: String(Number(partial) || 0), errorMessage: 'rejected by test hook' } });
    }
    const count = store(body, req.headers, raw.length, encoding);
    if (jsonl) {
      const lines = spans.slice(-count).map((s) => JSON.stringify(s)).join('\n');
      await appendFile(jsonl, lines + '\n').catch(() => {});
    }
    send(res, 200, {});
    notify();
  }

  const grouped = () => {
    const byTrace = new Map();
    for (const s of spans) {
      if (!byTrace.has(s.traceId)) byTrace.set(s.traceId, []);
      byTrace.get(s.traceId).push(s);
    }
    return [...byTrace].map(([traceId, list]) => ({ traceId, spans: list }));
  };

  // The trace viewer: a list of traces and a waterfall per trace, live.
  const viewerFile = (name) => readFile(new URL(`./${name}`, import.meta.url));
  routes.set('GET /', async (_req, res) => send(res, 200, await viewerFile('viewer.html'), 'text/html; charset=utf-8'));
  routes.set('GET /viewer.js', async (_req, res) => send(res, 200, await viewerFile('viewer.js'), 'text/javascript'));
  routes.set('GET /api/traces', (_req, res) => send(res, 200, { traces: grouped() }));
  routes.set('GET /api/spans', (_req, res) => send(res, 200, { spans }));
  routes.set('DELETE /api/traces', (_req, res) => {
    spans.length = 0;
    send(res, 200, {});
  });
  routes.set('POST /v1/traces', receive);

  const server = createServer((req, res) => {
    cors(req, res);
    const url = new URL(req.url ?? '/', 'http://collector');
    if (req.method === 'OPTIONS') {
      // Preflight (https://fetch.spec.whatwg.org/#cors-preflight-fetch).
      res.setHeader('Access-Control-Allow-Methods', 'POST, GET, DELETE, OPTIONS');
      const asked = req.headers['access-control-request-headers'];
      if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
      res.setHeader('Access-Control-Max-Age', '600');
      res.writeHead(204).end();
      return;
    }
    const handler = routes.get(`${req.method} ${url.pathname}`);
    if (!handler) return send(res, 404, { code: 5, message: `no route for ${req.method} ${url.pathname}` });
    Promise.resolve(handler(req, res, url)).catch((error) => {
      if (!res.headersSent) send(res, 500, { code: 13, message: String(error?.message ?? error) });
      else res.destroy();
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
  const url = `http://${host}:${actualPort}`;

  return {
    url,
    port: actualPort,
    tracesUrl: `${url}/v1/traces`,
    routes,
    spans: () => spans.slice(),
    traces: grouped,
    requests: () => requests.slice(),
    clear() {
      spans.length = 0;
      requests.length = 0;
    },
    /**
     * Resolves with all stored spans once `until(spans)` is true (or there are at least `until` spans).
     * @param {number | ((spans: object[]) => boolean)} until
     */
    waitForSpans(until, { timeoutMs = 10_000 } = {}) {
      const done = typeof until === 'number' ? (all) => all.length >= until : until;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(spans)) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(spans.slice());
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const names = spans.map((s) => `${s.name} [${s.resource['service.name']}]`).join(', ') || 'nothing';
          reject(new Error(`waited ${timeoutMs} ms for spans; the collector received: ${names}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      for (const t of quietTimers.values()) clearTimeout(t);
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
