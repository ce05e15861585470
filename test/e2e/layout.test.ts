/**
 * Layout as a learner meets it on a phone, a tablet and a laptop: no page of either language
 * scrolls sideways at 360, 768 or 1366 px, glossary tooltips open inside the window, tables wider
 * than a phone scroll in their own box by keyboard too, the phone header is one row whose menu
 * works by keyboard (and stays usable without JavaScript), and text does not jump when the web
 * fonts arrive late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { builtPages, newContext, type Site, startSite } from './harness';
import { lessonSchema } from '../../src/schemas/lesson';
import { lessonKeys, readLessonFile } from '../support/content';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const WIDTHS = [360, 768, 1366] as const;
const pages = builtPages();

const lessonUrl = (key: string, locale: 'id' | 'en') => {
  const slug = lessonSchema.parse(readLessonFile(key, locale)?.frontmatter).urlSlug;
  return locale === 'id' ? `/pelajaran/${slug}/` : `/en/lessons/${slug}/`;
};
const lesson5 = lessonKeys()[4] ?? '';

/** Two animation frames: layout, resize observers and their re-layout have run. */
const settle = (page: Page) =>
  page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

/** How far the page is wider than the window, in CSS pixels (0 when it does not scroll sideways). */
const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('no sideways scrolling', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(site);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('covers every page of both languages', () => {
    expect(pages.filter((p) => p.startsWith('/en/')).length).toBeGreaterThan(10);
    expect(pages.filter((p) => !p.startsWith('/en/')).length).toBeGreaterThan(10);
  });

  it.each(pages)('%s fits 360, 768 and 1366 px, its glossary tooltips open inside the window', async (path) => {
    await page.setViewportSize({ width: WIDTHS[0], height: 800 });
    await page.goto(path, { waitUntil: 'networkidle' });
    await page.evaluate(() => document.fonts.ready);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await settle(page);
      expect(await sidewaysScroll(page), `${path} at ${width} px: scrollWidth − clientWidth`).toBe(0);
      // Each term's tooltip, opened by keyboard focus, lies inside the window and widens nothing.
      const problems = await page.$$eval('.term-link', (links) => {
        const found: string[] = [];
        const view = document.documentElement;
        for (const link of links as HTMLElement[]) {
          // A term in a part the learner has not opened yet (a lab's hint or solution) cannot be focused.
          if (!link.checkVisibility()) continue;
          link.focus();
          const tip = link.nextElementSibling;
          const box = tip?.getBoundingClientRect();
          const name = link.textContent ?? '';
          if (!tip || !box || getComputedStyle(tip).visibility !== 'visible' || box.width === 0) found.push(`${name}: not shown`);
          else if (box.left < 0 || box.right > view.clientWidth || box.top < 0 || box.bottom > innerHeight)
            found.push(
              `${name}: at ${Math.round(box.left)}…${Math.round(box.right)} × ${Math.round(box.top)}…${Math.round(box.bottom)}`,
            );
          if (view.scrollWidth > view.clientWidth) found.push(`${name}: the page scrolls sideways while it is open`);
          link.blur();
        }
        return found;
      });
      expect(problems, `${path} at ${width} px`).toEqual([]);
    }
  });

  it('a tooltip hovered near the right edge of a phone stays on the screen', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    const checked: string[] = [];
    for (const path of [lessonUrl(lessonKeys()[5] ?? '', 'id'), lessonUrl(lessonKeys()[5] ?? '', 'en')]) {
      await page.goto(path, { waitUntil: 'networkidle' });
      // The term that starts closest to the right edge (its tooltip opens from there).
      const index = await page.$$eval('.lesson-body .term-link', (links) =>
        links.map((l) => l.getBoundingClientRect().left).reduce((best, left, i, all) => (left > (all[best] ?? 0) ? i : best), 0),
      );
      const link = page.locator('.lesson-body .term-link').nth(index);
      await link.scrollIntoViewIfNeeded();
      const linkBox = await link.boundingBox();
      expect(linkBox, path).not.toBeNull();
      expect(linkBox?.x ?? 0, `${path}: the chosen term sits in the right half`).toBeGreaterThan(180);
      await link.hover();
      const tip = page.locator('.lesson-body .term-tip').nth(index);
      await tip.waitFor({ state: 'visible' });
      const box = await tip.boundingBox();
      const width = await page.evaluate(() => document.documentElement.clientWidth);
      expect(box, path).not.toBeNull();
      expect(box?.x ?? -1, path).toBeGreaterThanOrEqual(0);
      expect((box?.x ?? 0) + (box?.width ?? Infinity), path).toBeLessThanOrEqual(width);
      expect(await sidewaysScroll(page), path).toBe(0);
      checked.push(path);
    }
    expect(checked).toHaveLength(2);
  });
});

describe('tables wider than a phone', () => {
  it.each(['id', 'en'] as const)(
    'lesson 5 (%s): each table that scrolls sideways is reached and scrolled by keyboard',
    async (locale) => {
      const context = await newContext(site);
      const page = await context.newPage();
      await page.setViewportSize({ width: 360, height: 800 });
      await page.goto(lessonUrl(lesson5, locale), { waitUntil: 'networkidle' });
      await settle(page);
      const tables = page.locator('.lesson-body table');
      let wide = 0;
      for (const table of await tables.all()) {
        const scrolls = await table.evaluate((t) => t.scrollWidth > t.clientWidth);
        if (!scrolls) continue;
        wide += 1;
        expect(await table.getAttribute('tabindex')).toBe('0');
        await table.focus();
        await page.keyboard.press('ArrowRight');
        await page.waitForFunction((t) => t.scrollLeft > 0, await table.elementHandle());
      }
      expect(wide, 'tables wider than the phone on lesson 5').toBeGreaterThan(0);
      // On a laptop they fit, and stay out of the tab order.
      await page.setViewportSize({ width: 1366, height: 800 });
      await settle(page);
      for (const table of await tables.all()) {
        if (await table.evaluate((t) => t.scrollWidth <= t.clientWidth)) expect(await table.getAttribute('tabindex')).toBeNull();
      }
      expect(await sidewaysScroll(page)).toBe(0);
      await context.close();
    },
  );
});

describe('the header on a phone', () => {
  it.each([
    ['/', 'Pelajaran'],
    ['/en/', 'Lessons'],
  ])('%s: one row; the menu opens, is reached by keyboard, and closes with Escape', async (path, firstLink) => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(path, { waitUntil: 'networkidle' });
    const toggle = page.locator('[data-menu-toggle]');
    const parts = ['.brand', 'a.lang-switch', '.theme-toggle', '[data-menu-toggle]'];
    const boxes = await Promise.all(parts.map((s) => page.locator(s).boundingBox()));
    for (const [i, box] of boxes.entries()) {
      expect(box, `${parts[i]} is shown`).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), `${parts[i]} inside the screen`).toBeLessThanOrEqual(360);
    }
    // One row: every part overlaps every other vertically.
    const top = Math.max(...boxes.map((b) => b?.y ?? 0));
    const bottom = Math.min(...boxes.map((b) => (b?.y ?? 0) + (b?.height ?? 0)));
    expect(top, 'brand, language, theme and menu share one row').toBeLessThan(bottom);
    expect((await page.locator('.site-header').boundingBox())?.height ?? 999).toBeLessThan(70);
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: firstLink }).isVisible()).toBe(false);

    // Keyboard: from the brand, Tab reaches the menu button; Enter opens; Tab goes into the menu.
    await page.locator('.brand').focus();
    await page.keyboard.press('Tab');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.getAttribute('aria-controls')).toBe('site-menu');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(firstLink);
    for (const link of await nav.getByRole('link').all()) expect(await link.isVisible()).toBe(true);
    expect(await page.getByRole('searchbox').isVisible()).toBe(true);
    expect(await sidewaysScroll(page)).toBe(0);
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await nav.getByRole('link', { name: firstLink }).isVisible()).toBe(false);

    // A laptop shows the navigation itself, and no menu button.
    await page.setViewportSize({ width: 1366, height: 740 });
    expect(await toggle.isVisible()).toBe(false);
    expect(await nav.getByRole('link', { name: firstLink }).isVisible()).toBe(true);
    await context.close();
  });

  it('without JavaScript, a phone shows the navigation and search, and nothing scrolls sideways', async () => {
    const context = await site.browser.newContext({
      baseURL: site.url,
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
    });
    const page = await context.newPage();
    for (const path of ['/', '/en/']) {
      await page.goto(path);
      expect(await page.locator('[data-menu-toggle]').isVisible(), path).toBe(false);
      for (const link of await page.getByRole('navigation').getByRole('link').all())
        expect(await link.isVisible(), path).toBe(true);
      expect(await page.getByRole('searchbox').isVisible(), path).toBe(true);
      expect(await sidewaysScroll(page), path).toBe(0);
    }
    await context.close();
  });
});

describe('text does not jump when the web fonts arrive', () => {
  /** How long each font file is held back: long enough that the page is drawn with the fallbacks first. */
  const FONT_DELAY_MS = 1500;

  it.each(
    ['/', '/en/', lessonUrl(lesson5, 'id'), lessonUrl(lesson5, 'en'), '/mesin/', '/en/machine/'].flatMap((path) =>
      [360, 1366].map((width) => [path, width] as const),
    ),
  )('%s at %i px: cumulative layout shift ≤ 0.05 with fonts 1.5 s late', async (path, width) => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.setViewportSize({ width, height: 800 });
    let delayed = 0;
    await page.route(/\.woff2$/, async (route) => {
      delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, FONT_DELAY_MS));
      await route.continue();
    });
    await page.addInitScript(() => {
      const w = window as unknown as { layoutShifts: { value: number; sources: string }[] };
      w.layoutShifts = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as (PerformanceEntry & {
          value: number;
          hadRecentInput: boolean;
          sources?: { node?: Node }[];
        })[]) {
          if (entry.hadRecentInput) continue;
          const sources = (entry.sources ?? [])
            .map((s) => (s.node instanceof Element ? `${s.node.tagName}.${s.node.className}` : s.node?.nodeName))
            .join(' ');
          w.layoutShifts.push({ value: entry.value, sources });
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const started = Date.now();
    await page.goto(path, { waitUntil: 'load' });
    // The web fonts (not a fallback) have arrived and are in use.
    await page.waitForFunction(
      () =>
        document.fonts.status === 'loaded' &&
        [...document.fonts].some((f) => f.status === 'loaded' && !/fallback/i.test(f.family)),
    );
    expect(delayed, 'font requests held back').toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FONT_DELAY_MS);
    await settle(page);
    await page.waitForTimeout(300);
    const shifts = await page.evaluate(
      () => (window as unknown as { layoutShifts: { value: number; sources: string }[] }).layoutShifts,
    );
    const total = shifts.reduce((sum, s) => sum + s.value, 0);
    expect(total, `layout shifts: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.05);
    await context.close();
  });
});
