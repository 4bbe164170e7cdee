import { afterEach, describe, expect, it } from 'vitest';
import { OtlpHttpExporter, ExportResultCode } from '../../src/index.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { closedPort, startServer, type TestServer } from './helpers/http-server.js';
import { makeSpans } from './helpers/spans.js';

// Real HTTP servers on 127.0.0.1 that misbehave in the ways collectors do.
// Backoffs are shortened so the suite is quick; the policy is the same.
const fastRetry = { maxAttempts: 4, initialBackoffMillis: 20, maxBackoffMillis: 50, multiplier: 2 };

let server: TestServer | undefined;

const messages = captureDiagnostics();
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function exporterFor(url: string, extra: Partial<ConstructorParameters<typeof OtlpHttpExporter>[0]> = {}) {
  return new OtlpHttpExporter({ endpoint: url + '/v1/traces', retry: fastRetry, compression: 'none', ...extra });
}

describe('OTLP/HTTP exporter against misbehaving collectors', () => {
  it('posts application/json to the endpoint with custom headers and the spans in the body', async () => {
    server = await startServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const spans = await makeSpans(3);
    const result = await exporterFor(server.url, { headers: { 'X-Api-Key': 'secret' } }).export(spans);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/traces');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-api-key']).toBe('secret');
    const body = JSON.parse(req.body);
    expect(body.resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)).toEqual(['span 0', 'span 1', 'span 2']);
  });

  it('does not retry a 500 and reports it once', async () => {
    server = await startServer((_req, res) => res.writeHead(500).end('boom'));
    const exporter = exporterFor(server.url);
    const result = await exporter.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(1);
    await exporter.export(await makeSpans(1));
    expect(messages.filter((m) => m.includes('HTTP 500'))).toHaveLength(1);
    expect(messages[0]).toContain('boom');
  });

  it('does not retry a 400 and shows the collector message', async () => {
    server = await startServer((_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":3,"message":"traceId: bad"}'));
    const result = await exporterFor(server.url).export(await makeSpans(2));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(1);
    expect(messages.join('\n')).toMatch(/HTTP 400.*traceId: bad/);
  });

  it('retries 503 after the Retry-After delay and then succeeds', async () => {
    server = await startServer((_req, res, i) => {
      if (i === 0) res.writeHead(503, { 'retry-after': '1' }).end();
      else res.writeHead(200).end('{}');
    });
    const result = await exporterFor(server.url).export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(2);
    const gap = server.requests[1]!.at - server.requests[0]!.at;
    // Retry-After: 1 means one second, far longer than the 20-50 ms backoff.
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
  });

  it('retries 429, 502 and 504 with backoff until success', async () => {
    const statuses = [429, 502, 504];
    server = await startServer((_req, res, i) => {
      if (i < statuses.length) res.writeHead(statuses[i]!).end();
      else res.writeHead(200).end('{}');
    });
    const result = await exporterFor(server.url).export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(4);
  });

  it('gives up after maxAttempts on a collector that keeps answering 503', async () => {
    server = await startServer((_req, res) => res.writeHead(503).end());
    const result = await exporterFor(server.url).export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(fastRetry.maxAttempts);
    expect(messages.join('\n')).toMatch(/gave up exporting 1 spans .* after 4 attempt\(s\): HTTP 503/);
  });

  it('gives up at once when Retry-After asks for longer than the export may take', async () => {
    server = await startServer((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
    const result = await exporterFor(server.url, { maxElapsedMillis: 2000 }).export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(1);
    // Given up after the first attempt, without waiting: a wait would have been an hour (the test's timeout).
    expect(messages.join('\n')).toMatch(/gave up exporting 1 spans .* after 1 attempt\(s\): HTTP 429/);
  });

  it('cuts off a collector that hangs past the timeout, retries, and never throws', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const exporter = exporterFor(server.url, { timeoutMillis: 200, retry: { maxAttempts: 2, initialBackoffMillis: 10 } });
    const result = await exporter.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(2);
    expect(messages.join('\n')).toContain('no answer within 200 ms');
  });

  it('treats connection refused as retryable and fails without throwing', async () => {
    const port = await closedPort();
    const exporter = new OtlpHttpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, retry: { maxAttempts: 3, initialBackoffMillis: 10 } });
    const result = await exporter.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(messages.join('\n')).toMatch(/after 3 attempt\(s\): network error/);
  });

  it('does not retry a 200 with partialSuccess and reports the rejection once', async () => {
    server = await startServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"partialSuccess":{"rejectedSpans":"2","errorMessage":"too old"}}'),
    );
    const exporter = exporterFor(server.url);
    expect((await exporter.export(await makeSpans(3))).code).toBe(ExportResultCode.SUCCESS);
    expect((await exporter.export(await makeSpans(3))).code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(2);
    const partial = messages.filter((m) => m.includes('partially'));
    expect(partial).toEqual(['the collector accepted the export partially: 2 of 3 spans rejected (too old); not retried']);
  });

  it('gzips large bodies with Content-Encoding: gzip unless compression is none', async () => {
    server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    const spans = await makeSpans(50);
    await new OtlpHttpExporter({ endpoint: server.url + '/v1/traces' }).export(spans);
    await new OtlpHttpExporter({ endpoint: server.url + '/v1/traces', compression: 'none' }).export(spans);
    expect(server.requests[0]!.headers['content-encoding']).toBe('gzip');
    expect(server.requests[1]!.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(server.requests[0]!.body)).toEqual(JSON.parse(server.requests[1]!.body));
  });

  it('marks its own requests so instrumentation never traces them', async () => {
    let seenInit: RequestInit | undefined;
    server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    const exporter = new OtlpHttpExporter({
      endpoint: server.url + '/v1/traces',
      fetch: (input, init) => {
        seenInit = init;
        return fetch(input, init);
      },
    });
    await exporter.export(await makeSpans(1));
    expect((seenInit as Record<symbol, unknown>)[Symbol.for('tracelet.suppress_tracing')]).toBe(true);
    expect(server.requests[0]!.headers.traceparent).toBeUndefined();
  });

  it('rejects bad configuration at construction with a clear message', () => {
    expect(() => new OtlpHttpExporter({ endpoint: 'not a url' })).toThrow(/endpoint "not a url" is not a valid URL/);
    expect(() => new OtlpHttpExporter({ endpoint: 'ftp://x/v1/traces' })).toThrow(/http: or https:/);
    expect(() => new OtlpHttpExporter({ timeoutMillis: -1 })).toThrow(/timeoutMillis must be a number > 0/);
    expect(() => new OtlpHttpExporter({ compression: 'br' as 'gzip' })).toThrow(/compression must be/);
  });

  it('a custom fetch that never settles and ignores the abort signal still ends at the timeout', async () => {
    // Pure export logic (no HTTP meaning): the fetch a runtime or a polyfill hands in.
    const exporter = new OtlpHttpExporter({ fetch: () => new Promise<Response>(() => {}), timeoutMillis: 50, retry: false });
    const result = await exporter.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    // The timeout ended it (the fetch never settles, so nothing else could have).
    expect(String(result.error?.message)).toContain('no answer within 50 ms');
    await expect(exporter.forceFlush()).resolves.toBeUndefined(); // nothing left pending
  });
});
