/**
 * Finding one's way on a phone (360 px, touch): the lesson lists show what was read and where to
 * go on, and the glossary has an A–Z bar and a filter box.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { expectAccessible, hydrated, startSite, textMatching, type Site } from './harness';
import { lessonSchema } from '../../src/schemas/lesson';
import { lessonKeys, readLessonFile } from '../support/content';
import { PROGRESS_FORMAT, PROGRESS_VERSION } from '../../src/features/course/progress/schema';
import { STORAGE_KEY } from '../../src/features/course/progress/store';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const keys = lessonKeys();
const lesson = (key: string, locale: 'id' | 'en') => lessonSchema.parse(readLessonFile(key, locale)?.frontmatter);
const url = (key: string, locale: 'id' | 'en') =>
  locale === 'id' ? `/pelajaran/${lesson(key, 'id').urlSlug}/` : `/en/lessons/${lesson(key, 'en').urlSlug}/`;
const [first = '', second = ''] = keys;

/** A phone: 360 px wide, touch screen. */
const phone = (options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> =>
  site.browser.newContext({
    baseURL: site.url,
    serviceWorkers: 'block',
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
    ...options,
  });

const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * The count the live region says once typing pauses (it is announced then, not on every key):
 * waits until it agrees with the entries shown, and returns it.
 */
async function settledCount(page: Page): Promise<string> {
  await page.waitForFunction(() => {
    const shown = document.querySelectorAll('.glossary-entry:not([hidden])').length;
    const text = document.querySelector('[data-glossary-count]')?.textContent ?? '';
    return shown === 0 ? text.startsWith('Tidak ada') : text.startsWith(`${shown} dari `);
  });
  return (await page.locator('[data-glossary-count]').textContent()) ?? '';
}

const continueLink = (page: Page) => page.locator('[data-continue-link]');

describe('the lesson lists', () => {
  it('show a new learner where to start, then ✓ on a read lesson and a link on to the next one', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto('/');
    await textMatching(continueLink(page), 'Mulai dari pelajaran 1');
    expect(await continueLink(page).getAttribute('href')).toBe(url(first, 'id'));
    await expect(page.locator('.lesson-mark').count()).resolves.toBe(0);

    await continueLink(page).tap();
    await page.waitForURL(`**${url(first, 'id')}`);
    const markRead = page.getByRole('button', { name: 'Tandai selesai dibaca' });
    await markRead.scrollIntoViewIfNeeded();
    await hydrated(page, 'MarkRead');
    await markRead.tap();
    await textMatching(page.locator('.mark-read button'), 'Sudah dibaca');

    for (const [path, readText, next] of [
      ['/', 'sudah dibaca', `Lanjutkan ke pelajaran 2: ${lesson(second, 'id').title} →`],
      ['/pelajaran/', 'sudah dibaca', `Lanjutkan ke pelajaran 2: ${lesson(second, 'id').title} →`],
      ['/en/', 'read', `Continue with lesson 2: ${lesson(second, 'en').title} →`],
      ['/en/lessons/', 'read', `Continue with lesson 2: ${lesson(second, 'en').title} →`],
    ] as const) {
      await page.goto(path);
      const card = page.locator(`[data-lesson="${first}"]`);
      // A visible ✓ and words, inside the lesson's heading (heading navigation reads it too).
      await textMatching(card.locator('h3 .lesson-mark-done'), `✓ ${readText}`);
      expect(await card.locator('h3 .lesson-mark-done').isVisible()).toBe(true);
      await expect(page.locator(`[data-lesson="${second}"] .lesson-mark`).count()).resolves.toBe(0);
      await textMatching(continueLink(page), next).catch(async (error: unknown) => {
        throw new Error(`${path}: "${await continueLink(page).textContent()}"`, { cause: error });
      });
      expect(await sidewaysScroll(page), `${path} at 360 px`).toBe(0);
    }
    await expectAccessible(page, 'the English lesson list with progress marks');

    await page.goto('/');
    await continueLink(page).tap();
    await page.waitForURL(`**${url(second, 'id')}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(lesson(second, 'id').title);
    await context.close();
  });

  it('mark passed quizzes, and say so when every lesson is read', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto('/');
    const at = new Date().toISOString();
    const lessons = Object.fromEntries(keys.map((key) => [key, { readAt: at }]));
    lessons[first] = { readAt: at, quiz: { best: 4, total: 5, attempts: 2, lastAt: at } } as never;
    lessons[second] = { readAt: at, quiz: { best: 1, total: 5, attempts: 1, lastAt: at } } as never;
    const stored = { format: PROGRESS_FORMAT, version: PROGRESS_VERSION, updatedAt: at, lessons, labs: {} };
    await page.evaluate(([key, value]) => localStorage.setItem(key, value), [STORAGE_KEY, JSON.stringify(stored)] as const);
    await page.reload();
    await textMatching(page.locator(`[data-lesson="${first}"] .lesson-mark-done`).nth(1), '✓ kuis lulus (4/5)');
    const tried = page.locator(`[data-lesson="${second}"] .lesson-mark:not(.lesson-mark-done)`);
    await textMatching(tried, 'kuis 1/5');
    expect(await continueLink(page).isVisible()).toBe(false);
    await textMatching(page.locator('[data-continue-done]'), /Semua pelajaran sudah kamu baca/);
    await expectAccessible(page, 'the home page with every lesson read');
    await context.close();
  });
});

describe('the glossary', () => {
  it('narrows the entries as you type, announces the count, and the A–Z bar jumps', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto('/istilah/');
    const entries = page.locator('.glossary-entry');
    const total = await entries.count();
    expect(total).toBeGreaterThan(20);
    const visible = () => page.locator('.glossary-entry:not([hidden])').count();

    const box = page.getByLabel('Saring istilah');
    await box.tap();
    await box.pressSequentially('HYPERVISOR TIPE');
    const count = page.locator('[data-glossary-count]');
    expect(await count.getAttribute('aria-live')).toBe('polite');
    const announced = await settledCount(page);
    const shown = await visible();
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(total);
    expect(announced).toBe(`${shown} dari ${total} istilah`);
    for (const text of await page.locator('.glossary-entry:not([hidden])').allTextContents()) {
      expect(text.toLowerCase()).toContain('hypervisor');
    }
    expect(await sidewaysScroll(page), 'filtered, at 360 px').toBe(0);
    await expectAccessible(page, 'the filtered glossary');

    // Accents do not matter: "émulasi" finds what "emulasi" finds.
    await box.fill('emulasi');
    const plain = await settledCount(page);
    await box.fill('ÉMULASI');
    expect(await settledCount(page)).toBe(plain);

    await box.fill('zzzqqq');
    await textMatching(count, 'Tidak ada istilah yang cocok dengan “zzzqqq”.');
    expect(await visible()).toBe(0);
    await box.fill('');
    await textMatching(count, `${total} dari ${total} istilah`);
    expect(await visible()).toBe(total);

    // The A–Z bar: a letter with terms jumps to its heading; a letter without is not a link.
    const letter = 'V';
    await page.locator('.az-bar a', { hasText: new RegExp(`^${letter}$`) }).tap();
    await page.waitForURL(`**#letter-${letter}`);
    const top = await page.locator(`#letter-${letter}`).evaluate((h) => h.getBoundingClientRect().top);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(100);
    const links = await page.locator('.az-bar a').count();
    const off = await page.locator('.az-bar .az-off').count();
    expect(links + off).toBeGreaterThanOrEqual(26);
    await expect(page.locator('.glossary-letter').count()).resolves.toBe(links);
    await context.close();
  });

  it('shows every entry, and no filter box, without JavaScript', async () => {
    const context = await phone({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/en/glossary/');
    expect(await page.locator('.glossary-entry').count()).toBeGreaterThan(20);
    expect(await page.locator('[data-glossary-filter]').isVisible()).toBe(false);
    expect(await page.locator('.glossary-entry:visible').count()).toBe(await page.locator('.glossary-entry').count());
    await context.close();
  });
});

describe('a glossary term in a lesson, by touch', () => {
  it('shows its definition on the first tap and opens the entry on the second', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(first, 'id'));
    const term = page.locator('.lesson-body .term').first();
    const link = term.locator('.term-link');
    const tip = term.locator('.term-tip');
    await link.scrollIntoViewIfNeeded();
    expect(await tip.isVisible()).toBe(false);
    await link.tap();
    await page.waitForFunction(() => {
      const el = document.querySelector('.lesson-body .term .term-tip');
      return el !== null && getComputedStyle(el).visibility === 'visible';
    });
    expect(new URL(page.url()).pathname).toBe(url(first, 'id'));
    // The definition lies inside the 360 px window.
    const box = await tip.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    const href = (await link.getAttribute('href')) ?? '';
    await link.tap();
    await page.waitForURL(`**${href}`);
    const id = href.split('#')[1] ?? '';
    expect(await page.locator(`[id="${id}"]`).isVisible()).toBe(true);
    await context.close();
  });

  it('closes the definition on a tap elsewhere, and Enter still follows the link', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(url(first, 'id'));
    const term = page.locator('.lesson-body .term').first();
    await term.locator('.term-link').scrollIntoViewIfNeeded();
    await term.locator('.term-link').tap();
    await page.waitForFunction(() => document.querySelector('.lesson-body .term.term-open') !== null);
    await page.locator('h1').tap();
    await page.waitForFunction(() => {
      const el = document.querySelector('.lesson-body .term .term-tip');
      return el !== null && getComputedStyle(el).visibility === 'hidden';
    });
    expect(new URL(page.url()).pathname).toBe(url(first, 'id'));
    // After a tap, Enter on a term still opens its entry at once.
    const href = (await term.locator('.term-link').getAttribute('href')) ?? '';
    await term.locator('.term-link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**${href}`);
    await context.close();
  });
});
