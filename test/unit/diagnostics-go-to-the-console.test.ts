// Where tracelet's diagnostics go unless the app routes them elsewhere
// (setDiagnosticSink): the console, prefixed so they can be searched for.
// Pure logic: Node.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracing } from '../../src/index.js';
import { memoryExporter } from './helpers/spans.js';

afterEach(() => void vi.restoreAllMocks());

describe('diagnostics', () => {
  it('go to console.warn with the [tracelet] prefix, once', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { tracer } = createTracing({ exporter: memoryExporter(), batch: false, registerGlobals: false });
    const span = tracer.startSpan('checkout');
    span.end();
    span.end();
    span.end();
    expect(warn.mock.calls).toEqual([['[tracelet] end called on an ended span ("checkout"); ignored']]);
  });
});
