// The production build of tracelet/zipkin prints the forms docs/diagnostics.md
// shows for E30 and W50: the code, its detail, its anchor. Here the source
// runs as that build does (src/core/dev.ts mocked to `DEV = false`, as rollup swaps it).
import { describe, expect, it, vi } from 'vitest';
import { ZipkinExporter, zipkinFromEnv } from '../../src/zipkin.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

vi.mock('../../src/core/dev.js', () => ({ DEV: false }));

const messages = captureDiagnostics();

describe('tracelet/zipkin in the production build', () => {
  it('E30 is a TypeError with the URL as detail', () => {
    expect(() => new ZipkinExporter({ url: 'ftp://zipkin/api/v2/spans' })).toThrow(new TypeError('tracelet: E30 ftp://zipkin/api/v2/spans (docs/diagnostics.md#e30)'));
  });

  it('W50 names the variable and its value, once per pair', () => {
    const env = { OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: 'zipkin:9411', OTEL_EXPORTER_ZIPKIN_TIMEOUT: '-1' };
    zipkinFromEnv(env);
    zipkinFromEnv(env);
    expect(messages).toEqual(['W50 OTEL_EXPORTER_ZIPKIN_ENDPOINT=zipkin:9411 (docs/diagnostics.md#w50)', 'W50 OTEL_EXPORTER_ZIPKIN_TIMEOUT=-1 (docs/diagnostics.md#w50)']);
  });
});
