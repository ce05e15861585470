/**
 * The browser PC in Chromium against the built site: the real v86 emulator running the
 * real guest image from dist/guest/. A learner starts it in a lesson (from the snapshot)
 * and on the full-page route, boots it from scratch, types commands and reads the answers
 * from the terminal; after one start it starts again offline. axe runs on the started
 * machine; "about this machine" shows the checksums of the files the site serves.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  DIST,
  expectAccessible,
  focusedControl,
  hydrated,
  networkRefused,
  newContext,
  type Site,
  startSite,
  tagKeyboardControls,
  walkWithKeyboard,
} from './harness';
import { guestManifestSchema } from '../../src/schemas/guest-manifest';
import { pcText } from '../../src/features/pc/strings';
import { formatBytes } from '../../src/features/pc/status-text';
import { firstStartBytes } from '../../src/build/guest-manifest';
import { fill } from '../../src/i18n/fill';
import { ui } from '../../src/site/strings';
import { lessonSchema } from '../../src/schemas/lesson';
import { readLessonFile } from '../support/content';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const lessonUrl = (key: string, locale: 'id' | 'en') => {
  const slug = lessonSchema.parse(readLessonFile(key, locale)?.frontmatter).urlSlug;
  return locale === 'id' ? `/pelajaran/${slug}/` : `/en/lessons/${slug}/`;
};
const lesson01 = lessonUrl('01-apa-itu-virtualisasi', 'id');

/** Requests for what only a started machine needs: the emulator, the terminal, the guest image. */
const HEAVY = /\/guest\/|\/_astro\/(?:libv86|xterm|addon-fit)[.-][\w-]+\.js$|\.wasm$/;

/** The terminal's text as xterm renders it (one DOM row per line). */
async function screen(page: Page): Promise<string> {
  return page.$$eval('.machine .xterm-rows > div', (rows) =>
    rows.map((r) => (r.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'),
  );
}

/** Waits until the terminal shows `pattern`; fails with what it shows. */
async function screenMatching(page: Page, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < until) {
    text = await screen(page);
    if (pattern.test(text)) return text;
    await page.waitForTimeout(100);
  }
  throw new Error(`the terminal never showed ${pattern}; it shows:\n${text}`);
}

/** Presses Start (or Boot from scratch) and waits for "Running"; returns the milliseconds that took. */
async function start(page: Page, locale: 'id' | 'en', mode: 'snapshot' | 'cold'): Promise<number> {
  const text = pcText(locale);
  const machine = page.locator('section.machine');
  // The island hydrates when it scrolls into view (client:visible in lessons).
  await machine.scrollIntoViewIfNeeded();
  await hydrated(page, 'BrowserPc');
  const began = Date.now();
  await machine.getByRole('button', { name: text[mode === 'snapshot' ? 'machine.start' : 'machine.cold'], exact: true }).click();
  await machine
    .locator('[role="status"]')
    .filter({ hasText: text['machine.status.running'] })
    .waitFor({ timeout: mode === 'snapshot' ? 30_000 : 90_000 });
  return Date.now() - began;
}

/** Types a command into the terminal as a learner would, then Enter. */
async function type(page: Page, command: string): Promise<void> {
  await page.locator('.machine .xterm-helper-textarea').focus();
  await page.keyboard.type(command);
  await page.keyboard.press('Enter');
}

/** Runs a command and returns the lines it printed (between the typed line and the next prompt). */
async function run(page: Page, command: string, timeoutMs = 30_000): Promise<string> {
  const marker = `m${Math.random().toString(36).slice(2, 8)}`;
  // The typed line reads "~ # COMMAND; echo MARKER-done"; only the printed line is MARKER-done alone.
  await type(page, `${command}; echo ${marker}-done`);
  const text = await screenMatching(page, new RegExp(`^${marker}-done$`, 'm'), timeoutMs);
  const lines = text.split('\n');
  const end = lines.lastIndexOf(`${marker}-done`);
  const begin = lines.findLastIndex((l, i) => i < end && l.includes(`echo ${marker}-done`));
  return lines.slice(begin + 1, end).join('\n');
}

describe('the browser PC', () => {
  it('starts in lesson 1 from the snapshot, answers a typed command and passes axe while running', async () => {
    const context = await newContext(site);
    const heavy: string[] = [];
    context.on('request', (r) => {
      if (HEAVY.test(new URL(r.url()).pathname)) heavy.push(new URL(r.url()).pathname);
    });
    const page = await context.newPage();
    await page.goto(lesson01);
    const box = page.locator('[data-hands-on="machine"]');
    await expect(box.locator('section.machine').count()).resolves.toBe(1);
    await expect(box.locator('.hands-on-pending').count()).resolves.toBe(0);
    await expect(box.locator('.pc-machine-first code').textContent()).resolves.toBe('uname -a');
    await box.scrollIntoViewIfNeeded();
    await hydrated(page, 'BrowserPc');
    await page.waitForLoadState('networkidle');
    expect(heavy, 'nothing heavy before Start').toEqual([]);

    const ms = await start(page, 'id', 'snapshot');
    console.info(`e2e: lesson 1 machine from snapshot to "running" in ${ms} ms`);
    expect(heavy.some((p) => p.startsWith('/guest/state.bin.zst'))).toBe(true);
    expect(heavy.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(
      heavy.some((p) => /\/guest\/(bzImage|initramfs)/.test(p)),
      'a snapshot start needs no kernel',
    ).toBe(false);

    // The emulator runs off the page's main thread, where the terminal draws and takes keys.
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\/_astro\/v86\.worker[\w.-]*\.js$/)]),
    );
    await expect(run(page, 'uname -m')).resolves.toBe('i686');
    // A command whose answer the guest computes: it cannot come from a recorded screen.
    await expect(run(page, 'echo $((6 * 7))')).resolves.toBe('42');
    expect(await screen(page)).toMatch(/^~ #$/m);

    await expectAccessible(page, `${lesson01} with the machine running`);
    await context.close();
  });

  it('gives Tab to the shell, lets the keyboard out with Esc then Tab or Shift+Tab, and reaches every control of the lesson', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto(lesson01);
    await start(page, 'id', 'snapshot');
    const terminal = page.locator('.machine .xterm-helper-textarea');
    // The way out is written next to the terminal and read out when the terminal gets focus.
    const hint = page.locator(`[id="${(await terminal.getAttribute('aria-describedby')) ?? ''}"]`);
    expect(await hint.textContent()).toContain(pcText('id')['machine.leaveHint']);
    expect(await hint.isVisible()).toBe(true);

    // Tab completes a command in the shell: `unam` becomes `uname `.
    await terminal.focus();
    await page.keyboard.type('unam');
    await page.keyboard.press('Tab');
    await page.keyboard.type('-m');
    await page.keyboard.press('Enter');
    await screenMatching(page, /uname -m\n+i686$/m);
    expect((await focusedControl(page)).terminal).toBe(true);
    // Esc followed by other keys reaches the guest as typed: vi leaves insert mode with it, so
    // `:wq` is a command (not text) and the file holds only what was inserted.
    await page.keyboard.type('vi /tmp/esc.txt');
    await page.keyboard.press('Enter');
    await screenMatching(page, /^~$/m);
    await page.keyboard.type('ihello');
    await page.keyboard.press('Escape');
    // A person's next key comes later than vi's wait for the rest of an escape sequence (50 ms).
    await page.waitForTimeout(300);
    await page.keyboard.type(':wq');
    await page.keyboard.press('Enter');
    await expect(run(page, 'cat /tmp/esc.txt')).resolves.toBe('hello');

    const controls = await tagKeyboardControls(page);
    const at = controls.indexOf((await terminal.getAttribute('data-e2e-control')) ?? '');
    expect(at).toBeGreaterThan(0);
    // Esc, then Tab: on to the control after the terminal.
    await terminal.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect((await focusedControl(page)).tag).toBe(controls[at + 1]);
    // Esc, then Shift+Tab: back to the one before it (the machine's Paste button).
    await terminal.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Shift+Tab');
    expect((await focusedControl(page)).tag).toBe(controls[at - 1]);
    expect(controls[at - 1]).toContain(pcText('id')['machine.paste']);
    // Shift+Tab alone goes back too: a shell has no use for it.
    await terminal.focus();
    await page.keyboard.press('Shift+Tab');
    expect((await focusedControl(page)).tag).toBe(controls[at - 1]);
    // The shell still answers after the learner left and came back. (Keys that follow Esc within
    // busybox's 50 ms wait for an escape sequence would be read as one; a person is slower.)
    await page.waitForTimeout(500);
    await expect(run(page, 'echo back $((40 + 2))')).resolves.toBe('back 42');

    // The whole lesson by keyboard, from its first control: the quiz and "mark as read" too.
    const reached = await walkWithKeyboard(page, controls[0] ?? '');
    expect(controls.filter((c) => !reached.includes(c))).toEqual([]);
    for (const label of [ui.id['quiz.check'], ui.id['lesson.markRead']])
      expect(reached.some((c) => c.endsWith(`:${label}`))).toBe(true);
    await context.close();
  });

  it('starts from a tap on Start made before the machine island of the lesson had loaded', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    // A slow network: the island's code arrives 2 s after it scrolled into view.
    await page.route(/\/_astro\/BrowserPc\.[\w-]+\.js$/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      await route.continue();
    });
    await page.goto(lesson01);
    const machine = page.locator('section.machine');
    await machine.scrollIntoViewIfNeeded();
    await page.waitForTimeout(200);
    const island = page.locator('astro-island', { has: machine });
    expect(await island.getAttribute('ssr'), 'the island has not hydrated yet').not.toBeNull();
    await machine.getByRole('button', { name: pcText('id')['machine.start'], exact: true }).click();
    await machine
      .locator('[role="status"]')
      .filter({ hasText: pcText('id')['machine.status.running'] })
      .waitFor({ timeout: 30_000 });
    await expect(run(page, 'echo $((6 * 7))')).resolves.toBe('42');
    await context.close();
  });

  it('runs on the English full-page route, in English, and switches language to /mesin/', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/en/machine/');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await expect(page.locator('a.lang-switch').getAttribute('href')).resolves.toBe('/mesin/');
    await expect(page.locator('.site-nav a[aria-current="page"]').textContent()).resolves.toBe('Machine');
    await start(page, 'en', 'snapshot');
    await expect(page.locator('section.machine [role="status"]').textContent()).resolves.toBe('Running');
    const cpuid = await run(page, 'cpuid-info');
    expect(cpuid).toMatch(/^hypervisor_bit: yes$/m);
    expect(cpuid).toMatch(/^hypervisor_vendor: VMwareVMware$/m);
    // Lesson 2's ISO is in the guest and mounts through a loop device.
    await expect(run(page, 'mount -o loop kursus.iso /mnt && cat /mnt/README.TXT | head -n 1')).resolves.toMatch(
      /Hello from inside an ISO image!$/,
    );
    await expectAccessible(page, '/en/machine/ with the machine running');

    await page.locator('a.lang-switch').click();
    await page.waitForURL('**/mesin/');
    await expect(page.locator('h1').textContent()).resolves.toBe('Mesin Linux di browser');
    await context.close();
  });

  it('boots from scratch to a prompt, showing the kernel boot', async () => {
    const context = await newContext(site);
    const page = await context.newPage();
    const files: string[] = [];
    page.on('request', (r) => files.push(new URL(r.url()).pathname));
    await page.goto('/mesin/');
    const ms = await start(page, 'id', 'cold');
    console.info(`e2e: cold boot to "running" in ${ms} ms`);
    // Kernel messages with their boot timestamps: a snapshot start shows only a prompt. xterm draws
    // what it is given a moment later, so wait for the screen to catch up with "Running".
    const text = await screenMatching(page, /^\[\s*\d+\.\d{6}\] Freeing unused kernel image/m);
    expect(text).toMatch(/Run \/init as init process/);
    for (const f of ['bios.bin', 'bzImage']) expect(files).toContain(`/guest/${f}`);
    // The course's kernel carries its initramfs: no separate initrd is fetched.
    expect(files).not.toContain('/guest/initramfs.cpio');
    expect(files).not.toContain('/guest/state.bin.zst');
    await expect(run(page, 'cat /proc/cmdline')).resolves.toBe('console=ttyS0,115200 tsc=reliable');
    await context.close();
  });

  it('caches the machine on first start (not before) and starts it again offline', async () => {
    const context = await newContext(site, { serviceWorkers: 'allow' });
    const page = await context.newPage();
    await page.goto(lesson01);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    /** Cached URL paths by cache name. */
    const cached = () =>
      page.evaluate(async () => {
        const out: Record<string, string[]> = {};
        for (const name of await caches.keys()) {
          out[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname);
        }
        return out;
      });
    const before = await cached();
    const precached = Object.values(before).flat();
    expect(precached.length, 'the ordinary pages are precached').toBeGreaterThan(20);
    expect(
      precached.filter((p) => HEAVY.test(p)),
      'no emulator, terminal or guest file precached',
    ).toEqual([]);

    await start(page, 'id', 'snapshot');
    await expect(run(page, 'uname -m')).resolves.toBe('i686');
    const after = await cached();
    const pcCaches = Object.keys(after).filter((n) => n.startsWith('labvirt-machine-'));
    expect(pcCaches).toHaveLength(1);
    const inPcCache = after[pcCaches[0] ?? ''] ?? [];
    expect(inPcCache).toContain('/guest/state.bin.zst');
    expect(inPcCache.some((p) => /\/_astro\/.*\.wasm$/.test(p))).toBe(true);
    expect(inPcCache.some((p) => /\/_astro\/libv86[.-][\w-]+\.js$/.test(p))).toBe(true);
    expect(inPcCache.some((p) => /\/_astro\/xterm\.[\w-]+\.js$/.test(p))).toBe(true);

    expect(await networkRefused(page), 'online, the probe reaches the server').toBe(false);
    await context.setOffline(true);
    await page.reload();
    // What the learner meets offline: the network refuses, and the machine still starts.
    expect(await networkRefused(page), 'offline, the network refuses').toBe(true);
    await page.locator('[data-hands-on="machine"]').scrollIntoViewIfNeeded();
    await start(page, 'id', 'snapshot');
    await expect(run(page, 'echo offline $((40 + 2))')).resolves.toBe('offline 42');
    await context.setOffline(false);
    await context.close();
  });

  it('shows on "about this machine" the checksums of the files the site serves', async () => {
    const manifest = guestManifestSchema.parse(JSON.parse(readFileSync(join(DIST, 'guest', 'manifest.json'), 'utf8')));
    const context = await newContext(site);
    const page = await context.newPage();
    await page.goto('/mesin/tentang/');
    await expect(page.locator('a.lang-switch').getAttribute('href')).resolves.toBe('/en/machine/about/');
    const shown = await page.$$eval('#outputs + p + table tbody tr', (rows) =>
      rows.map((r) => ({ name: r.querySelector('th')?.textContent?.trim(), sha256: r.querySelector('code.sha')?.textContent })),
    );
    expect(shown.map((r) => r.name).sort()).toEqual(manifest.outputs.map((o) => o.name).sort());
    for (const row of shown) {
      const served = readFileSync(join(DIST, 'guest', row.name ?? ''));
      expect(row.sha256, row.name).toBe(createHash('sha256').update(served).digest('hex'));
    }
    const packages = await page.$$eval('#packages + p + table tbody tr', (rows) =>
      rows.map((r) => [r.querySelector('th')?.textContent?.trim(), r.querySelector('td code')?.textContent]),
    );
    for (const p of manifest.packages) expect(packages).toContainEqual([p.name, p.version]);
    await page.goto('/en/machine/about/');
    await expect(page.locator('h1').textContent()).resolves.toBe('About this machine');
    await context.close();
  });
});

describe('the browser PC on a 360 px phone', () => {
  it('shows the download in the terminal box, and takes Ctrl+C, history, Tab and Copy from the key bar', async () => {
    const context = await site.browser.newContext({
      baseURL: site.url,
      serviceWorkers: 'block',
      viewport: { width: 360, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const page = await context.newPage();
    const text = pcText('id');
    // A slow connection for the saved state, so the download is there to be seen.
    await page.route('**/guest/state.bin.zst', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    const downloads: Promise<number>[] = [];
    page.on('response', (r) => {
      if (HEAVY.test(new URL(r.url()).pathname)) downloads.push(r.body().then((b) => b.length));
    });
    await page.goto('/mesin/');
    const machine = page.locator('section.machine');
    await hydrated(page, 'BrowserPc');
    // Before the first start: the real size of what Start downloads, and that it happens once.
    const firstTime = fill(text['machine.firstStart'], { size: formatBytes(firstStartBytes(), 'id') });
    await expect(machine.locator('.screen').textContent()).resolves.toContain(firstTime);

    await machine.getByRole('button', { name: text['machine.start'], exact: true }).tap();
    const download = machine.locator('[data-pc-download]');
    await download.filter({ hasText: /Mengunduh/ }).waitFor({ timeout: 15_000 });
    const [box, shown] = await Promise.all([machine.locator('.screen').boundingBox(), download.boundingBox()]);
    expect(shown && box, 'the download shows inside the terminal box').toBeTruthy();
    if (shown && box) {
      expect(shown.y).toBeGreaterThanOrEqual(box.y);
      expect(shown.y + shown.height).toBeLessThanOrEqual(box.y + box.height + 1);
    }
    await machine.locator('[role="status"]').filter({ hasText: text['machine.status.running'] }).waitFor({ timeout: 30_000 });

    // The size the message promised is what the browser downloaded (within 5%: chunk wrapping).
    const downloaded = (await Promise.all(downloads)).reduce((sum, n) => sum + n, 0);
    expect(Math.abs(downloaded - firstStartBytes()) / downloaded).toBeLessThan(0.05);

    const keys = machine.locator('.terminal-keys');
    expect(await keys.isVisible(), 'the key bar shows on a touch screen').toBe(true);
    const noSidewaysScroll = () =>
      page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
    expect(await noSidewaysScroll()).toBe(true);

    // Ctrl+C from the bar interrupts a running command, and the terminal keeps the focus.
    await type(page, 'sleep 100');
    await page.waitForTimeout(300);
    await keys.locator('[data-key="ctrl-c"]').tap();
    expect((await focusedControl(page)).terminal, 'a tapped key leaves the focus in the terminal').toBe(true);
    await screenMatching(page, /\^C/, 5_000);
    // (Short commands: about 39 columns fit at 360 px, and a wrapped line reads as two rows here.)
    await expect(run(page, 'echo $((6*7))', 5_000)).resolves.toBe('42');

    // Up arrow recalls the last command; Enter runs it again.
    await keys.locator('[data-key="up"]').tap();
    await screenMatching(page, /^~ # echo \$\(\(6\*7\)\); echo m\w+-done$(?![\s\S]*\n.)/m, 5_000);
    await page.keyboard.press('Enter');
    await screenMatching(page, /^42\nm\w+-done\n~ #$(?![\s\S]*\n.)/m, 5_000);

    // Tab from the bar completes a command.
    await page.keyboard.type('unam');
    await keys.locator('[data-key="tab"]').tap();
    await page.keyboard.type('-m');
    await page.keyboard.press('Enter');
    await screenMatching(page, /uname -m\n+i686\n~ #$/m, 5_000);

    // Copy with nothing selected copies the last command's output.
    await machine.getByRole('button', { name: text['machine.copy'], exact: true }).tap();
    await machine.locator('.notice').filter({ hasText: text['machine.copiedOutput'] }).waitFor({ timeout: 5_000 });
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe('i686');

    await expectAccessible(page, '/mesin/ on a phone with the machine running');

    // Turned on its side: the terminal fits the new width, and the shell still answers.
    const columns = () =>
      machine
        .locator('.xterm-rows > div')
        .first()
        .evaluate((row) => row.getBoundingClientRect().width);
    const upright = await columns();
    await page.setViewportSize({ width: 740, height: 360 });
    await page.waitForFunction((w) => {
      const row = document.querySelector('.machine .xterm-rows > div');
      return row !== null && row.getBoundingClientRect().width > w + 100;
    }, upright);
    expect(await noSidewaysScroll()).toBe(true);
    await expect(run(page, 'echo turned $((6 * 7))')).resolves.toBe('turned 42');
    await context.close();
  });
});
