import type { Page } from 'playwright-core';

/** The five vitals tracelet records, one span each. */
export const VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;

const ATTRIBUTION = 'browser.web_vital.attribution.';

export interface Vital {
  name: string;
  value: number;
  /** The `browser.web_vital.attribution.*` attributes, the prefix taken off. */
  attribution: Record<string, string | number>;
}

/** A vital's span as its name, value and attribution. */
export function vital(span: { attributesMap: Record<string, unknown> }): Vital {
  const a = span.attributesMap;
  const attribution = Object.fromEntries(Object.entries(a).flatMap(([k, v]) => (k.startsWith(ATTRIBUTION) ? [[k.slice(ATTRIBUTION.length), v]] : [])));
  return { name: String(a['browser.web_vital.name']), value: Number(a['browser.web_vital.value']), attribution: attribution as Vital['attribution'] };
}

/** Resolves once the page's performance timeline holds an entry of `type` (buffered: recorded before the call too) whose name ends with `suffix`. */
export const entryRecorded = (page: Page, type: string, suffix = ''): Promise<void> =>
  page.evaluate(
    ([t, s]) =>
      new Promise<void>((resolve) =>
        new PerformanceObserver((list, observer) => {
          if (list.getEntries().some((e) => e.name.endsWith(s))) observer.disconnect(), resolve();
        }).observe({ type: t, buffered: true }),
      ),
    [type, suffix] as const,
  );

/** Painted: first contentful paint and a largest-contentful-paint candidate (LCP stops at the first input). */
export const painted = (page: Page): Promise<unknown> => Promise.all([entryRecorded(page, 'paint', 'first-contentful-paint'), entryRecorded(page, 'largest-contentful-paint')]);

/** Sets #top's height to `px` and resolves once the browser recorded a layout shift after that (a shift within 500 ms after an input would not count for CLS). */
export async function shiftTop(page: Page, px: number): Promise<void> {
  await page.evaluate(
    (height) =>
      new Promise<void>((resolve) => {
        const since = performance.now();
        new PerformanceObserver((list, observer) => {
          if (list.getEntries().some((e) => e.startTime >= since)) observer.disconnect(), resolve();
        }).observe({ type: 'layout-shift' });
        document.getElementById('top')!.style.height = `${height}px`;
      }),
    px,
  );
}

/**
 * Clicks `selector` and resolves once the browser timed the click (its Event Timing entry, which comes after the
 * next paint: what INP is computed from). Only for a slow handler: entries under 16 ms are never reported.
 */
export async function timedClick(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const target = document.querySelector(sel);
    (window as unknown as { clickTimed: Promise<void> }).clickTimed = new Promise<void>((resolve) =>
      new PerformanceObserver((list, observer) => {
        if (list.getEntries().some((e) => e.name === 'click' && (e as PerformanceEventTiming).target === target)) observer.disconnect(), resolve();
      }).observe({ type: 'event', durationThreshold: 16 } as PerformanceObserverInit),
    );
  }, selector);
  await page.click(selector);
  await page.evaluate(() => (window as unknown as { clickTimed: Promise<void> }).clickTimed);
}

/** Resolves after the page's next frame (a requestAnimationFrame callback, then a task): what an input changed is painted. */
export const nextFrame = (page: Page): Promise<void> => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

/**
 * What the vitals tests do on app-content.html: a layout shift after load (#top
 * grows), a slow click on #buy (a 60 ms handler that grows #top again, a shift
 * CLS leaves out: it follows an input), a second click, then leaving for
 * blank.html, which hides the page: web-vitals reports, tracelet sends.
 * Each step waits for what the browser recorded of the one before, not for a time.
 */
export async function vitalsInteraction(page: Page, siteUrl: string): Promise<void> {
  await painted(page);
  await page.evaluate(() => {
    document.getElementById('buy')!.addEventListener('click', () => {
      const until = performance.now() + 60;
      while (performance.now() < until) {
        /* busy: a slow event handler */
      }
      const top = document.getElementById('top')!;
      top.style.height = '120px';
    });
  });
  // The shift is recorded before the click, so it counts for CLS.
  await shiftTop(page, 40);
  await timedClick(page, '#buy');
  await page.click('#headline');
  await nextFrame(page); // the second click's entry (if it lasted 16 ms) is delivered before the page goes
  await page.goto(`${siteUrl}/test/browser/pages/blank.html`);
}
