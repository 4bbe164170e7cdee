import { describe, expect, it } from 'vitest';
import { createPipeline, type PipelineOptions } from '../../src/index.js';
import { createPropagator } from '../../src/propagation/composite.js';
import { memoryExporter } from './helpers/spans.js';

// Options are read as properties (`options.serviceName`), the way every option
// of tracelet is: what an options object inherits, a class's getters, counts
// the same as its own keys.

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
