import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportResultCode, OtlpHttpExporter } from '../../src/index.js';
import { createSender } from '../../src/export/otlp-http.js';
import { captureDiagnostics } from './helpers/diagnostics.js';
import { closedPort, startServer, type TestServer } from './helpers/http-server.js';
import { makeSpans } from './helpers/spans.js';

// The production build (what `import 'tracelet'` gets by default) prints codes
// instead of sentences: `[tracelet] W3 401 (docs/diagnostics.md#w3)`, the code,
// its detail and the section of docs/diagnostics.md that explains it. Here the
// source runs as that build does: rollup.config.mjs swaps src/core/dev.ts for
// `export const DEV = false`.
vi.mock('../../src/core/dev.js', () => ({ DEV: false }));

let server: TestServer | undefined;
const messages = captureDiagnostics();
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const fastRetry = { maxAttempts: 2, initialBackoffMillis: 10 };

describe('OTLP/HTTP exporter diagnostics in the production build', () => {
  it('bad options throw TypeErrors with codes E2, E3 and E4 and the offending value', () => {
    expect(() => new OtlpHttpExporter({ endpoint: 'ftp://otel.example.com/v1/traces' })).toThrow(new TypeError('tracelet: E2 ftp://otel.example.com/v1/traces (docs/diagnostics.md#e2)'));
    expect(() => new OtlpHttpExporter({ headers: { 'x-count': 1 as unknown as string } })).toThrow(new TypeError('tracelet: E3 x-count (docs/diagnostics.md#e3)'));
    expect(() => new OtlpHttpExporter({ compression: 'br' as 'gzip' })).toThrow(new TypeError('tracelet: E4 br (docs/diagnostics.md#e4)'));
  });

  it('export failures print W1 to W5 with their detail', async () => {
    expect((await new OtlpHttpExporter({ fetch: 42 as unknown as typeof fetch }).export(await makeSpans(1))).code).toBe(ExportResultCode.FAILED);
    server = await startServer((req, res, i) => {
      if (i === 0) res.writeHead(200).end('{"partialSuccess":{"rejectedSpans":1}}');
      else if (i === 1) res.writeHead(401).end('unauthorized');
      else res.writeHead(503).end();
    });
    const endpoint = server.url + '/v1/traces';
    await new OtlpHttpExporter({ endpoint, compression: 'none' }).export(await makeSpans(2));
    await new OtlpHttpExporter({ endpoint, compression: 'none' }).export(await makeSpans(1));
    await new OtlpHttpExporter({ endpoint, compression: 'none', retry: fastRetry }).export(await makeSpans(1));
    const throwing = createSender({ endpoint, retry: fastRetry }, undefined, {
      beforeRetry: () => {
        throw new Error('storage broke');
      },
    });
    await throwing.send('{}', 1);
    const port = await closedPort();
    await new OtlpHttpExporter({ endpoint: `http://127.0.0.1:${port}/v1/traces`, retry: false }).export(await makeSpans(1));
    expect(messages).toEqual([
      'W1 (docs/diagnostics.md#w1)',
      'W2 (docs/diagnostics.md#w2)',
      'W3 401 (docs/diagnostics.md#w3)',
      'W4 HTTP 503 (docs/diagnostics.md#w4)',
      'W5 Error: storage broke (docs/diagnostics.md#w5)',
      'W4 network error (fetch failed) (docs/diagnostics.md#w4)',
    ]);
  });
});
