import { describe, expect, it } from 'vitest';
import { createTracing } from '../../src/index.js';
import { recordClientError } from '../../src/http/client-attributes.js';
import { memoryExporter } from './helpers/spans.js';

// A fetch or XHR may reject with anything; recording it must never throw.
describe('recordClientError', () => {
  it('records a null-prototype object (String() throws on it), null and undefined as ERROR, without throwing', async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 'test', exporter, batch: false });
    for (const error of [Object.create(null), Object.assign(Object.create(null), { name: 'AbortError' }), null, undefined, { name: 42 }]) {
      const span = tracing.tracer.startSpan('GET');
      expect(() => recordClientError(span, error)).not.toThrow();
      span.end();
    }
    await tracing.flush();
    expect(exporter.spans.map((s) => s.status.code)).toEqual([2, 2, 2, 2, 2]);
    // error.type: the error's name where it has one, else _OTHER (https://opentelemetry.io/docs/specs/semconv/registry/attributes/error/).
    expect(exporter.spans.map((s) => s.attributes['error.type'])).toEqual(['_OTHER', 'AbortError', '_OTHER', '_OTHER', '_OTHER']);
  });

  it("the status description is the error's message, else the rejection value itself as text", async () => {
    const exporter = memoryExporter();
    const tracing = createTracing({ serviceName: 'test', exporter, batch: false });
    for (const error of [new TypeError('Failed to fetch'), 'offline', null]) {
      const span = tracing.tracer.startSpan('GET');
      recordClientError(span, error);
      span.end();
    }
    await tracing.flush();
    expect(exporter.spans.map((s) => s.status.message)).toEqual(['Failed to fetch', 'offline', 'null']);
  });
});
