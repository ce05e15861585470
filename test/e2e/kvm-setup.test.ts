/**
 * Setting up a school PC for the KVM lab, as a student does it on a 360 px touch screen: the four
 * commands in order with Copy buttons (tap and keyboard), no sideways scrolling, the course archive
 * served by the site with the size and SHA-256 the page shows. Then the archive itself: downloaded
 * from the site, unpacked, its bridge started (TCG) with the guest kernel it carries, and its guest's
 * shell driven from the touch key bar (Ctrl+C stops `sleep 100`). Needs `npm run build`.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, expectAccessible, hydrated, startSite, type Site } from './harness';
import { REPO } from '../integration/kvm-bridge/support/bridge-process';
import { kvmLabStrings } from '../../src/features/kvm-lab/strings';
import { formatNumber } from '../../src/i18n/format';

let site: Site;
const dirs: string[] = [];

beforeAll(async () => {
  site = await startSite();
});

afterAll(async () => {
  await site?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const phone = (s: Site): Promise<BrowserContext> =>
  s.browser.newContext({
    baseURL: s.url,
    serviceWorkers: 'block',
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
  });

const noSidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

/** The archive link on the setup section and the sizes it states. */
async function archiveLink(page: Page): Promise<{ href: string; text: string }> {
  const archive = page.locator('[data-archive]');
  return {
    href: (await archive.locator('a[data-archive-link]').getAttribute('href')) ?? '',
    text: (await archive.textContent()) ?? '',
  };
}

describe('setting up a PC for the KVM lab, on a 360 px phone', () => {
  it.each([
    ['/lab-kvm/', 'id'],
    ['/en/kvm-lab/', 'en'],
  ] as const)('%s shows the four commands in order, each copied by tap and by keyboard', async (path, locale) => {
    const text = kvmLabStrings[locale];
    const context = await phone(site);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const page = await context.newPage();
    await page.goto(path);
    const origin = new URL(site.url).origin;
    const steps = page.locator('#setup [data-setup-step]');
    expect(await steps.evaluateAll((els) => els.map((el) => el.getAttribute('data-setup-step')))).toEqual([
      'packages',
      'files',
      'bridge',
      'page',
    ]);
    const command = (step: string) => page.locator(`#setup [data-setup-step="${step}"] code`).first();
    // The commands carry the address this page was opened from (not the build's configured one).
    expect(await command('packages').textContent()).toBe('sudo apt-get install qemu-system-x86 npm curl');
    const { href } = await archiveLink(page);
    expect(href).toMatch(/^\/unduh\/lab-virtualisasi-[\w.-]+\.tar\.gz$/);
    const file = href.split('/').pop() ?? '';
    expect(await command('files').textContent()).toBe(`cd ~ && curl -fLO ${origin}${href} && tar xzf ${file}`);
    expect(await command('bridge').textContent()).toBe(
      `cd ~/${file.replace(/\.tar\.gz$/, '')} && npm ci --omit=dev --no-audit --no-fund && npm run bridge -- --origin ${origin}`,
    );
    expect(await command('page').textContent()).toBe(`xdg-open ${origin}${path}`);
    expect(await noSidewaysScroll(page), 'no sideways scrolling at 360 px').toBe(true);

    // Tap: the button says it copied, and the clipboard holds exactly the command.
    const copy = (step: number) =>
      page.getByRole('button', { name: text['setup.copyLabel'].replace('{step}', String(step)), exact: true });
    await copy(2).tap();
    await expect(copy(2).textContent()).resolves.toBe(text['setup.copied']);
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(await command('files').textContent());
    // Keyboard: focus the button, press Enter.
    await copy(3).focus();
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(await command('bridge').textContent());
    await expect(copy(3).locator('xpath=following-sibling::*[@role="status"]').textContent()).resolves.toBe(text['setup.copied']);
    await expectAccessible(page, `${path} setup at 360 px`, '#setup');
    // Every copy button is a finger-sized target.
    for (const box of await page.locator('#setup [data-copy-command] button').all()) {
      const size = await box.boundingBox();
      expect(size?.height ?? 0).toBeGreaterThanOrEqual(44);
    }
    await context.close();
  });

  it('links the course archive, served with HTTP 200, with the size and SHA-256 the page shows', async () => {
    // With the service worker in charge, as on a student's second visit: the tap must reach the file.
    const context = await site.browser.newContext({
      baseURL: site.url,
      serviceWorkers: 'allow',
      viewport: { width: 360, height: 740 },
      hasTouch: true,
      isMobile: true,
    });
    const page = await context.newPage();
    await page.goto('/lab-kvm/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
      }
    });
    const { href, text } = await archiveLink(page);
    const response = await fetch(new URL(href, site.url));
    expect(response.status).toBe(200);
    // Sent as the file it is: with `Content-Encoding: gzip` a browser would save the unpacked tar.
    expect(response.headers.get('content-encoding')).toBeNull();
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.equals(readFileSync(join(DIST, href)))).toBe(true);
    // Tapping the link downloads exactly that file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-archive-link]').tap()]);
    expect(download.suggestedFilename()).toBe(href.split('/').pop());
    const saved = await download.path();
    expect(readFileSync(saved).equals(body), 'the downloaded file is the archive, still gzip-compressed').toBe(true);
    expect(text).toContain(createHash('sha256').update(body).digest('hex'));
    expect(text).toContain(`${formatNumber(body.length / 1e6, 'id', 1)} MB`);
    // Not in the service worker's precache: a student reading lessons offline never downloads it.
    expect(readFileSync(join(DIST, 'sw.js'), 'utf8')).not.toContain(href.split('/').pop());
    await context.close();
  });
});

describe('the course archive runs the bridge, and the KVM terminal takes keys from the touch bar', () => {
  let bridge: ChildProcess | undefined;
  let line = '';

  beforeAll(async () => {
    const context = await phone(site);
    const page = await context.newPage();
    await page.goto('/lab-kvm/');
    const { href } = await archiveLink(page);
    await context.close();
    // As the student's step 2: download from the site, unpack in an empty folder.
    const home = mkdtempSync(join(tmpdir(), 'kvm-setup-'));
    dirs.push(home);
    const file = join(home, href.split('/').pop() ?? 'course.tar.gz');
    writeFileSync(file, Buffer.from(await (await fetch(new URL(href, site.url))).arrayBuffer()));
    execFileSync('tar', ['-xzf', file, '-C', home]);
    const folder = file.replace(/\.tar\.gz$/, '');
    expect(existsSync(join(folder, 'guest/bzImage')), 'the archive carries the guest kernel').toBe(true);
    expect(existsSync(join(folder, '.cache'))).toBe(false);
    // Step 3 without the minute of `npm ci`: the packages are this checkout's, same lockfile.
    expect(readFileSync(join(folder, 'package-lock.json')).equals(readFileSync(join(REPO, 'package-lock.json')))).toBe(true);
    symlinkSync(join(REPO, 'node_modules'), join(folder, 'node_modules'));
    bridge = spawn(process.execPath, ['src/kvm-bridge/main.ts', '--port', '0', '--origin', site.url], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('the bridge printed no line in 15 s')), 15_000);
      bridge?.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out.slice(0, out.indexOf('\n')));
        }
      });
    });
  });

  afterAll(async () => {
    if (!bridge || bridge.exitCode !== null) return;
    const exited = new Promise((resolve) => bridge?.once('exit', resolve));
    if (bridge.pid) process.kill(bridge.pid, 'SIGTERM');
    await exited;
  });

  it('boots the guest from guest/bzImage under TCG, and Ctrl+C from the key bar interrupts sleep 100', async () => {
    const text = kvmLabStrings.id;
    const context = await phone(site);
    const page = await context.newPage();
    await page.goto('/lab-kvm/');
    await hydrated(page, 'KvmLab');
    await page.locator('[data-kvm-lab] input[type="text"]').first().fill(line);
    await page.locator('[data-kvm-connect]').first().tap();
    await page.locator('[data-kvm-status]').filter({ hasText: 'Terhubung ke bridge' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-kvm-accel]').selectOption('tcg');
    await page.locator('[data-kvm-start]').tap();
    await page.locator('[data-kvm-guest-status]').filter({ hasText: 'Berjalan dengan TCG' }).waitFor({ timeout: 90_000 });

    const keys = page.locator('[data-kvm-terminal] .terminal-keys');
    expect(await keys.isVisible(), 'the key bar shows on a touch screen').toBe(true);
    expect(await noSidewaysScroll(page)).toBe(true);
    const rows = () => page.evaluate(() => document.querySelector('[data-kvm-terminal] .xterm-rows')?.textContent ?? '');
    await page.locator('[data-kvm-terminal] .xterm-screen').tap();
    await page.keyboard.type('sleep 100');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(500);
    await keys.locator('[data-key="ctrl-c"]').tap();
    // The shell is back at once (not after 100 s): it answers the next command.
    await page.keyboard.type('echo done-$((6*7))');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () =>
        /sleep 100\s*\^C[\s\S]*done-42\s*~ #/.test(document.querySelector('[data-kvm-terminal] .xterm-rows')?.textContent ?? ''),
      null,
      { timeout: 10_000 },
    );
    expect(await rows()).toMatch(/\^C/);
    await page.locator('[data-kvm-stop]').tap();
    await page
      .locator('[data-kvm-guest-status]')
      .filter({ hasText: text['kvm.reason.client-stop'] })
      .waitFor({ timeout: 15_000 });
    await context.close();
  });
});
