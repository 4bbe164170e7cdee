// Every numeric option goes through one checker (core/diag.ts numberOption):
// a bad value is a TypeError at startup naming the option and the range, and
// `undefined` means the default. Pure option logic: these checks run before
// any browser global is touched, so Node is the right place to test them.
import { describe, expect, it } from 'vitest';
import {
  BrowserDelivery,
  createTracing,
  instrumentErrors,
  instrumentNavigation,
  instrumentResourceTiming,
  resourceTimingDetails,
  sessionProcessor,
  traceIdRatio,
} from '../../src/browser.js';
import { memoryExporter } from './helpers/spans.js';

const { tracer } = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false });

describe('numeric options', () => {
  it('span limits must be numbers >= 0; 0 and Infinity are allowed', () => {
    expect(() => createTracing({ exporter: memoryExporter(), spanLimits: { eventCountLimit: -1 } })).toThrow(
      'tracelet: spanLimits.eventCountLimit must be a number >= 0, got -1',
    );
    expect(() => createTracing({ exporter: memoryExporter(), spanLimits: { linkCountLimit: 'many' as unknown as number } })).toThrow(
      'spanLimits.linkCountLimit must be a number >= 0, got many',
    );
    const t = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false, spanLimits: { attributeCountLimit: 0, attributeValueLengthLimit: Infinity } });
    const span = t.tracer.startSpan('x', { attributes: { a: 1 } });
    span.end();
    expect((span as unknown as { droppedAttributesCount: number }).droppedAttributesCount).toBe(1);
  });

  it('a trace-id ratio is required and must be from 0 to 1', () => {
    expect(() => traceIdRatio(undefined as unknown as number)).toThrow('the trace-id ratio must be a number from 0 to 1, got undefined');
    expect(() => traceIdRatio(-0.1)).toThrow('got -0.1');
    expect(traceIdRatio(0).toString()).toBe('TraceIdRatioBased{0}');
  });

  it('RUM options name the instrumentation and the range', () => {
    expect(() => sessionProcessor({ inactivityMs: 0 })).toThrow('tracelet: session.inactivityMs must be a number > 0, got 0');
    expect(() => sessionProcessor({ maxDurationMs: Number.NaN })).toThrow('session.maxDurationMs must be a number > 0, got NaN');
    expect(() => instrumentErrors(tracer, { maxPerMinute: -1 })).toThrow('errors.maxPerMinute must be a number >= 0, got -1');
    expect(() => instrumentNavigation(tracer, { settleMs: '1s' as unknown as number } as never)).toThrow('navigation.settleMs must be a number >= 0, got 1s');
    expect(() => instrumentResourceTiming(tracer, { sampleRate: 2 })).toThrow('resourceTiming.sampleRate must be a number from 0 to 1, got 2');
    expect(() => resourceTimingDetails({ waitMs: -5 })).toThrow('resourceTimingDetails.waitMs must be a number >= 0, got -5');
    expect(() => new BrowserDelivery({ maxStoredBytes: -1 })).toThrow('maxStoredBytes must be a number >= 0, got -1');
  });

  it('undefined means the default', () => {
    const session = sessionProcessor({ inactivityMs: undefined, maxDurationMs: undefined });
    expect(session.sessionId()).toMatch(/^[0-9a-f]{32}$/);
    expect(() => new BrowserDelivery({ maxStoredBytes: undefined, persist: false })).not.toThrow();
  });
});
