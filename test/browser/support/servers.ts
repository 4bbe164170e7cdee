import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';

const root = resolve(import.meta.dirname, '../../..');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html; charset=utf-8', '.map': 'application/json', '.wasm': 'application/wasm' };

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Site {
  url: string;
  origin: string;
  /** Requests to /api/* received by this server. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

// A tiny valid WebAssembly module: (module (func (export "answer") (result i32) i32.const 42))
const WASM = Buffer.from('0061736d010000000105016000017f03020100070a0106616e7377657200000a06010400412a0b', 'hex');

async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, body: string): Promise<void> {
  if (path === '/api/echo') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
  } else if (path === '/api/text') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello from the server');
  } else if (path.startsWith('/api/status/')) {
    res.writeHead(Number(path.split('/').pop()), { 'content-type': 'text/plain' });
    res.end('status');
  } else if (path === '/api/slow') {
    setTimeout(() => {
      if (!res.writableEnded) res.writeHead(200).end('slow');
    }, 2000);
  } else if (path === '/api/wasm') {
    res.writeHead(200, { 'content-type': 'application/wasm' });
    res.end(WASM);
  } else if (path === '/api/reset') {
    req.socket.destroy();
  } else {
    res.writeHead(404).end('no such api');
  }
}

/**
 * Serves the repository (pages under test/browser/pages, the built dist/) and
 * /api/* endpoints that record what they received. `cors` lets other origins
 * call /api/* with trace headers.
 */
export async function startSite(options: { cors?: boolean } = {}): Promise<Site> {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (options.cors && req.headers.origin) {
      res.setHeader('access-control-allow-origin', req.headers.origin);
      res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
      res.setHeader('timing-allow-origin', '*');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/script-tag.html') {
      // The zero-code page: only tags, under a strict Content-Security-Policy.
      const q = (k: string) => (url.searchParams.get(k) ?? '').replace(/"/g, '&quot;');
      // ?before=NAME loads pages/NAME.js first (a page's own library); ?data={"sample-rate":"x"} adds data-* attributes; ?module loads the tag as type="module";
      // ?build=prod loads the production tag (tracelet.min.js, diagnostic codes), else the development one (tracelet.dev.js).
      const tag = url.searchParams.get('build') === 'prod' ? '/dist/tracelet.min.js' : '/dist/tracelet.dev.js';
      const dataAttributes = Object.entries(JSON.parse(url.searchParams.get('data') ?? '{}') as Record<string, string>)
        .map(([k, v]) => ` data-${k}="${String(v).replace(/"/g, '&quot;')}"`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'self'" + (url.searchParams.has('connect-self') ? "; connect-src 'self'" : ''),
        ...(url.searchParams.has('connect-self-report-only') && { 'content-security-policy-report-only': "connect-src 'self'" }), 'cache-control': 'no-store' });
      res.end(`<!doctype html><meta charset="utf-8"><title>script tag</title><link rel="icon" href="data:,">
<h1 id="headline">Shop</h1><p>Content for paint.</p>
<button id="buy">Buy</button> <button id="broken">Broken</button> <a id="to-cart" href="/cart">Cart</a>
${url.searchParams.has('before') ? `<script src="/test/browser/pages/${q('before')}.js"></script>` : ''}
<script src="/test/browser/pages/queue-snippet.js"></script>
<script${url.searchParams.has('module') ? ' type="module"' : ''} src="${tag}" data-endpoint="${q('endpoint')}" data-service-name="${q('service')}"${dataAttributes}></script>
<script src="/test/browser/pages/queue-snippet-after-load.js"></script>
${url.searchParams.has('twice') ? `<script src="${tag}" data-endpoint="${q('endpoint')}" data-service-name="${q('service')}"></script>` : ''}
<script src="/test/browser/pages/script-tag-app.js"></script>`);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      seen.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, body });
      await handleApi(req, res, url.pathname, body);
      return;
    }
    const file = resolve(root, '.' + (url.pathname === '/' ? '/test/browser/pages/blank.html' : url.pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const data = await readFile(file);
      const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      // ?server-timing=00-… makes the document response carry it, as tracelet/worker does.
      const st = url.searchParams.get('server-timing');
      // Several entries separated by '|' (an origin's passed through, or a bad one first).
      if (st) headers['server-timing'] = st.split('|').map((v) => `traceparent;desc="${v}"`).join(', ');
      res.writeHead(200, headers);
      res.end(data);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    origin,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
