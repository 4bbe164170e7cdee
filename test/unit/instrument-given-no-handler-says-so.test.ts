import { describe, expect, it } from 'vitest';
import { instrument } from '../../src/worker/instrument.js';
import { captureDiagnostics } from './helpers/diagnostics.js';

// Pure argument handling: what instrument() does with something that is no
// handler object never reaches a runtime (workerd itself is covered by
// test/worker/classes-given-to-instrument-still-work.test.ts).
describe('instrument() given no handler object', () => {
  const said = captureDiagnostics();

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['fetch', 'string'],
  ])('passes %s on unchanged and says what it got, not that it was a class', (value, got) => {
    expect(instrument(value as never)).toBe(value);
    expect(said).toEqual([`instrument(): the handler is ${got}, not an object; passed on untraced`]);
  });

  it('still calls a class a class', () => {
    class Counter {}
    expect(instrument(Counter as never)).toBe(Counter);
    expect(said).toEqual(['instrument(): a class is passed on untraced; instrument a handler object inside it (README: Classes)']);
  });
});
