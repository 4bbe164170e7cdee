// Shared pieces of the Chromium benchmarks: bundle a page entry from
// bench/pages/ with rollup, serve it (same origin) from 127.0.0.1 with a
// small data endpoint and an OTLP sink that discards, drive Debian's Chromium
// with playwright-core. Never downloads a browser.
import { createServer } from 'node:http';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

export const pagesDir = fileURLToPath(new URL('./pages/', import.meta.url));

/** One ES module for the page: rollup + node-resolve (browser) + commonjs, not minified. */
export async function bundlePage(name) {
  const b = await rollup({
    input: `${pagesDir}${name}.mjs`,
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser', 'import', 'default'] }), commonjs()],
    onwarn: () => {},
  });
  const { output } = await b.generate({ format: 'es', inlineDynamicImports: true });
  await b.close();
  return output[0].code;
}

/**
 * Serves `/<name>` (an HTML page running the bundle), `/data` (a small JSON
 * body, no caching) and `POST /v1/traces` (reads and discards; 200 `{}`).
 * Returns { url, sink: { requests, bytes }, close() }.
 */
export async function startServer(bundles) {
  const sink = { requests: 0, bytes: 0 };
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/v1/traces') {
      req.on('data', (c) => (sink.bytes += c.length));
      req.on('end', () => {
        sink.requests++;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
      return;
    }
    if (path === '/data') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end('{"ok":true,"items":[1,2,3]}');
      return;
    }
    if (path === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const name = path.slice(1);
    if (bundles[name] !== undefined) {
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body><button id="b">b</button><script type="module">${bundles[name].replaceAll('</script', '<\\/script')}</script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
      return;
    }
    res.writeHead(404).end();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    sink,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections?.();
        server.close(r);
      }),
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh context and page on `url`, waiting until the bundle has set `window.bench`. */
export async function openPage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  try {
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 15_000 });
  } catch (e) {
    throw new Error(`${url}: page did not start (${errors.join('; ') || e.message})`);
  }
  return { page, context, errors, close: () => context.close() };
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};
export const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length });
