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

/**
 * What the vitals tests do on app-content.html: a layout shift after load (#top
 * grows), a slow click on #buy (a 60 ms handler that grows #top again, a shift
 * CLS leaves out: it follows an input), a second click, then leaving for
 * blank.html, which hides the page: web-vitals reports, tracelet sends.
 */
export async function vitalsInteraction(page: Page, siteUrl: string): Promise<void> {
  await page.waitForTimeout(100);
  await page.evaluate(() => {
    document.getElementById('top')!.style.height = '40px';
    document.getElementById('buy')!.addEventListener('click', () => {
      const until = performance.now() + 60;
      while (performance.now() < until) {
        /* busy: a slow event handler */
      }
      const top = document.getElementById('top')!;
      top.style.height = '120px';
    });
  });
  await page.waitForTimeout(300);
  await page.click('#buy');
  await page.waitForTimeout(300);
  await page.click('#headline');
  await page.waitForTimeout(300);
  await page.goto(`${siteUrl}/test/browser/pages/blank.html`);
}
