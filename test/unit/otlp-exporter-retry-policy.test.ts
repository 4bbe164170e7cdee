import { afterEach, describe, expect, it, vi } from 'vitest';
import { OtlpHttpExporter, ExportResultCode } from '../../src/index.js';
import { createSender, unreachable } from '../../src/export/otlp-http.js';
import { resetDiagnostics } from '../../src/core/diag.js';
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
    // Counted by the exporter, not by the server: on a busy machine the server may not have read a
    // request's body before the client gives up on it.
    expect(messages.join('\n')).toContain('after 2 attempt(s): no answer within 200 ms');
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

describe('OTLP/HTTP exporter: what a failed export says', () => {
  it('marks a failure retryable when the collector could not be reached or kept answering a retryable status, not when it refused', async () => {
    // exportBody: "A failure whose error has `retryable: true` means the collector could not be reached" (the browser then keeps the spans).
    const port = await closedPort();
    const refusedConnection = await new OtlpHttpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, retry: false }).export(await makeSpans(1));
    expect(refusedConnection.error).toMatchObject({ message: 'network error (fetch failed)', retryable: true });
    expect(unreachable(refusedConnection)).toBe(true);

    server = await startServer((_req, res, i) => res.writeHead(i === 0 ? 400 : 503).end());
    const refused = await exporterFor(server.url).export(await makeSpans(1));
    expect(refused.error?.message).toBe('HTTP 400');
    expect(refused.error).not.toHaveProperty('retryable');
    expect(unreachable(refused)).toBe(false);
    const overloaded = await exporterFor(server.url).export(await makeSpans(1));
    expect(overloaded.error).toMatchObject({ message: 'HTTP 503', retryable: true });
    expect(unreachable(overloaded)).toBe(true);
    expect(unreachable({ code: ExportResultCode.SUCCESS })).toBe(false);
  });

  it('says which status the collector answered and the start of its explanation, at most 300 characters', async () => {
    const explanation = 'x'.repeat(300) + 'TAIL';
    server = await startServer((_req, res, i) => res.writeHead(i === 0 ? 400 : 413).end(i === 0 ? '' : explanation));
    const endpoint = server.url + '/v1/traces';
    await exporterFor(server.url).export(await makeSpans(1));
    await exporterFor(server.url).export(await makeSpans(2));
    expect(messages).toEqual([
      `the collector at ${endpoint} answered HTTP 400; 1 spans dropped (not retryable)`,
      `the collector at ${endpoint} answered HTTP 413: ${'x'.repeat(300)}; 2 spans dropped (not retryable)`,
    ]);
  });

  it('a collector that answers a status and then breaks off its body still fails the export with that status', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(400, { 'content-length': '1000' });
      res.write('{"code":3', () => res.socket?.destroy());
    });
    const result = await exporterFor(server.url).export(await makeSpans(1));
    expect(result.error?.message).toBe('HTTP 400');
    expect(messages).toEqual([`the collector at ${server.url}/v1/traces answered HTTP 400; 1 spans dropped (not retryable)`]);
  });

  it('a 200 whose partialSuccess rejects nothing and says nothing is a plain success; rejected spans or a message are reported', async () => {
    // https://opentelemetry.io/docs/specs/otlp/#partial-success-1: rejected_spans 0 with an error_message is a warning;
    // an empty partial_success means full success.
    const bodies = [
      '{"partialSuccess":{}}',
      '{"partialSuccess":{"rejectedSpans":"0","errorMessage":""}}',
      '{"partialSuccess":null}',
      'accepted',
      '{"partialSuccess":{"rejectedSpans":2}}',
      '{"partialSuccess":{"rejectedSpans":"0","errorMessage":"spans older than 1h dropped soon"}}',
    ];
    server = await startServer((_req, res, i) => res.writeHead(200).end(bodies[i]));
    const exportAndReport = async () => {
      messages.length = 0;
      resetDiagnostics(); // the report is once per process
      expect((await exporterFor(server!.url).export(await makeSpans(3))).code).toBe(ExportResultCode.SUCCESS);
      return [...messages];
    };
    for (let i = 0; i < 4; i++) expect(await exportAndReport()).toEqual([]);
    expect(await exportAndReport()).toEqual(['the collector accepted the export partially: 2 of 3 spans rejected; not retried']);
    expect(await exportAndReport()).toEqual(['the collector accepted the export partially: 0 of 3 spans rejected (spans older than 1h dropped soon); not retried']);
  });

  it('a custom fetch that rejects with a value without a string form is a network error, never a throw', async () => {
    // Pure export logic (no HTTP meaning): what a polyfill may reject with.
    const result = await new OtlpHttpExporter({ fetch: () => Promise.reject(Object.create(null)), retry: false }).export(await makeSpans(1));
    expect(result.error).toMatchObject({ message: 'network error ()', retryable: true });
  });

  it('with no fetch to call, fails every export and says so once', async () => {
    const exporter = new OtlpHttpExporter({ fetch: 42 as unknown as typeof fetch });
    for (let i = 0; i < 2; i++) expect((await exporter.export(await makeSpans(1))).error?.message).toBe('no fetch');
    vi.stubGlobal('fetch', undefined);
    try {
      expect((await new OtlpHttpExporter().export(await makeSpans(1))).error?.message).toBe('no fetch');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(messages).toEqual(['no fetch() to call (none in this runtime, or the fetch option is not a function); spans cannot be exported']);
  });
});

describe('OTLP/HTTP exporter options', () => {
  it('retry: false makes a single attempt', async () => {
    server = await startServer((_req, res) => res.writeHead(503).end());
    const result = await exporterFor(server.url, { retry: false }).export(await makeSpans(1));
    expect(result.error?.message).toBe('HTTP 503');
    expect(server.requests).toHaveLength(1);
  });

  it('maxElapsedMillis also bounds a single attempt shorter than timeoutMillis', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const result = await exporterFor(server.url, { timeoutMillis: 20_000, maxElapsedMillis: 200, retry: false }).export(await makeSpans(1));
    expect(result.error?.message).toBe('no answer within 200 ms');
  });

  it('names the option that is wrong', () => {
    expect(() => new OtlpHttpExporter({ headers: { 'x-count': 1 as unknown as string } })).toThrow('tracelet: header "x-count" must be a string, got number');
    expect(() => new OtlpHttpExporter({ maxElapsedMillis: 0 })).toThrow('tracelet: maxElapsedMillis must be a number > 0, got 0');
    expect(() => new OtlpHttpExporter({ retry: { maxAttempts: 0 } })).toThrow('tracelet: retry.maxAttempts must be a number > 0, got 0');
    expect(() => new OtlpHttpExporter({ retry: { initialBackoffMillis: -5 } })).toThrow('tracelet: retry.initialBackoffMillis must be a number > 0, got -5');
    expect(() => new OtlpHttpExporter({ retry: { maxBackoffMillis: 0 } })).toThrow('tracelet: retry.maxBackoffMillis must be a number > 0, got 0');
    expect(() => new OtlpHttpExporter({ retry: { multiplier: 'x' as unknown as number } })).toThrow('tracelet: retry.multiplier must be a number > 0, got x');
    expect(() => new OtlpHttpExporter({ endpoint: 'xhttp://collector.test/v1/traces' })).toThrow('tracelet: endpoint "xhttp://collector.test/v1/traces" must be an http: or https: URL');
  });

  it("compression: 'gzip' or a function of the body; bodies of 1 KiB or less go uncompressed", async () => {
    server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    const endpoint = server.url + '/v1/traces';
    const json = (length: number) => '"' + 'x'.repeat(length - 2) + '"';
    await new OtlpHttpExporter({ endpoint, compression: 'gzip' }).exportBody(json(1025), 1);
    await new OtlpHttpExporter({ endpoint, compression: 'gzip' }).exportBody(json(1024), 1);
    const mine = async (body: string) => new Uint8Array((await import('node:zlib')).gzipSync(body.toUpperCase()));
    await new OtlpHttpExporter({ endpoint, compression: mine }).exportBody(json(2000), 1);
    expect(server.requests.map((r) => [r.headers['content-encoding'], r.body.length])).toEqual([
      ['gzip', 1025],
      [undefined, 1024],
      ['gzip', 2000],
    ]);
    expect(server.requests[2]!.body).toBe(json(2000).toUpperCase());
  });

  it('keepalive: sends bodies under 60 KiB (in bytes, after compression) with keepalive, larger ones without', async () => {
    // The browser's in-flight keepalive budget is 64 KiB (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch).
    server = await startServer((_req, res) => res.writeHead(200).end('{}'));
    const seen: (boolean | undefined)[] = [];
    const recording: typeof fetch = (input, init) => (seen.push(init?.keepalive), fetch(input, init));
    const exporter = (keepalive: boolean, compression: 'gzip' | 'none' = 'none') => new OtlpHttpExporter({ endpoint: server!.url + '/v1/traces', fetch: recording, keepalive, compression });
    await exporter(true).exportBody('x'.repeat(60 * 1024 - 1), 1);
    await exporter(true).exportBody('x'.repeat(60 * 1024), 1);
    await exporter(true).exportBody('é'.repeat(30 * 1024), 1); // 30 Ki characters, 60 KiB
    await exporter(true, 'gzip').exportBody('x'.repeat(100 * 1024), 1);
    await exporter(false).exportBody('{}', 1);
    expect(seen).toEqual([true, false, false, true, false]);
    expect(server.requests).toHaveLength(5);
  });

  it('after shutdown, exports fail without a request; shutdown waits for the exports in flight', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 50));
    const exporter = exporterFor(server.url);
    const inFlight = exporter.export(await makeSpans(1));
    await exporter.shutdown();
    expect(server.requests).toHaveLength(1);
    expect((await inFlight).code).toBe(ExportResultCode.SUCCESS);
    const late = await exporter.export(await makeSpans(1));
    expect(late).toMatchObject({ code: ExportResultCode.FAILED, error: { message: 'exporter is shut down' } });
    expect(server.requests).toHaveLength(1);
  });
});

describe('createSender hooks (the browser keeps bodies while it waits, and stops when the page refuses the collector)', () => {
  it('refused() after a wait ends the retries', async () => {
    server = await startServer((_req, res) => res.writeHead(503).end());
    const stored: string[] = [];
    const sender = createSender({ endpoint: server.url + '/v1/traces', retry: fastRetry }, undefined, { beforeRetry: (json) => stored.push(json), refused: () => true });
    const result = await sender.send('{"resourceSpans":[]}', 1);
    expect(result.error).toMatchObject({ message: 'HTTP 503', retryable: true });
    expect(server.requests).toHaveLength(1);
    expect(stored).toEqual(['{"resourceSpans":[]}']);
  });

  it('a hook that throws fails the export with its error, reported once, never a rejection', async () => {
    server = await startServer((_req, res) => res.writeHead(503).end());
    const boom = new Error('storage broke');
    const sender = createSender({ endpoint: server.url + '/v1/traces', retry: fastRetry }, undefined, {
      beforeRetry: () => {
        throw boom;
      },
    });
    expect(await sender.send('{}', 1)).toEqual({ code: ExportResultCode.FAILED, error: boom });
    expect(messages).toEqual(['export failed unexpectedly: Error: storage broke']);
  });
});
