// Which clock spans read by default (src/core/clock.ts): the page clock
// `performance.timeOrigin + performance.now()` where a runtime has both and a
// real time origin, else `Date.now()`. The choice is made when tracelet is
// loaded, so each case loads the module afresh under that runtime's
// `performance`. Pure logic: Node, with the global replaced.
import { afterEach, describe, expect, it, vi } from 'vitest';

const NOW = 1_700_000_000_000;

async function defaultClockUnder(performance: unknown) {
  vi.stubGlobal('performance', performance);
  vi.resetModules();
  return (await import('../../src/core/clock.js')).defaultClock;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  vi.resetModules();
});

describe('the default clock', () => {
  it('is performance.timeOrigin + performance.now() where the runtime has both', async () => {
    const clock = await defaultClockUnder({ timeOrigin: NOW, now: () => 1234.5 });
    expect(clock()).toBe(NOW + 1234.5);
  });

  it('is Date.now() where performance has no time origin (0), no now(), no timeOrigin, or is missing', async () => {
    vi.useFakeTimers({ now: NOW + 77, toFake: ['Date'] });
    for (const performance of [{ timeOrigin: 0, now: () => 5 }, { timeOrigin: NOW }, { now: () => 5 }, undefined]) {
      const clock = await defaultClockUnder(performance);
      expect(clock(), JSON.stringify(performance)).toBe(NOW + 77);
    }
  });
});
