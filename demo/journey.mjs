// The joined trace: browser (script tag) -> edge worker (tracelet/worker in
// workerd) -> its cart, a Durable Object reading KV -> origin (OpenTelemetry
// Node SDK), driven by headless Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** $CHROMIUM_PATH, Debian's chromium, then Playwright's own; else one line saying how to get one. */
async function findChromium() {
  const { chromium } = await import('playwright-core');
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // none installed by Playwright
  }
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error('no Chromium found: install one (Debian: apt-get install -y chromium) or set CHROMIUM_PATH');
  return { chromium, executablePath: found };
}

function startOrigin(collectorUrl) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'demo/origin/server.cjs')], { env: { ...process.env, COLLECTOR_URL: collectorUrl, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }, stdio: ['pipe', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      const m = /listening (\d+)/.exec(String(d));
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, stop: () => new Promise((r) => (child.exitCode !== null ? r() : (child.once('exit', r), child.kill('SIGTERM')))) });
    });
    child.on('exit', (code) => reject(new Error(`the demo origin exited with code ${code}`)));
  });
}

async function startWorker(collectorUrl, originUrl) {
  // Bundle demo/worker exactly as `wrangler deploy` would, then run it in workerd.
  const out = mkdtempSync(join(tmpdir(), 'tracelet-demo-edge-'));
  execFileSync(process.execPath, [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', out, '-c', 'demo/worker/wrangler.toml'], {
    cwd: root,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false' },
    stdio: 'pipe',
  });
  const { Miniflare } = await import('miniflare');
  const mf = new Miniflare({
    modules: true,
    script: readFileSync(join(out, 'index.js'), 'utf8'),
    compatibilityDate: '2026-04-26',
    compatibilityFlags: ['nodejs_compat'],
    host: '127.0.0.1',
    port: 0,
    bindings: { OTEL_SERVICE_NAME: 'demo-edge', OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, ORIGIN_URL: originUrl },
    // As wrangler.toml declares them: the cart (a Durable Object of this script) and the stock (KV), kept in memory.
    durableObjects: { CART: 'Cart' },
    kvNamespaces: ['STOCK'],
  });
  const url = (await mf.ready).origin;
  return { url, stop: async () => (await mf.dispose(), rmSync(out, { recursive: true, force: true })) };
}

/** The SPA bundled as an app's bundler would: `tracelet/browser` from this package, tree-shaken, minified. */
async function bundleSpa() {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const { default: terser } = await import('@rollup/plugin-terser');
  const self = { name: 'tracelet-self', resolveId: (id) => (id === 'tracelet/browser' ? join(root, 'dist/browser.js') : null) };
  const bundle = await rollup({ input: join(root, 'demo/site/spa-app.js'), plugins: [self, nodeResolve({ browser: true }), terser()], onwarn: () => {} });
  const { output } = await bundle.generate({ format: 'iife' });
  await bundle.close();
  return output[0].code;
}

async function startSite(collectorUrl, workerUrl) {
  const fill = (file) => readFileSync(join(root, file), 'utf8').replaceAll('{{COLLECTOR}}', collectorUrl).replaceAll('{{WORKER}}', workerUrl);
  const page = fill('demo/site/index.html');
  const spaPage = fill('demo/site/spa.html');
  const spaJs = await bundleSpa();
  const files = { '/tracelet.min.js': join(root, 'dist/tracelet.min.js'), '/app.js': join(root, 'demo/site/app.js') };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const html = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'self'" };
    if (files[path]) res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(files[path]));
    else if (path === '/spa.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(spaJs);
    else if (path === '/spa' || path.startsWith('/spa/')) res.writeHead(200, html).end(spaPage);
    else res.writeHead(200, html).end(page);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((r) => (server.closeAllConnections?.(), server.close(r))) };
}

/**
 * Runs the journey and returns the joined trace's spans (browser, edge and
 * origin spans sharing the trace id of the "Buy" click).
 */
export async function runJourney(collector, log = console.log, { keepRunning = false } = {}) {
  const stops = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await Promise.resolve().then(stop).catch(() => {});
  };
  let services;
  let finished = false;
  try {
    const { chromium, executablePath } = await findChromium();
    const origin = await startOrigin(collector.url);
    stops.push(origin.stop);
    const worker = await startWorker(collector.url, origin.url);
    stops.push(worker.stop);
    const site = await startSite(collector.url, worker.url);
    stops.push(site.stop);
    log(`   site ${site.url} -> edge worker ${worker.url} (workerd) -> origin ${origin.url} (OpenTelemetry Node SDK)`);
    services = { site: site.url, worker: worker.url, origin: origin.url };
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
    stops.push(() => browser.close());
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.click('#buy');
    await page.waitForFunction(() => document.getElementById('out').textContent.startsWith('buy: 201'), undefined, { timeout: 10_000 }).catch(() => {});
    await page.click('#cart');
    await page.click('#fail');
    await page.waitForTimeout(500);
    // The SPA (bundled with tracelet/browser): a route change whose fetch goes through the edge.
    await page.goto(`${site.url}/spa/`);
    await page.click('#to-checkout');
    await page.waitForFunction(() => document.getElementById('view').textContent.startsWith('checkout: 201'), undefined, { timeout: 10_000 }).catch(() => {});
    await page.close({ runBeforeUnload: true }); // close the tab: what is queued is sent now
    // The trace of the first span `isRoot` accepts, once it holds a span of each service and the origin's SERVER span.
    const traceOf = (isRoot, browserService) => (spans) => {
      const root = spans.find(isRoot);
      if (!root) return undefined;
      const trace = spans.filter((s) => s.traceId === root.traceId);
      const services = new Set(trace.map((s) => s.resource['service.name']));
      return [browserService, 'demo-edge', 'demo-cart', 'demo-origin'].every((n) => services.has(n)) && trace.some((s) => s.resource['service.name'] === 'demo-origin' && s.kind === 2) ? trace : undefined;
    };
    const joined = traceOf((s) => s.name === 'click button#buy', 'demo-web');
    const spaJoined = traceOf((s) => s.name === 'navigation' && s.resource['service.name'] === 'demo-spa' && String(s.attributesMap?.['url.full'] ?? '').endsWith('/spa/checkout'), 'demo-spa');
    const spans = await collector.waitForSpans((all) => joined(all) !== undefined && spaJoined(all) !== undefined, { timeoutMs: 20_000 }).catch((e) => {
      if (joined(collector.spans())) return collector.spans(); // the main trace is there; report the SPA one as missing
      throw e;
    });
    await new Promise((r) => setTimeout(r, 500)); // stragglers of the same trace
    await stops.pop()(); // the browser: the journey is over
    finished = true;
    return { trace: joined(collector.spans()) ?? joined(spans), spaTrace: spaJoined(collector.spans()), all: collector.spans(), services, stop: stopAll };
  } finally {
    // Everything started is stopped, unless the journey finished and the caller keeps it running for a person (--open).
    if (!keepRunning || !finished) await stopAll();
  }
}
