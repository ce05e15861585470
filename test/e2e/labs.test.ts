/**
 * Guided labs in Chromium: a simulator lab completed as a learner does it (a failed check that says
 * what is missing, a hint, then success and "why this worked"), its progress surviving a reload,
 * the lab index's filters, a lesson's "Praktik" list, and axe on the lab pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expectAccessible, hydrated, newContext, type Site, startSite, textMatching } from './harness';
import { simLessonUrl } from './sim-lessons';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const LAB = '/lab/popf-trap-and-emulate/';

const step = (page: Page, id: string): Locator => page.locator(`.lab-step[data-step="${id}"]`);

/** Waits until every step island on the page has hydrated (client:visible: scroll them in). */
async function stepsReady(page: Page): Promise<void> {
  for (const el of await page.locator('.lab-step').all()) await el.scrollIntoViewIfNeeded();
  await hydrated(page, 'LabStep');
  await page.waitForFunction(() => document.querySelectorAll('astro-island[ssr][component-url*="LabStep"]').length === 0);
}

/** Presses a step's Check button (its Indonesian label unless told) and returns the verdict line. */
async function check(page: Page, id: string, label = 'Periksa'): Promise<Locator> {
  const s = step(page, id);
  await s.getByRole('button', { name: label, exact: true }).click();
  return s.locator('[role="status"]');
}

describe('a simulator lab, done by a learner', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(site);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('fails a check before the work, says what is missing, gives a hint, then passes', async () => {
    await page.goto(LAB);
    await stepsReady(page);
    const first = step(page, 'diverge');
    // Hints, solution and "why" wait for their moment.
    await expect(first.locator('[data-lab-part="hint"]').first().isVisible()).resolves.toBe(false);
    await expect(first.locator('[data-lab-part="why"]').isVisible()).resolves.toBe(false);
    // The later steps wait for the first.
    await expect(step(page, 'fix').getByRole('button', { name: 'Periksa', exact: true }).isDisabled()).resolves.toBe(true);

    // Before the simulator runs: nothing to check yet.
    await textMatching(await check(page, 'diverge'), 'Mesinnya belum siap');

    const shell = page.locator('[data-sim="cpu-flaw"]');
    await shell.getByRole('button', { name: 'Jalankan simulator' }).click();
    await shell.locator('.sim-lab').waitFor({ timeout: 20_000 });

    // Started but not run: the check fails and names what is missing, in Indonesian.
    const verdict = await check(page, 'diverge');
    await textMatching(verdict, 'Belum. Yang masih kurang:');
    await textMatching(verdict, 'Jalankan program sampai guest berbeda dari mesin native');

    await first.getByRole('button', { name: /Minta petunjuk \(1\/3\)/ }).click();
    await expect(first.locator('[data-lab-part="hint"]').nth(0).isVisible()).resolves.toBe(true);
    await expect(first.locator('[data-lab-part="hint"]').nth(1).isVisible()).resolves.toBe(false);

    await shell.getByRole('button', { name: 'Jalankan', exact: true }).click();
    await textMatching(shell.locator('[data-verdict]'), /tepat setelah POPF/, 30_000);
    await textMatching(await check(page, 'diverge'), 'Berhasil!');
    await expect(first.locator('[data-lab-part="why"]').isVisible()).resolves.toBe(true);
    await textMatching(first.locator('[data-lab-part="why"]'), 'Popek dan Goldberg');
  });

  it('stepping to the first difference, then fixing it with another strategy, completes the lab', async () => {
    const shell = page.locator('[data-sim="cpu-flaw"]');
    await shell.getByRole('button', { name: 'Ulang' }).click();
    // Stepping past the difference fails; exactly at it passes.
    for (let i = 0; i < 100; i++) {
      if (((await shell.locator('[data-verdict]').textContent()) ?? '').includes('POPF')) break;
      await shell.getByRole('button', { name: 'Langkah' }).click();
    }
    await textMatching(shell.locator('[data-verdict]'), /tepat setelah POPF/);
    await textMatching(await check(page, 'find-instruction'), 'Berhasil!');

    await shell.locator('select[data-setting="strategy"]').selectOption('binary-translation');
    await page.locator('#sim-cpu-flaw-speed').focus();
    await page.keyboard.press('End');
    await shell.getByRole('button', { name: 'Jalankan', exact: true }).click();
    await page.locator('.sim-lab[data-status="finished"]').waitFor({ timeout: 30_000 });
    await textMatching(await check(page, 'fix'), 'Berhasil!');
    await textMatching(page.locator('.lab-summary'), 'Lab selesai');
  });

  it('keeps the progress over a reload: steps passed, hints counted, in the progress file', async () => {
    await page.reload();
    await stepsReady(page);
    await textMatching(page.locator('.lab-summary'), 'Lab selesai');
    for (const id of ['diverge', 'find-instruction', 'fix'])
      await textMatching(step(page, id).locator('[role="status"]'), 'Berhasil!');
    await expect(step(page, 'diverge').locator('[data-lab-part="hint"]').nth(0).isVisible()).resolves.toBe(true);
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('labvirt.progress') ?? '{}') as unknown);
    expect(stored).toMatchObject({
      version: 2,
      labs: {
        '07-popf-trap-and-emulate': {
          steps: {
            diverge: { hintsUsed: 1, solutionShown: false, failedChecks: 1, passedAt: expect.any(String) as unknown },
            'find-instruction': { hintsUsed: 0, passedAt: expect.any(String) as unknown },
            fix: { passedAt: expect.any(String) as unknown },
          },
        },
      },
    });
  });

  it('records a shown solution, and "reset lab" clears the lab', async () => {
    await page.goto('/en/labs/count-vm-exits/');
    await stepsReady(page);
    const predict = step(page, 'predict');
    await predict.getByRole('button', { name: 'Show the solution' }).click();
    await expect(predict.locator('[data-lab-part="solution"]').isVisible()).resolves.toBe(true);
    await textMatching(predict.locator('[role="status"]'), 'Solution viewed.');
    // A wrong prediction fails; the right one passes (no machine needed to predict).
    await predict.getByLabel('Your answer').fill('3');
    await textMatching(await check(page, 'predict', 'Check'), 'Not quite.');
    await predict.getByLabel('Your answer').fill('4');
    await textMatching(await check(page, 'predict', 'Check'), 'Done!');
    const stored = await page.evaluate(
      () => JSON.parse(localStorage.getItem('labvirt.progress') ?? '{}') as { labs: Record<string, unknown> },
    );
    expect(stored.labs['08-hitung-vm-exit']).toMatchObject({ steps: { predict: { solutionShown: true, failedChecks: 1 } } });

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset lab' }).click();
    await textMatching(page.locator('.lab-summary'), '0 of 3 steps done');
    const after = await page.evaluate(
      () => JSON.parse(localStorage.getItem('labvirt.progress') ?? '{}') as { labs: Record<string, unknown> },
    );
    expect(after.labs['08-hitung-vm-exit']).toBeUndefined();
    expect(after.labs['07-popf-trap-and-emulate']).toBeDefined();
  });
});

describe('finding labs', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await newContext(site);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
  });

  it('the index filters by lesson, where it runs and level', async () => {
    await page.goto('/lab/');
    const visible = () => page.locator('[data-lab-card]:visible').count();
    await expect(visible()).resolves.toBe(4);
    await page.getByLabel('Tempat berjalan').selectOption('simulator');
    await expect(visible()).resolves.toBe(2);
    await textMatching(page.locator('[data-lab-count]'), '2 dari 4 lab');
    await page.getByLabel('Tingkat').selectOption('beginner');
    await expect(visible()).resolves.toBe(0);
    await expect(page.locator('[data-lab-none]').isVisible()).resolves.toBe(true);
    await page.getByLabel('Tempat berjalan').selectOption('');
    await page.getByLabel('Tingkat').selectOption('');
    await page.getByLabel('Pelajaran').selectOption('05-virtualisasi-cpu');
    await expect(page.locator('[data-lab-card]:visible h2').allTextContents()).resolves.toEqual([
      'Trap-and-emulate gagal di POPF',
      'Hitung VM exit',
    ]);
  });

  it('a lesson lists its labs under "Praktik", linking to them', async () => {
    await page.goto(simLessonUrl('cpu-flaw', 'en'));
    const practice = page.locator('section.lesson-practice');
    await textMatching(practice.locator('h2'), 'Practice');
    await practice.getByRole('link', { name: 'Count the VM exits' }).click();
    await page.waitForURL('**/en/labs/count-vm-exits/');
  });

  it.each(['/lab/', '/en/labs/', LAB, '/en/labs/know-your-machine/'])('%s passes axe', async (path) => {
    await page.goto(path);
    if (path !== '/lab/' && path !== '/en/labs/') await stepsReady(page);
    await expectAccessible(page, path);
  });
});

describe('a browser-PC lab, done by a learner', () => {
  it('checks the real machine: fails before the work, a hint, the work typed in the terminal, then passes', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/lab/kenali-mesin/');
    await stepsReady(page);
    const first = step(page, 'cpu');

    // No machine yet: nothing to check.
    await textMatching(await check(page, 'cpu'), 'Mesinnya belum siap');

    const machine = page.locator('section.machine');
    await machine.scrollIntoViewIfNeeded();
    await hydrated(page, 'BrowserPc');
    await machine.getByRole('button', { name: 'Mulai', exact: true }).click();
    await machine.locator('[role="status"]').filter({ hasText: 'Berjalan' }).waitFor({ timeout: 30_000 });

    // Running, work not done: the check reads the machine and says what is missing.
    await textMatching(await check(page, 'cpu'), 'Belum. Yang masih kurang:', 20_000);
    await first.getByRole('button', { name: /Minta petunjuk \(1\/\d\)/ }).click();
    await expect(first.locator('[data-lab-part="hint"]').nth(0).isVisible()).resolves.toBe(true);

    // Typing what the check looks for does not pass it; the work does.
    const terminal = machine.locator('.xterm-helper-textarea');
    await terminal.focus();
    await page.keyboard.type('echo model-ok');
    await page.keyboard.press('Enter');
    await textMatching(await check(page, 'cpu'), 'Belum. Yang masih kurang:', 20_000);
    await terminal.focus();
    await page.keyboard.type("grep 'model name' /proc/cpuinfo > cpu.txt");
    await page.keyboard.press('Enter');
    await textMatching(await check(page, 'cpu'), 'Berhasil!', 20_000);
    await expect(first.locator('[data-lab-part="why"]').isVisible()).resolves.toBe(true);
    // The check left nothing in the terminal: the student's screen shows only what they typed.
    const screen = await page.$$eval('.machine .xterm-rows > div', (rows) => rows.map((r) => r.textContent ?? '').join('\n'));
    expect(screen).not.toMatch(/probe|base64/);
    await context.close();
  }, 120_000);
});
