import { describe, expect, it } from 'vitest';
import { createTracing, type Span } from '../../src/index.js';
import { clientSpanStart, recordClientStatus } from '../../src/http/client-attributes.js';
import { memoryExporter } from './helpers/spans.js';

// HTTP client spans, stable semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client).

describe('clientSpanStart', () => {
  it('names the span by the method and records url.full (redacted), server.address and server.port', () => {
    expect(clientSpanStart('GET', new URL('https://u:p@api.test:8443/items?sig=abc&page=2'), ['sig'])).toStrictEqual({
      name: 'GET',
      attributes: {
        'url.full': 'https://REDACTED:REDACTED@api.test:8443/items?sig=REDACTED&page=2',
        'server.address': 'api.test',
        'server.port': 8443,
        'http.request.method': 'GET',
      },
    });
  });

  it("server.port is the scheme's default port when the URL names none (80 for http, 443 for https)", () => {
    expect(clientSpanStart('GET', new URL('http://api.test/'), []).attributes['server.port']).toBe(80);
    expect(clientSpanStart('GET', new URL('https://api.test/'), []).attributes['server.port']).toBe(443);
    expect(clientSpanStart('GET', new URL('http://api.test:443/'), []).attributes['server.port']).toBe(443);
    expect(clientSpanStart('GET', new URL('https://api.test:80/'), []).attributes['server.port']).toBe(80);
  });

  it('a method is known only when it is one of the listed methods exactly, not when it contains one', () => {
    // http.request.method: "If the HTTP request method is not known to instrumentation, it MUST set it to _OTHER".
    for (const method of ['PROPPATCH', 'GETALL', 'XPOST', 'POSTS']) {
      expect(clientSpanStart(method, new URL('https://api.test/'), [])).toMatchObject({
        name: 'HTTP',
        attributes: { 'http.request.method': '_OTHER', 'http.request.method_original': method },
      });
    }
    for (const method of ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']) {
      expect(clientSpanStart(method, new URL('https://api.test/'), []).name).toBe(method);
    }
  });
});

describe('recordClientStatus', () => {
  async function statusSpans(statuses: number[]) {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 'test', exporter, batch: false });
    for (const status of statuses) {
      const span: Span = tracing.tracer.startSpan('GET');
      recordClientStatus(span, status);
      span.end();
    }
    await tracing.flush();
    return exporter.spans.map((s) => ({ attributes: { ...s.attributes }, status: s.status }));
  }

  it('records the status code; 4xx and 5xx make the span an ERROR with error.type the status code, below 400 the status stays unset', async () => {
    // "For HTTP status codes in the 4xx range span status MUST be left unset in case of SpanKind.SERVER and
    // MUST be set to Error in case of SpanKind.CLIENT"; error.type is the status code as a string.
    expect(await statusSpans([200, 304, 399, 400, 404, 503])).toEqual([
      { attributes: { 'http.response.status_code': 200 }, status: { code: 0 } },
      { attributes: { 'http.response.status_code': 304 }, status: { code: 0 } },
      { attributes: { 'http.response.status_code': 399 }, status: { code: 0 } },
      { attributes: { 'http.response.status_code': 400, 'error.type': '400' }, status: { code: 2 } },
      { attributes: { 'http.response.status_code': 404, 'error.type': '404' }, status: { code: 2 } },
      { attributes: { 'http.response.status_code': 503, 'error.type': '503' }, status: { code: 2 } },
    ]);
  });
});
