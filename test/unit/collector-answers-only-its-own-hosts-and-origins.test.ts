// The dev collector runs on a developer's laptop while they browse the web: a
// page elsewhere may send spans to it, but never read or delete them, and a
// rebound DNS name never reaches it. (The same rules in real Chromium:
// test/browser/collector-refuses-other-origins.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { startCollector, type Collector } from '../../demo/collector/collector.mjs';
import { allowedHostnames, exposureWarning, hostnameOf, reachableUrl } from '../../demo/collector/access.mjs';
import { otlpBatch, rawRequest } from './helpers/collector-process.js';

let collector: Collector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

const json = { 'content-type': 'application/json' };
const start = async (options: Parameters<typeof startCollector>[0] = {}) => (collector = await startCollector({ port: 0, print: false, ...options }));

describe('the Host header', () => {
  it('a foreign Host (DNS rebinding) gets 403 on every route, and nothing is stored or read', async () => {
    const c = await start();
    await fetch(c.tracesUrl, { method: 'POST', headers: json, body: otlpBatch(1) });
    const host = { host: `rebind.attacker.example:${c.port}` };
    for (const [method, path, body] of [['GET', '/'], ['GET', '/api/traces'], ['GET', '/api/summary'], ['DELETE', '/api/traces'], ['POST', '/v1/traces', otlpBatch(1, { batch: 7 })]] as const) {
      const res = await rawRequest(c.url + path, { method, headers: { ...host, ...(body ? json : {}) }, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(JSON.parse(res.body).message).toMatch(/^Host "rebind\.attacker\.example:\d+" is not a name this collector listens on .*--allow-host rebind\.attacker\.example/);
      expect(res.body).not.toContain('GET /items/0');
    }
    expect(c.spans()).toHaveLength(1);
    expect(c.stats().refused.host).toBe(5);
  });

  it('accepts the loopback names of a loopback collector, *.localhost, and names given in allowHosts', async () => {
    const c = await start({ allowHosts: ['devbox.lan'] });
    for (const host of [`127.0.0.1:${c.port}`, `localhost:${c.port}`, `LOCALHOST:${c.port}`, `[::1]:${c.port}`, `shop.localhost:${c.port}`, `devbox.lan:${c.port}`]) {
      expect((await rawRequest(c.url + '/api/stats', { headers: { host } })).status, host).toBe(200);
    }
    expect((await rawRequest(c.url + '/api/stats', { headers: { host: `devbox.lan.attacker.example:${c.port}` } })).status).toBe(403);
  });

  it('an IPv6 collector prints a URL with brackets and answers its own Host', async () => {
    const c = await start({ host: '::1' });
    expect(c.url).toBe(`http://[::1]:${c.port}`);
    expect(c.tracesUrl).toBe(`http://[::1]:${c.port}/v1/traces`);
    expect((await fetch(c.url + '/api/stats')).status).toBe(200);
  });

  it('reads host names out of Host values, and knows the names a bind address answers to', () => {
    expect(hostnameOf('[::1]:4318')).toBe('[::1]');
    expect(hostnameOf('Example.COM:80')).toBe('example.com');
    expect(hostnameOf('localhost')).toBe('localhost');
    expect([...allowedHostnames('127.0.0.1')].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect([...allowedHostnames('192.0.2.10')]).toEqual(['192.0.2.10']);
    const everywhere = allowedHostnames('0.0.0.0');
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) expect(everywhere.has(i.family === 'IPv6' ? `[${i.address.split('%')[0]}]` : i.address)).toBe(true);
    expect(everywhere.has('attacker.example')).toBe(false);
  });

  it('warns for a bind address other machines can reach, never for loopback; wildcard binds print a URL that works', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) expect(exposureWarning(host), host).toBeUndefined();
    expect(exposureWarning('0.0.0.0')).toMatch(/^tracelet-collector: warning: listening on every network interface \(0\.0\.0\.0\), not loopback: any machine that can reach it can send traces, read every stored trace and delete them/);
    expect(exposureWarning('::')).toContain('every network interface (::)');
    expect(exposureWarning('192.0.2.10')).toContain('listening on 192.0.2.10, not loopback');
    expect(reachableUrl('0.0.0.0', 4318)).toBe('http://127.0.0.1:4318');
    expect(reachableUrl('::', 4318)).toBe('http://[::1]:4318');
    expect(reachableUrl('fe80::1', 4318)).toBe('http://[fe80::1]:4318');
  });
});

describe('origins', () => {
  const other = 'http://127.0.0.1:5555';

  it('ingestion answers any origin with CORS (exact origin, credentials), and stores what it sends', async () => {
    const c = await start();
    const preflight = await rawRequest(c.tracesUrl, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(other);
    expect(preflight.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
    const res = await rawRequest(c.tracesUrl, { method: 'POST', headers: { ...json, origin: other }, body: otlpBatch(2) });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(other);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(c.spans()).toHaveLength(2);
  });

  it('the read and delete APIs and the viewer give another origin 403 and no CORS headers; the data stays', async () => {
    const c = await start();
    await fetch(c.tracesUrl, { method: 'POST', headers: json, body: otlpBatch(3) });
    const attempts: [string, string, Record<string, string>][] = [
      ['GET', '/api/traces', { origin: other }],
      ['GET', '/api/spans', { origin: 'null' }],
      ['GET', '/api/summary', { origin: other, 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors' }],
      ['GET', '/api/traces', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' }],
      ['GET', '/viewer.js', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'script' }],
      ['OPTIONS', '/api/traces', { origin: other, 'access-control-request-method': 'DELETE' }],
      ['DELETE', '/api/traces', { origin: other }],
      ['DELETE', '/api/traces', { 'sec-fetch-site': 'cross-site' }],
      ['POST', '/api/traces', { origin: other, 'content-type': 'application/json' }],
    ];
    for (const [method, path, headers] of attempts) {
      const res = await rawRequest(c.url + path, { method, headers, body: method === 'POST' ? otlpBatch(1, { batch: 9 }) : undefined });
      expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.body).not.toContain('GET /items/');
    }
    expect(c.spans()).toHaveLength(3);
    expect(c.stats().refused.origin).toBe(attempts.length);
  });

  it('the collector\'s own origin, a typed-in address and tools without an Origin may read and delete', async () => {
    const c = await start();
    await fetch(c.tracesUrl, { method: 'POST', headers: json, body: otlpBatch(1) });
    expect((await rawRequest(c.url + '/api/traces', { headers: { origin: c.url, 'sec-fetch-site': 'same-origin' } })).body).toContain('GET /items/0');
    expect((await rawRequest(c.url + '/', { headers: { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' } })).status).toBe(200);
    expect((await rawRequest(c.url + '/api/spans')).status).toBe(200);
    expect((await rawRequest(c.url + '/api/traces', { method: 'DELETE', headers: { origin: c.url } })).status).toBe(200);
    expect(c.spans()).toHaveLength(0);
  });

  it('following a link from another site opens the viewer, which no page may frame', async () => {
    const c = await start();
    const res = await rawRequest(c.url + '/', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('allowOrigins narrows ingestion: another origin gets 403 without CORS headers and stores nothing', async () => {
    const c = await start({ allowOrigins: ['http://localhost:5173'] });
    const refusedPreflight = await rawRequest(c.tracesUrl, { method: 'OPTIONS', headers: { origin: other, 'access-control-request-method': 'POST' } });
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.headers['access-control-allow-origin']).toBeUndefined();
    const refused = await rawRequest(c.tracesUrl, { method: 'POST', headers: { ...json, origin: other }, body: otlpBatch(1) });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).message).toBe(`origin "${other}" is not in --allow-origin`);
    const allowed = await rawRequest(c.tracesUrl, { method: 'POST', headers: { ...json, origin: 'http://localhost:5173' }, body: otlpBatch(1, { batch: 2 }) });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect((await rawRequest(c.tracesUrl, { method: 'POST', headers: json, body: otlpBatch(1, { batch: 3 }) })).status).toBe(200);
    expect(c.spans().map((s) => s.traceId.slice(0, 8))).toEqual(['00000003', '00000004']);
  });
});
