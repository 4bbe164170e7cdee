// ZipkinExporter's delivery is the OTLP exporter's (the same sender): real
// HTTP servers on 127.0.0.1 that answer as Zipkin does (202) or misbehave.
// Backoffs are shortened so the file is quick; the policy is the same.
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportResultCode } from '../../src/index.js';
import { createTracing, DEFAULT_ZIPKIN_URL, ZipkinExporter, zipkinFromEnv } from '../../src/zipkin.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { closedPort, startServer, type TestServer } from './helpers/http-server.js';
import { makeSpans } from './helpers/spans.js';

const fastRetry = { maxAttempts: 4, initialBackoffMillis: 20, maxBackoffMillis: 50, multiplier: 2 };
let server: TestServer | undefined;
const messages = captureDiagnostics();
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ZipkinExporter delivery', () => {
  it('retries a 503 and then succeeds on 202, with the same body each time', async () => {
    server = await startServer((_req, res, i) => (i === 0 ? res.writeHead(503).end('busy') : res.writeHead(202).end()));
    const exporter = new ZipkinExporter({ url: `${server.url}/api/v2/spans`, retry: fastRetry, compression: 'none', headers: { 'X-Api-Key': 'k' } });
    const result = await exporter.export(await makeSpans(2));
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.body).toBe(server.requests[0]!.body);
    expect(server.requests[1]!.headers['x-api-key']).toBe('k');
    expect(JSON.parse(server.requests[1]!.body).map((s: { name: string }) => s.name)).toEqual(['span 0', 'span 1']);
    expect(messages).toEqual([]);
  });

  it('does not retry a 400 and says so once; gives up after maxAttempts on 503', async () => {
    server = await startServer((_req, res) => res.writeHead(400).end('bad span'));
    const bad = new ZipkinExporter({ url: `${server.url}/api/v2/spans`, retry: fastRetry, compression: 'none' });
    expect((await bad.export(await makeSpans(1))).code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(1);
    expect(messages.some((m) => m.includes('HTTP 400') && m.includes('bad span'))).toBe(true);
    await server.close();
    server = await startServer((_req, res) => res.writeHead(503).end());
    const busy = new ZipkinExporter({ url: `${server.url}/api/v2/spans`, retry: fastRetry, compression: 'none' });
    expect((await busy.export(await makeSpans(1))).code).toBe(ExportResultCode.FAILED);
    expect(server.requests).toHaveLength(4);
  });

  it('gzips bodies over 1 KiB by default (Zipkin reads Content-Encoding: gzip)', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const exporter = new ZipkinExporter({ url: `${server.url}/api/v2/spans` });
    expect((await exporter.export(await makeSpans(20))).code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests[0]!.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(server.requests[0]!.body)).toHaveLength(20);
  });

  it('bounded queue: with Zipkin down, the batch processor keeps maxQueueSize spans and counts the rest', async () => {
    const port = await closedPort();
    const tracing = createTracing({ serviceName: 'z', exporter: 'zipkin', endpoint: `http://127.0.0.1:${port}/api/v2/spans`, retry: false, registerGlobals: false, batch: { maxQueueSize: 4, maxExportBatchSize: 4, scheduledDelayMillis: 60_000 } });
    for (let i = 0; i < 10; i++) tracing.tracer.startSpan(`s${i}`).end();
    expect(tracing.batchProcessor!.queueSize).toBe(4);
    expect(tracing.batchProcessor!.droppedSpans).toBe(6);
    await tracing.shutdown();
    expect(messages.some((m) => m.includes('span queue full (4)'))).toBe(true);
  });

  it("createTracing({ exporter: 'zipkin' }) sends Zipkin JSON to endpoint; other exporters are tracelet's createTracing's", async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const tracing = createTracing({ serviceName: 'shop', exporter: 'zipkin', endpoint: `${server.url}/api/v2/spans`, compression: 'none', registerGlobals: false });
    tracing.tracer.startSpan('checkout').end();
    await tracing.shutdown();
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v2/spans']);
    const [span] = JSON.parse(server.requests[0]!.body);
    expect(span).toMatchObject({ name: 'checkout', localEndpoint: { serviceName: 'shop' } });
    // Without exporter: 'zipkin' it is tracelet's createTracing: OTLP to endpoint.
    const otlp = createTracing({ serviceName: 'shop', endpoint: `${server.url}/v1/traces`, compression: 'none', registerGlobals: false });
    otlp.tracer.startSpan('pay').end();
    await otlp.shutdown();
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v2/spans', '/v1/traces']);
    expect(JSON.parse(server.requests[1]!.body).resourceSpans[0].scopeSpans[0].spans[0].name).toBe('pay');
    expect(() => createTracing({ exporter: 'jaeger' as 'zipkin' })).toThrow(/exporter must be 'otlp', 'console'/);
  });

  it('the default URL is Zipkin\'s; a URL that is not http(s) is a TypeError (E30)', () => {
    expect(new ZipkinExporter().url).toBe('http://localhost:9411/api/v2/spans');
    expect(DEFAULT_ZIPKIN_URL).toBe('http://localhost:9411/api/v2/spans');
    expect(() => new ZipkinExporter({ url: 'zipkin:9411' })).toThrow(/zipkin url "zipkin:9411" must be an http: or https: URL/);
    expect(() => new ZipkinExporter({ url: 'not a url' })).toThrow(TypeError);
    expect(() => new ZipkinExporter({ compression: 'brotli' as 'gzip' })).toThrow(/compression must be 'gzip' or 'none'/);
  });

  it("compression: 'none' sends a large body as is, 'gzip' gzips it, a function is the compressor; anything else is E4", async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const url = `${server.url}/api/v2/spans`;
    const spans = await makeSpans(20);
    expect(typeof CompressionStream).toBe('function');
    expect((await new ZipkinExporter({ url, compression: 'none' }).export(spans)).code).toBe(ExportResultCode.SUCCESS);
    expect((await new ZipkinExporter({ url, compression: 'gzip' }).export(spans)).code).toBe(ExportResultCode.SUCCESS);
    const compressed: string[] = [];
    const compression = async (json: string) => (compressed.push(json), new Uint8Array(gzipSync(json)));
    expect((await new ZipkinExporter({ url, compression }).export(spans)).code).toBe(ExportResultCode.SUCCESS);
    const [none, gzip, custom] = server.requests;
    expect(none!.headers['content-encoding']).toBeUndefined();
    expect(Number(none!.headers['content-length'])).toBe(Buffer.byteLength(none!.body));
    expect(gzip!.headers['content-encoding']).toBe('gzip');
    expect(Number(gzip!.headers['content-length'])).toBeLessThan(Buffer.byteLength(gzip!.body));
    expect(custom!.headers['content-encoding']).toBe('gzip');
    expect(compressed).toEqual([custom!.body]);
    for (const request of server.requests) expect(JSON.parse(request.body)).toHaveLength(20);
    expect(none!.body).toBe(gzip!.body);
    expect(messages).toEqual([]);
    expect(() => new ZipkinExporter({ compression: 'brotli' as 'gzip' })).toThrow(new TypeError("tracelet: compression must be 'gzip' or 'none', got brotli"));
  });

  it('headers: the configured ones lower-cased with content-type, readable on the exporter but not in its JSON', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const exporter = new ZipkinExporter({ url: `${server.url}/api/v2/spans`, headers: { 'X-Api-Key': 'secret' } });
    expect(exporter.headers).toEqual({ 'x-api-key': 'secret', 'content-type': 'application/json' });
    expect(JSON.stringify(exporter)).not.toContain('secret');
    await exporter.export(await makeSpans(1));
    expect(server.requests[0]!.headers).toMatchObject(exporter.headers);
  });

  it('exporting no spans succeeds without a request', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const exporter = new ZipkinExporter({ url: `${server.url}/api/v2/spans` });
    expect(await exporter.export([])).toEqual({ code: ExportResultCode.SUCCESS });
    await exporter.export(await makeSpans(1));
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body)).toHaveLength(1);
  });

  it('a URL whose scheme only ends in http(s) is E30 with the Zipkin wording, not the OTLP sender\'s E2', () => {
    expect(() => new ZipkinExporter({ url: 'git+https://zipkin.example.com/api/v2/spans' })).toThrow(
      new TypeError('tracelet: zipkin url "git+https://zipkin.example.com/api/v2/spans" must be an http: or https: URL, e.g. http://localhost:9411/api/v2/spans'),
    );
    expect(new ZipkinExporter({ url: 'HTTPS://zipkin.example.com/api/v2/spans' }).url).toBe('https://zipkin.example.com/api/v2/spans');
  });

  it('after shutdown, export fails without a request', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const exporter = new ZipkinExporter({ url: `${server.url}/api/v2/spans` });
    await exporter.shutdown();
    const result = await exporter.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('exporter is shut down');
    expect(server.requests).toHaveLength(0);
  });
});

describe('zipkinFromEnv', () => {
  it('OTEL_TRACES_EXPORTER=zipkin (any case, in a list) gives a ZipkinExporter for OTEL_EXPORTER_ZIPKIN_ENDPOINT, else nothing', () => {
    expect(zipkinFromEnv({})).toEqual({});
    expect(zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({});
    expect(zipkinFromEnv(undefined)).toEqual({});
    const { exporter } = zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'console, Zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'https://zipkin.example.com/api/v2/spans' });
    expect(exporter).toBeInstanceOf(ZipkinExporter);
    expect((exporter as ZipkinExporter).url).toBe('https://zipkin.example.com/api/v2/spans');
    expect((zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' }).exporter as ZipkinExporter).url).toBe(DEFAULT_ZIPKIN_URL);
    expect(messages).toEqual([]);
  });

  it('an endpoint that is no http(s) URL or a bad timeout is reported once (W50) and the default used', () => {
    const { exporter } = zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin:9411', OTEL_EXPORTER_ZIPKIN_TIMEOUT: 'soon' });
    expect((exporter as ZipkinExporter).url).toBe(DEFAULT_ZIPKIN_URL);
    expect(messages).toEqual([
      'OTEL_EXPORTER_ZIPKIN_ENDPOINT: invalid value "zipkin:9411" ignored; using http://localhost:9411/api/v2/spans',
      'OTEL_EXPORTER_ZIPKIN_TIMEOUT: invalid value "soon" ignored; using 10000 ms',
    ]);
  });

  it('values are trimmed, and a variable of only whitespace is unset (no W50)', async () => {
    server = await startServer((_req, res) => res.writeHead(202).end());
    const { exporter } = zipkinFromEnv({ OTEL_TRACES_EXPORTER: ' zipkin ', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `  ${server.url}/api/v2/spans\n`, OTEL_EXPORTER_ZIPKIN_TIMEOUT: ' \t ' });
    expect(exporter!.url).toBe(`${server.url}/api/v2/spans`);
    expect((await exporter!.export(await makeSpans(1))).code).toBe(ExportResultCode.SUCCESS);
    expect(server.requests).toHaveLength(1);
    expect((zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: '   ' }).exporter as ZipkinExporter).url).toBe(DEFAULT_ZIPKIN_URL);
    expect(zipkinFromEnv({ OTEL_TRACES_EXPORTER: '  ' })).toEqual({});
    expect(messages).toEqual([]);
  });

  it('an endpoint that only contains http(s):// later, or a timeout of 0, is invalid (W50), not an exporter that throws or never waits', () => {
    const { exporter } = zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'ftp://x/http://y', OTEL_EXPORTER_ZIPKIN_TIMEOUT: '0' });
    expect((exporter as ZipkinExporter).url).toBe(DEFAULT_ZIPKIN_URL);
    expect(messages).toEqual([
      'OTEL_EXPORTER_ZIPKIN_ENDPOINT: invalid value "ftp://x/http://y" ignored; using http://localhost:9411/api/v2/spans',
      'OTEL_EXPORTER_ZIPKIN_TIMEOUT: invalid value "0" ignored; using 10000 ms',
    ]);
  });

  it('OTEL_EXPORTER_ZIPKIN_TIMEOUT sets the time one request may take', async () => {
    // A server that never answers: the attempt ends after the timeout.
    server = await startServer(() => {});
    const { exporter } = zipkinFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${server.url}/api/v2/spans`, OTEL_EXPORTER_ZIPKIN_TIMEOUT: '50' }, { retry: false });
    const result = await exporter!.export(await makeSpans(1));
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(result.error?.message).toBe('no answer within 50 ms');
  });
});
