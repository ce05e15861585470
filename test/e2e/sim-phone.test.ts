/**
 * The simulators on a 360 px phone: every word drawn in an SVG stays readable (at least
 * 12 CSS px once the SVG's viewBox scaling is applied), with the dynamic text present; the
 * step control, the lines around the next instruction and the "look here" line share one
 * 360×640 screen; slider results stay beside the sliders; ring labels stay in their boxes.
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
  height = 740,
): Promise<{ page: Page; shell: Locator; close: () => Promise<void> }> {
  const context = await site.browser.newContext({
    baseURL: site.url,
    serviceWorkers: 'block',
    viewport: { width: 360, height },
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

/** The whole element is inside the viewport (no scrolling needed to see it). */
async function inView(page: Page, locator: Locator): Promise<boolean> {
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
}

/** Nothing (such as a sticky bar) covers the element: its corners are hit-tested to it. */
async function uncovered(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const points = [
      [r.left + 2, r.top + 2],
      [r.right - 2, r.top + 2],
      [r.left + 2, r.bottom - 2],
      [r.right - 2, r.bottom - 2],
    ] as const;
    return points.every(([x, y]) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === el || el.contains(hit));
    });
  });
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
      // Look at the (collapsed) listing, the timeline, the counters and (lesson 5) the rings diagram in turn.
      const places = [
        '[data-listing-compact]',
        '[data-timeline]',
        '[data-counter="instructions"]',
        ...(model === 'cpu-flaw' ? ['[data-rings]'] : []),
      ];
      let steps = 0;
      for (const place of places) {
        await shell.locator(place).first().scrollIntoViewIfNeeded();
        for (let i = 0; i < 2; i++) {
          const scrollY = await page.evaluate(() => window.scrollY);
          expect(await inView(page, step), `${place}: the step button is on screen`).toBe(true);
          await step.tap();
          steps++;
          const n = new Intl.NumberFormat(locale === 'id' ? 'id-ID' : 'en-US').format(steps);
          await expect.poll(() => live.textContent()).toContain(locale === 'id' ? `instruksi ke-${n} ·` : `instruction ${n} ·`);
          expect(await inView(page, live), `${place}: the result line is on screen after step ${steps}`).toBe(true);
          expect(await inView(page, step), `${place}: the step button is still on screen`).toBe(true);
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

describe('lesson 5 on a 360×640 phone: step, listing and result on one screen', () => {
  it.each(['id', 'en'] as const)(
    '%s: each step keeps the step button, the next line and the look-here line in view',
    async (locale) => {
      const { page, shell, close } = await openOnPhone('cpu-flaw', locale, 640);
      const t = simText(locale, ['cpu', 'ctl']);
      const step = shell.getByRole('button', { name: t['ctl.step'], exact: true });
      const look = shell.locator('[data-look]');
      const listing = shell.locator('[data-listing-compact]');
      const current = listing.locator('[data-current]');
      // The whole editor is folded away: the listing shows the lines around the next instruction.
      await expect(shell.locator('textarea').isVisible()).resolves.toBe(false);
      // The student scrolls the program to the top of the screen; the control bar holds the bottom.
      await listing.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      const scrollY = await page.evaluate(() => window.scrollY);
      await expect(look.textContent()).resolves.toBe(t['cpu.look.start']);
      let previous = await look.textContent();
      const looks = new Set<string>();
      for (let i = 1; i <= 8; i++) {
        await step.tap();
        await expect
          .poll(() => shell.locator('[data-live]').textContent())
          .toContain(locale === 'id' ? `instruksi ke-${i} ·` : `instruction ${i} ·`);
        const text = (await look.textContent()) ?? '';
        looks.add(text);
        if (i === 1) expect(text, 'the look-here line changed after the first step').not.toBe(previous);
        previous = text;
        // The next instruction's line is the one marked in the listing, and it is on screen.
        const line = await current.getAttribute('data-line');
        await expect(shell.locator('[data-live]').textContent()).resolves.toContain(
          locale === 'id' ? `baris ${line},` : `line ${line},`,
        );
        expect(await inView(page, current), `step ${i}: the next instruction is on screen`).toBe(true);
        // Every line of the collapsed listing is visible, not under the sticky control bar.
        for (const li of await listing.locator('li').all()) {
          expect(await inView(page, li), `step ${i}: listing line ${await li.getAttribute('data-line')} on screen`).toBe(true);
          expect(await uncovered(li), `step ${i}: listing line ${await li.getAttribute('data-line')} uncovered`).toBe(true);
        }
        expect(await inView(page, step), `step ${i}: the step button is on screen`).toBe(true);
        expect(await inView(page, look), `step ${i}: the look-here line is on screen`).toBe(true);
        expect(await page.evaluate(() => window.scrollY), 'stepping did not scroll the page').toBe(scrollY);
      }
      // The line says different things for different instructions (a trap, direct execution, …).
      expect(looks.size).toBeGreaterThan(1);

      // The whole program opens for editing (by keyboard too) and folds back.
      const toggle = shell.getByRole('button', { name: t['cpu.showAll'] });
      await toggle.focus();
      await page.keyboard.press('Enter');
      const textarea = shell.locator('textarea');
      await expect(textarea.isVisible()).resolves.toBe(true);
      await expect(shell.getByRole('button', { name: t['cpu.showAround'] }).getAttribute('aria-expanded')).resolves.toBe('true');
      await textarea.fill('    NOP\n    HLT\n');
      await expect.poll(() => listing.locator('li').count()).toBe(3);
      await shell.getByRole('button', { name: t['cpu.showAround'] }).tap();
      await expect(textarea.isVisible()).resolves.toBe(false);
      await expect(listing.locator('[data-current]').textContent()).resolves.toContain('NOP');
      await close();
    },
  );
});

describe('slider results beside the sliders on a 360×640 phone', () => {
  it.each([
    ['overcommit', 'id', ['hostCores', 'hostRamGiB', 'vmCount', 'vcpusPerVm', 'ramPerVmGiB', 'vmLoad', 'vmVcpus', 'vmRam']],
    ['overcommit', 'en', ['vmCount', 'ramPerVmGiB']],
    ['density', 'id', ['hostCores', 'hostRamGiB', 'guestOsMiB', 'appRamMiB', 'appMilliCores']],
  ] as const)('%s (%s): the changed result is on screen while each slider is used', async (model, locale, sliders) => {
    const { page, shell, close } = await openOnPhone(model, locale, 640);
    const look = shell.locator('[data-look]');
    const start = model === 'overcommit' ? simText(locale, ['oc'])['oc.look.start'] : simText(locale, ['den'])['den.look.start'];
    await expect(look.textContent()).resolves.toBe(start);
    for (const name of sliders) {
      const slider = shell.locator(`[data-slider="${name}"]`);
      await slider.scrollIntoViewIfNeeded();
      const before = await look.textContent();
      const value = await slider.inputValue();
      // Up, and down again at the top of the range: either way the model recomputes.
      await slider.focus();
      await page.keyboard.press('ArrowRight');
      if ((await slider.inputValue()) === value) await page.keyboard.press('ArrowLeft');
      await expect.poll(() => slider.inputValue()).not.toBe(value);
      expect(await inView(page, slider), `${name}: the slider is on screen`).toBe(true);
      expect(await inView(page, look), `${name}: the result line is on screen beside it`).toBe(true);
      expect(await uncovered(slider), `${name}: the result bar does not cover the slider`).toBe(true);
      const after = (await look.textContent()) ?? '';
      expect(after, `${name}: the result line tells what moved`).not.toBe(start);
      if (after !== before) expect(after).toMatch(/→|tidak berubah|did not change/);
    }
    await close();
  });
});

describe('rings diagram on a 360 px phone', () => {
  it.each(['id', 'en'] as const)(
    '%s: under every strategy the labels stay inside their boxes, at 12 px or more',
    async (locale) => {
      const { page, shell, close } = await openOnPhone('cpu-flaw', locale);
      const rings = shell.locator('[data-rings]');
      const strategies = await shell
        .locator('select[data-setting="strategy"] option')
        .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
      expect(strategies.length).toBeGreaterThan(4);
      for (const strategy of strategies) {
        await shell.locator('select[data-setting="strategy"]').selectOption(strategy);
        await shell.locator('[data-action="step"]').tap();
        await rings.scrollIntoViewIfNeeded();
        const problems = await rings.evaluate((root) => {
          const out: string[] = [];
          const svg = root.querySelector('svg');
          if (!svg) return ['no svg'];
          const frame = svg.getBoundingClientRect();
          const inside = (r: DOMRect, b: DOMRect) =>
            r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.top >= b.top - 0.5 && r.bottom <= b.bottom + 0.5;
          for (const text of svg.querySelectorAll('text')) {
            const r = text.getBoundingClientRect();
            if (!inside(r, frame)) out.push(`"${text.textContent}" leaves the diagram`);
            // A party's label stays in its own box.
            const box = text.closest('g.actor')?.querySelector('rect');
            if (box && !inside(r, box.getBoundingClientRect())) out.push(`"${text.textContent}" leaves its box`);
          }
          if (frame.right > document.documentElement.clientWidth) out.push('the diagram is wider than the screen');
          return out;
        });
        expect(problems, strategy).toEqual([]);
        const smallest = await smallestSvgText(rings);
        expect(smallest.px, `${strategy}: "${smallest.text}"`).toBeGreaterThanOrEqual(11.95);
      }
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await close();
    },
  );
});
