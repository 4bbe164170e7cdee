import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION, createTracing, setDiagnosticSink } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

describe('createTracing', () => {
  it('builds the resource from the options', async () => {
    const exporter = memoryExporter();
    const t = createTracing({ serviceName: 'shop', serviceVersion: '1.2.3', environment: 'staging', resource: { 'team.name': 'web' }, exporter, batch: false });
    t.tracer.startSpan('x').end();
    await t.flush();
    expect({ ...exporter.spans[0]!.resource.attributes }).toEqual({
      'service.name': 'shop',
      'team.name': 'web',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'telemetry.sdk.name': 'tracelet',
      'telemetry.sdk.language': 'nodejs',
      'telemetry.sdk.version': VERSION,
    });
  });

  it('defaults service.name to unknown_service, and has no version or environment keys unless given', () => {
    const exporter = memoryExporter();
    createTracing({ exporter, batch: false }).tracer.startSpan('x').end();
    expect(Object.keys(exporter.spans[0]!.resource.attributes)).toEqual(['service.name', 'telemetry.sdk.name', 'telemetry.sdk.language', 'telemetry.sdk.version']);
    expect(exporter.spans[0]!.resource.attributes['service.name']).toBe('unknown_service');
  });

  it('fails at once with a clear message on bad options', () => {
    expect(() => createTracing({ endpoint: 'nope' })).toThrow(/endpoint "nope" is not a valid URL/);
    expect(() => createTracing({ batch: { maxQueueSize: -5 } })).toThrow(/batch.maxQueueSize must be a whole number >= 1, got -5/);
    expect(() => createTracing({ sampler: 'sometimes' })).toThrow(/unknown sampler "sometimes"/);
    expect(() => createTracing({ exporter: 'zipkin' as 'otlp' })).toThrow(/exporter must be 'otlp', 'console' or an object/);
    expect(() => createTracing({ serviceName: 42 as unknown as string })).toThrow(/serviceName must be a string/);
    expect(() => createTracing({ spanLimits: { attributeCountLimit: -1 } })).toThrow(/spanLimits.attributeCountLimit/);
  });

  it('null for an optional part means its default, never a later throw', async () => {
    const exporter = memoryExporter();
    const t = createTracing({ exporter, batch: false, contextManager: null, spanLimits: null } as never);
    t.tracer.startActiveSpan('parent', (parent) => {
      t.tracer.startSpan('child').end();
      parent.end();
    });
    await t.flush();
    expect(exporter.spans.map((s) => s.name)).toEqual(['child', 'parent']);
    expect(exporter.spans[0]!.parentSpanId).toBe(exporter.spans[1]!.spanContext().spanId);
  });

  it('warns once about unknown options (typos) and carries on', () => {
    const messages: string[] = [];
    const previous = setDiagnosticSink((_l, m) => messages.push(m));
    try {
      createTracing({ exporter: memoryExporter(), servicename: 'x' } as never);
      expect(messages).toEqual(['unknown option "servicename" ignored; see the README for the options']);
    } finally {
      setDiagnosticSink(previous);
    }
  });

  it('flush and shutdown never reject, and shutdown is idempotent', async () => {
    let shutdowns = 0;
    const t = createTracing({ exporter: { export: () => Promise.reject(new Error('x')), shutdown: async () => void shutdowns++ } });
    const previous = setDiagnosticSink(() => {});
    try {
      t.tracer.startSpan('a').end();
      await expect(t.flush()).resolves.toBeUndefined();
      await expect(Promise.all([t.shutdown(), t.shutdown()])).resolves.toEqual([undefined, undefined]);
      await expect(t.shutdown()).resolves.toBeUndefined();
      // Idempotent: the exporter is shut down once, however often shutdown() is called.
      expect(shutdowns).toBe(1);
    } finally {
      setDiagnosticSink(previous);
    }
  });

  it('VERSION matches package.json', () => {
    expect(VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });
});
