import { afterEach, describe, expect, it } from 'vitest';
import { createPipeline, createTracing, type PipelineOptions } from '../../src/index.js';
import { createPropagator } from '../../src/propagation/composite.js';
import { resolveSpanLimits, DEFAULT_SPAN_LIMITS } from '../../src/core/limits.js';
import { memoryExporter } from './helpers/spans.js';

// Options are read as properties (`options.serviceName`), the way every option
// of tracelet is: what an options object inherits, a class's getters, counts
// the same as its own keys, and what Object.prototype carries does not make an
// option up.

const polluted = Object.prototype as Record<string, unknown>;
afterEach(() => {
  delete polluted.tracingPolluted;
});

describe('createPipeline', () => {
  it('takes the resource options an options object inherits (a class with getters, Object.create)', async () => {
    class Options {
      exporter = memoryExporter();
      propagator = createPropagator();
      batch = false as const;
      get serviceName() {
        return 'shop';
      }
      get serviceVersion() {
        return '1.2.3';
      }
      get environment() {
        return 'staging';
      }
      get resource() {
        return { 'host.name': 'box' };
      }
    }
    const options = new Options();
    const tracing = createPipeline(options as unknown as PipelineOptions);
    tracing.tracer.startSpan('a').end();
    expect(options.exporter.spans[0]!.resource.attributes).toMatchObject({
      'service.name': 'shop',
      'service.version': '1.2.3',
      'deployment.environment.name': 'staging',
      'host.name': 'box',
    });

    const exporter = memoryExporter();
    const inherited = Object.assign(Object.create({ serviceName: 'inherited' }) as PipelineOptions, { exporter, propagator: createPropagator(), batch: false as const });
    createPipeline(inherited).tracer.startSpan('b').end();
    expect(exporter.spans[0]!.resource.attributes['service.name']).toBe('inherited');
  });
});

describe('span limits', () => {
  it('an enumerable member of Object.prototype is no span limit: given limits are checked as before, none is added', () => {
    polluted.tracingPolluted = 'not a number';
    expect(() => resolveSpanLimits({ attributeCountLimit: 5 })).not.toThrow();
    const resolved = resolveSpanLimits({ attributeCountLimit: 5 });
    expect(Object.keys(resolved)).toEqual(Object.keys(DEFAULT_SPAN_LIMITS));
    expect(resolved.attributeCountLimit).toBe(5);
    expect(Object.keys(resolveSpanLimits(undefined))).toEqual(Object.keys(DEFAULT_SPAN_LIMITS));
    expect(() => createTracing({ exporter: memoryExporter(), batch: false, spanLimits: { linkCountLimit: 1 } })).not.toThrow();
  });
});

describe('batch options', () => {
  it('an enumerable member of Object.prototype is no batch option: given options are checked as before, none is added', async () => {
    const { resolveBatchOptions } = await import('../../src/core/batch-span-processor.js');
    polluted.tracingPolluted = 'not a number';
    expect(() => resolveBatchOptions({ maxQueueSize: 100, maxExportBatchSize: 10 })).not.toThrow();
    const resolved = resolveBatchOptions({ maxQueueSize: 100, maxExportBatchSize: 10 });
    expect(Object.keys(resolved)).not.toContain('tracingPolluted');
    expect([resolved.maxQueueSize, resolved.maxExportBatchSize]).toEqual([100, 10]);
  });
});

describe('the OTLP exporter', () => {
  it('keeps its headers read-only and out of JSON, so a logged exporter shows no API key', async () => {
    const { OtlpHttpExporter } = await import('../../src/export/otlp-http.js');
    const exporter = new OtlpHttpExporter({ endpoint: 'http://127.0.0.1:1/v1/traces', headers: { 'X-Api-Key': 'secret' } });
    expect(exporter.headers).toEqual({ 'x-api-key': 'secret', 'content-type': 'application/json' });
    expect(JSON.stringify(exporter)).not.toContain('secret');
    expect(() => ((exporter.headers as Record<string, string>)['x-api-key'] = 'changed')).toThrow(TypeError);
    expect(exporter.headers['x-api-key']).toBe('secret');
  });
});
