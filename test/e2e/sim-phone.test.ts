/**
 * The simulators on a 360 px phone: every word drawn in an SVG stays readable (at least
 * 12 CSS px once the SVG's viewBox scaling is applied), with the dynamic text present.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { hydrated, type Site, startSite } from './harness';
import { simLessonUrl as url, type Model } from './sim-lessons';
import { simText } from '../../src/features/simulator/strings';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

async function openOnPhone(
  model: Model,
  locale: 'id' | 'en',
): Promise<{ page: Page; shell: Locator; close: () => Promise<void> }> {
  const context = await site.browser.newContext({
    baseURL: site.url,
    serviceWorkers: 'block',
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  const page = await context.newPage();
  await page.goto(url(model, locale));
  const shell = page.locator(`[data-sim="${model}"]`);
  await shell.scrollIntoViewIfNeeded();
  await hydrated(page, 'SimShell');
  await shell.getByRole('button', { name: simText(locale, ['shell'])['shell.start'] }).tap();
  await shell.locator('.sim-lab').waitFor({ timeout: 15_000 });
  return { page, shell, close: () => context.close() };
}

/** Rendered size of every non-empty SVG text in the island: computed font-size × the SVG's scale. */
async function smallestSvgText(shell: Locator): Promise<{ px: number; text: string; count: number }> {
  return shell.evaluate((root) => {
    let smallest = { px: Infinity, text: '', count: 0 };
    for (const t of root.querySelectorAll<SVGTextElement>('svg text')) {
      const text = t.textContent?.trim() ?? '';
      const ctm = t.getScreenCTM();
      if (text === '' || ctm === null || t.getClientRects().length === 0) continue;
      const px = Number.parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
      smallest.count++;
      if (px < smallest.px) smallest = { px, text, count: smallest.count };
    }
    return smallest;
  });
}

describe('SVG text on a 360 px phone', () => {
  it.each([
    ['cpu-flaw', 'id'],
    ['strategies', 'en'],
    ['memory', 'id'],
    ['overcommit', 'en'],
    ['density', 'id'],
  ] as const)('%s (%s): no SVG text renders below 12 px', async (model, locale) => {
    const { shell, close } = await openOnPhone(model, locale);
    const step = shell.locator('[data-action="step"]');
    if (model === 'memory') {
      // The widest grid: the nested walk with the most levels on both sides.
      await shell.locator('input[data-mode="nested"]').check();
      for (const setting of ['guest-levels', 'host-levels']) {
        const select = shell.locator(`select[data-setting="${setting}"]`);
        const last = await select.locator('option').last().getAttribute('value');
        if (last !== null) await select.selectOption(last);
      }
    }
    // Step so the dynamic text (timeline boxes, walk order, rings marker) exists.
    if ((await step.count()) > 0) for (let i = 0; i < 4; i++) await step.tap();
    const smallest = await smallestSvgText(shell);
    expect(smallest.count, 'some SVG text was measured').toBeGreaterThan(0);
    // An SVG drawn to its box's width (an integer, from clientWidth) may scale by 0.999 in a box
    // of fractional width: a rounding, not a smaller font.
    expect(smallest.px, `smallest SVG text: "${smallest.text}"`).toBeGreaterThanOrEqual(11.95);
    await close();
  });
});

describe('stepping the CPU simulator on a 360 px phone', () => {
  it.each([
    ['cpu-flaw', 'id'],
    ['strategies', 'en'],
  ] as const)(
    '%s (%s): the step button and the result line stay on screen, wherever the student looks',
    async (model, locale) => {
      const { page, shell, close } = await openOnPhone(model, locale);
      const step = shell.locator('[data-action="step"]');
      const live = shell.locator('[data-live]');
      const inView = async (locator: Locator) => {
        const box = await locator.boundingBox();
        const view = page.viewportSize();
        return (
          box !== null &&
          view !== null &&
          box.y >= 0 &&
          box.y + box.height <= view.height &&
          box.x >= 0 &&
          box.x + box.width <= view.width
        );
      };
      // Look at the editor, the timeline, the counters and (lesson 5) the rings diagram in turn.
      const places = [
        'textarea',
        '[data-timeline]',
        '[data-counter="instructions"]',
        ...(model === 'cpu-flaw' ? ['[data-rings]'] : []),
      ];
      let steps = 0;
      for (const place of places) {
        await shell.locator(place).first().scrollIntoViewIfNeeded();
        for (let i = 0; i < 2; i++) {
          const scrollY = await page.evaluate(() => window.scrollY);
          expect(await inView(step), `${place}: the step button is on screen`).toBe(true);
          await step.tap();
          steps++;
          const n = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-US').format(steps);
          await expect.poll(() => live.textContent()).toContain(locale === 'id' ? `instruksi ke-${n} ·` : `instruction ${n} ·`);
          expect(await inView(live), `${place}: the result line is on screen after step ${steps}`).toBe(true);
          expect(await inView(step), `${place}: the step button is still on screen`).toBe(true);
          expect(await page.evaluate(() => window.scrollY), 'stepping did not scroll the page').toBe(scrollY);
        }
      }
      // The instruction card is one tap away, in the page language.
      await shell.locator('[data-isa-card] summary').tap();
      const mtcr = shell.locator('[data-isa-card] [data-mnemonic="MTCR"]');
      await mtcr.waitFor();
      await expect(mtcr.textContent()).resolves.toContain(locale === 'id' ? 'register kontrol' : 'control register');
      await close();
    },
  );
});
