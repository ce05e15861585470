/**
 * What a learner does, in Chromium against the built site: browse, switch language,
 * read a glossary tooltip, search, take a quiz, export and import progress (including
 * a damaged file), and reload offline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import {
  expectAccessible,
  hydrated,
  lowestContrast,
  networkRefused,
  newContext,
  startSite,
  textMatching,
  type Site,
} from './harness';
import { lessonSchema } from '../../src/schemas/lesson';
import { lessonKeys, readLessonFile } from '../support/content';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const firstKey = lessonKeys()[0] ?? '';
const lesson = (locale: 'id' | 'en') => lessonSchema.parse(readLessonFile(firstKey, locale)?.frontmatter);
const idLesson = lesson('id');
const enLesson = lesson('en');
const idUrl = `/pelajaran/${idLesson.urlSlug}/`;
const enUrl = `/en/lessons/${enLesson.urlSlug}/`;

async function answerQuiz(page: Page, pick: (choices: { correct: boolean }[], index: number) => number) {
  const quiz = idLesson.quiz;
  for (const [qi, q] of quiz.entries()) {
    await page.locator(`input[name="q${qi}"]`).nth(pick(q.choices, qi)).check();
  }
}

describe('a learner', () => {
  it('goes from the home page to the first lesson and on to the next', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/');
    await expect(page.locator('h1').textContent()).resolves.toContain('Lab Virtualisasi');
    await page.locator(`a[href="${idUrl}"]`).first().click();
    await page.waitForURL(`**${idUrl}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(idLesson.title);
    const next = page.locator('a[rel="next"]');
    if ((await next.count()) > 0) {
      await next.click();
      await page.waitForURL((url) => url.pathname !== idUrl);
      expect(new URL(page.url()).pathname).toMatch(/^\/pelajaran\/[a-z0-9-]+\/$/);
    }
    await context.close();
  });

  it('switches language and stays on the same lesson', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(idUrl);
    await page.locator('a.lang-switch').click();
    await page.waitForURL(`**${enUrl}`);
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('h1').textContent()).resolves.toBe(enLesson.title);
    await page.locator('a.lang-switch').click();
    await page.waitForURL(`**${idUrl}`);
    await context.close();
  });

  it('sees a glossary definition on keyboard focus and dismisses it with Escape', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(idUrl);
    const term = page.locator('.lesson-body .term').first();
    const tip = term.locator('.term-tip');
    await expect(tip.isVisible()).resolves.toBe(false);
    await term.locator('a').focus();
    await page.waitForFunction(() => {
      const el = document.querySelector('.lesson-body .term .term-tip');
      return el !== null && getComputedStyle(el).visibility === 'visible';
    });
    const describedBy = await term.locator('a').getAttribute('aria-describedby');
    expect(await page.locator(`#${describedBy}`).textContent()).toMatch(/\w{3,}/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => {
      const el = document.querySelector('.lesson-body .term .term-tip');
      return el !== null && getComputedStyle(el).visibility === 'hidden';
    });
    const href = await term.locator('a').getAttribute('href');
    expect(href).toMatch(/^\/istilah\/#[a-z0-9-]+$/);
    await context.close();
  });

  it('searches lessons in both languages', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    for (const [path, url] of [
      ['/cari/?q=hypervisor', '/pelajaran/'],
      ['/en/search/?q=hypervisor', '/en/lessons/'],
    ] as const) {
      await page.goto(path);
      const result = page.locator(`pagefind-results a[href*="${url}"]`).first();
      await result.waitFor({ timeout: 15_000 });
      expect(await page.locator('pagefind-results a').count()).toBeGreaterThan(0);
    }
    await context.close();
  });

  it('reads search results in the light and the dark theme: the found word and the excerpts keep AA contrast', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/cari/?q=kvm');
    await page.locator('pagefind-results mark').first().waitFor({ timeout: 15_000 });
    for (const colorScheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme });
      for (const selector of ['pagefind-results mark', '.pf-result-excerpt', '.pf-heading-excerpt']) {
        const worst = await lowestContrast(page, selector);
        expect(worst.count, `${selector} shown`).toBeGreaterThan(0);
        expect(worst.ratio, `${selector} in the ${colorScheme} theme ("${worst.text}")`).toBeGreaterThanOrEqual(4.5);
      }
      // Excerpts are read on phones: not smaller than 14 px.
      const size = await page.$eval('.pf-result-excerpt', (el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeGreaterThanOrEqual(14);
    }
    await expectAccessible(page, 'search results for "kvm"', 'pagefind-results');
    await context.close();
  });

  it('takes a quiz: sees why a wrong answer is wrong, then scores full marks and it is saved', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(idUrl);
    const check = page.getByRole('button', { name: 'Periksa jawaban' });
    await check.scrollIntoViewIfNeeded();
    await hydrated(page, 'Quiz');

    await check.click();
    await textMatching(page.locator('.quiz [role="status"]'), /belum dijawab/);

    // All wrong first: every question explains its wrong answer. Checked with the keyboard, the
    // focus goes to the result (the button pressed is gone), not to the page's <body>.
    await answerQuiz(page, (choices) => choices.findIndex((c) => !c.correct));
    await check.focus();
    await page.keyboard.press('Enter');
    await textMatching(page.locator('.quiz [role="status"]'), /^Skor/);
    const focused = () =>
      page.evaluate(() => ({
        tag: document.activeElement?.tagName,
        role: document.activeElement?.getAttribute('role'),
        text: document.activeElement?.textContent,
      }));
    expect(await focused()).toEqual({ tag: 'P', role: 'status', text: `Skor: 0 dari ${idLesson.quiz.length}` });
    const bad = page.locator('.quiz [data-feedback="bad"]');
    await expect(bad.count()).resolves.toBe(idLesson.quiz.length);
    const firstWrong = idLesson.quiz[0]?.choices.find((c) => !c.correct);
    expect(await bad.first().textContent()).toContain(firstWrong?.feedback);
    await expect(page.locator('.quiz [role="status"]').textContent()).resolves.toBe(`Skor: 0 dari ${idLesson.quiz.length}`);

    // "Try again" with the keyboard: the focus goes to the first answer, ready to choose again.
    await page.getByRole('button', { name: 'Ulangi kuis' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.matches('.quiz input[name="q0"]'));
    await answerQuiz(page, (choices) => choices.findIndex((c) => c.correct));
    await check.click();
    const total = idLesson.quiz.length;
    await textMatching(page.locator('.quiz-best'), `Skor terbaik tersimpan: ${total} dari ${total}`);
    await expect(page.locator('.quiz [data-feedback="ok"]').count()).resolves.toBe(total);

    await page.goto('/kemajuan/');
    const row = page.locator(`tr[data-lesson="${firstKey}"]`);
    await textMatching(row.locator('[data-col="quiz"]'), `${total}/${total}`);
    await expect(row.locator('[data-col="read"]').textContent()).resolves.toBe('sudah');
    await context.close();
  });

  it('keeps quiz answers chosen and a check pressed before the quiz’s code had loaded', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    // A slow network: the quiz's code comes 2 s after it scrolled into view.
    await page.route(/\/_astro\/Quiz\.[\w-]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await route.continue();
    });
    await page.goto(idUrl);
    const check = page.getByRole('button', { name: 'Periksa jawaban' });
    await check.scrollIntoViewIfNeeded();
    await answerQuiz(page, (choices) => choices.findIndex((c) => c.correct));
    expect(await page.locator('astro-island', { has: page.locator('form.quiz') }).getAttribute('ssr')).not.toBeNull();
    await check.click();
    const total = idLesson.quiz.length;
    await textMatching(page.locator('.quiz [role="status"]'), `Skor: ${total} dari ${total}`);
    expect(page.url()).not.toContain('?');
    await context.close();
  });

  it('exports progress, refuses a damaged file without changing anything, and imports it back', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(idUrl);
    await hydrated(page, 'MarkRead');
    await page.getByRole('button', { name: 'Tandai selesai dibaca' }).click();
    await page.getByRole('button', { name: 'Sudah dibaca' }).waitFor();
    await page.goto('/kemajuan/');
    await hydrated(page, 'ProgressPanel');
    await textMatching(page.locator(`tr[data-lesson="${firstKey}"] [data-col="read"]`), 'sudah');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Ekspor ke file' }).click(),
    ]);
    const exported = await readFile((await download.path()) ?? '', 'utf8');
    expect(JSON.parse(exported)).toMatchObject({ format: 'lab-virtualisasi-progress', version: 2, labs: {} });
    const stored = await page.evaluate(() => localStorage.getItem('labvirt.progress'));

    const input = page.locator('[data-progress-import]');
    const message = page.locator('[data-progress-message]');
    await input.setInputFiles({ name: 'rusak.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "lab-virt') });
    await textMatching(message, 'bukan file kemajuan Lab Virtualisasi');
    await expect(message.getAttribute('role')).resolves.toBe('alert');
    await input.setInputFiles({ name: 'asing.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": "world"}') });
    await textMatching(message, 'tidak cocok dengan format');
    expect(await page.evaluate(() => localStorage.getItem('labvirt.progress'))).toBe(stored);

    // A fresh browser (another computer) imports the exported file.
    const other = await newContext(site);
    const page2 = await other.newPage();
    await page2.goto('/en/progress/');
    await hydrated(page2, 'ProgressPanel');
    await expect(page2.locator(`tr[data-lesson="${firstKey}"] [data-col="read"]`).textContent()).resolves.toBe('not yet');
    await page2
      .locator('[data-progress-import]')
      .setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
    await textMatching(page2.locator('[data-progress-message]'), /^Progress imported: 1 lessons/);
    await textMatching(page2.locator(`tr[data-lesson="${firstKey}"] [data-col="read"]`), 'yes');
    await other.close();
    await context.close();
  });

  it('tells the learner when the stored progress is damaged and keeps it as a backup', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/en/progress/');
    // The panel reads storage when it hydrates: damage the value only after that, or this first
    // load (not the reload) would find it, back it up and leave nothing for the reload.
    await hydrated(page, 'ProgressPanel');
    await page.evaluate(() => localStorage.setItem('labvirt.progress', 'not json at all'));
    await page.reload();
    await textMatching(page.locator('[data-progress-message]'), 'damaged');
    const backups = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('labvirt.progress.damaged.')));
    expect(backups).toHaveLength(1);
    await context.close();
  });

  it('reloads lessons offline after one visit (service worker)', async () => {
    const context = await newContext(site, { serviceWorkers: 'allow' });
    const external: string[] = [];
    context.on('request', (r) => {
      if (!r.url().startsWith(site.url)) external.push(r.url());
    });
    const page = await context.newPage();
    await page.goto(idUrl);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    expect(await networkRefused(page), 'online, the probe reaches the server').toBe(false);
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('h1').textContent()).resolves.toBe(idLesson.title);
    // The page came from the service worker: the network really was refused.
    expect(await networkRefused(page), 'offline, the network refuses').toBe(true);
    // A page never visited is also there, precached on the first visit.
    await page.goto(enUrl);
    await expect(page.locator('h1').textContent()).resolves.toBe(enLesson.title);
    await page.goto('/istilah/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Daftar istilah');
    await context.setOffline(false);
    expect(external).toEqual([]);
    await context.close();
  });
});
