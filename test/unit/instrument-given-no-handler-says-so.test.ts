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

  it('makes a class a traced subclass of it, with its name, and says nothing', () => {
    class Counter {
      static start = 1;
    }
    const Traced = instrument(Counter as never) as typeof Counter;
    expect(Traced).not.toBe(Counter);
    expect([Traced.name, Traced.start, Object.getPrototypeOf(Traced) === Counter, new Traced() instanceof Counter]).toEqual(['Counter', 1, true, true]);
    expect(said).toEqual([]);
  });

  it('passes a function that is no class (no prototype) on unchanged and says so', () => {
    const fetch = () => new Response('');
    expect(instrument(fetch as never)).toBe(fetch);
    expect(said).toEqual(['instrument(): a function that is not a class is passed on untraced; give it a handler object or a class']);
  });
});
