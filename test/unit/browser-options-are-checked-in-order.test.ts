// startBrowserTracing's bad options: a TypeError naming the option, and when
// several are bad, the first in the order they are checked: the page's own
// options, then the delivery's (endpoint ...), then the pipeline's parts. Pure
// option logic, checked before anything is installed, so Node is the place.
import { describe, expect, it } from 'vitest';
import { startBrowserTracing, type BrowserTracingOptions } from '../../src/browser.js';

const start = (options: unknown) => () => startBrowserTracing(options as BrowserTracingOptions);

describe('startBrowserTracing option checks', () => {
  it('each bad option is a TypeError naming it', () => {
    expect(start(5)).toThrow(new TypeError('tracelet: startBrowserTracing(options) takes an object'));
    expect(start({ instrumentations: 'fetch' })).toThrow('tracelet: instrumentations must be an array such as');
    expect(start({ contextManager: {} })).toThrow('tracelet: contextManager must be a ContextManager');
    expect(start({ sampleRate: 2 })).toThrow('tracelet: sampleRate must be a number from 0 to 1, got 2');
    expect(start({ ignoreUrls: '/health' })).toThrow('tracelet: ignoreUrls must be an array of strings and RegExps');
    expect(start({ endpoint: 'ftp://collector.example/v1/traces' })).toThrow('must be an http: or https: URL');
    expect(start({ serviceName: 5 })).toThrow('tracelet: serviceName must be a string, got number');
    expect(start({ sampler: {} })).toThrow('tracelet: sampler must be an object with shouldSample()');
    expect(start({ batch: 1 })).toThrow('tracelet: batch must be an options object or false');
    expect(start({ propagators: {} })).toThrow('tracelet: propagator must be an object with inject(), extract() and fields()');
  });

  it('of several bad options the first checked is named: page options, then the delivery, then the pipeline parts, then their values', () => {
    expect(start({ sampleRate: 2, propagateTo: 'x', endpoint: 'ftp://x/' })).toThrow('sampleRate must be');
    expect(start({ propagateTo: 'x', endpoint: 'ftp://x/', serviceName: 5 })).toThrow('propagateTo must be');
    expect(start({ endpoint: 'ftp://x/', serviceName: 5, sampler: {} })).toThrow('must be an http: or https: URL');
    expect(start({ timeoutMillis: -1, serviceName: 5 })).toThrow('timeoutMillis must be');
    expect(start({ serviceName: 5, sampler: {}, propagators: {} })).toThrow('serviceName must be');
    expect(start({ sampler: {}, batch: 1 })).toThrow('sampler must be');
    expect(start({ batch: 1, propagators: {} })).toThrow('batch must be');
    expect(start({ propagators: {}, batch: { maxQueueSize: 0 } })).toThrow('propagator must be');
    expect(start({ batch: { maxQueueSize: 0 }, spanLimits: { eventCountLimit: -1 } })).toThrow('batch.maxQueueSize must be');
  });
});
