import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/harness.js';
import { VITALS, vital, vitalsInteraction, type Vital } from './support/vitals.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const vitalsOf = (service: string): Map<string, Vital> => new Map(h.collector.spans().filter((s) => s.resource['service.name'] === service).map((s) => [s.name, vital(s)]));

// The keys that describe an element. tracelet's default describes it as its span
// names do (lib/selector.ts: `button#buy`, `html > body`); web-vitals' getSelector
// writes the id alone (`#buy`) or a path of tags and sorted classes (`html>body`).
// The forms differ by design, so the test compares the element named: its id, else its tag.
const ELEMENT_KEYS = ['element', 'interaction_target', 'largest_shift_target'];
const named = (selector: string) => {
  const last = selector.split('>').pop()!.trim();
  return last.startsWith('#') ? last : last.split('.')[0]!;
};

describe('web vitals attribution (real Chromium)', () => {
  it('the default (standard build) and webVitalsAttributionInstrumentation (attribution build) agree on the same page', async () => {
    // Both on one page: the default as service `vitals-both`, the opt-in in a second tracing as `vitals-both-full` (app.mjs).
    const page = await h.openApp({ serviceName: 'vitals-both', instrumentations: { webVitals: true }, webVitalsAttribution: true }, undefined, 'app-content');
    await vitalsInteraction(page, h.site.url);
    const all = (service: string) => VITALS.every((n) => vitalsOf(service).has(n));
    await h.collector.waitForSpans(() => all('vitals-both') && all('vitals-both-full'), { timeoutMs: 15_000 });
    const ours = vitalsOf('vitals-both');
    const full = vitalsOf('vitals-both-full');
    for (const name of VITALS) {
      const [a, b] = [ours.get(name)!, full.get(name)!];
      // The same entries, so the same value.
      expect(a.value, name).toBeCloseTo(b.value, 6);
      const keys = Object.keys(a.attribution);
      expect(keys.length, name).toBeGreaterThan(0);
      // Every key the default sends, the attribution build sends under the same name.
      expect(Object.keys(b.attribution), name).toEqual(expect.arrayContaining(keys));
      for (const key of keys) {
        const [mine, theirs] = [a.attribution[key], b.attribution[key]];
        if (ELEMENT_KEYS.includes(key)) {
          expect([typeof mine, typeof theirs], `${name} ${key}`).toEqual(['string', 'string']);
          expect(String(mine).split(' > ').pop(), `${name} ${key}: ${String(mine)} vs ${String(theirs)}`).toContain(named(String(theirs)));
        } else if (typeof theirs === 'number') {
          expect(typeof mine, `${name} ${key}`).toBe('number');
          expect(Math.abs((mine as number) - theirs), `${name} ${key}: ${mine} vs ${theirs}`).toBeLessThanOrEqual(1);
        } else {
          expect(mine, `${name} ${key}`).toBe(theirs);
        }
      }
    }
    // The opt-in sends the fields the default leaves out (and only it does).
    expect(Object.keys(full.get('INP')!.attribution)).toEqual(expect.arrayContaining(['interaction_time', 'next_paint_time', 'load_state']));
    expect(Object.keys(ours.get('INP')!.attribution)).not.toContain('load_state');
    expect(full.get('CLS')!.attribution.largest_shift_time).toBeTypeOf('number');
  });
});
