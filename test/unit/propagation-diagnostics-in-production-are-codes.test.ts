import { describe, expect, it, vi } from 'vitest';
import { W3CTraceState, createPropagator, setDiagnosticSink } from '../../src/index.js';

// The production build swaps src/core/dev.ts for `export const DEV = false`
// (rollup.config.mjs); this file loads src/ the same way. What users of that
// build see is the code docs/diagnostics.md explains, so the code at each call
// site is what this pins.
vi.mock('../../src/core/dev.js', () => ({ DEV: false }));

describe('propagation diagnostics in the production build', () => {
  it('an unknown propagator name throws E17 with the name', () => {
    expect(() => createPropagator('tracecontext, Jaeger ')).toThrow(new TypeError('tracelet: E17 jaeger (docs/diagnostics.md#e17)'));
  });

  it('an invalid tracestate.set warns W22', () => {
    const messages: string[] = [];
    const previous = setDiagnosticSink((_level, message) => void messages.push(message));
    try {
      expect(new W3CTraceState('rojo=1').set('UPPER', 'x').serialize()).toBe('rojo=1');
    } finally {
      setDiagnosticSink(previous);
    }
    expect(messages).toEqual(['W22 (docs/diagnostics.md#w22)']);
  });
});
