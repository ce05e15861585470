// @ts-check
/**
 * `npm run bench:site`: loads every lesson page of the built site in headless Chromium,
 * scrolls through it a screen at a time (so every `client:visible` island, mid-page ones
 * too, comes into view and hydrates) and measures what it transfers. Sizes are
 * brotli-compressed (quality 11), as a LAN or web server would send them.
 * Every lesson page counts, those with the browser PC (a BrowserPc island) too: they are measured
 * as a learner opens them, before the machine starts (its terminal and emulator load only when
 * the learner starts it; `npm run bench:guest` measures that part). Their figures are also
 * given apart, so a heavy machine island shows.
 * Last line of stdout: one JSON object with `lessonPageJsBytesMax` over every lesson page
 * (target ≤ 30 KB), and the same maximum for pages with and without the browser PC.
 */
import { brotliCompressSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './lib/chromium.ts';
import { median } from './lib/stats.ts';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('../dist/', import.meta.url));

/** @param {Buffer} body */
const brotli = (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

const server = await startStaticServer({ root });
const browser = await launchChromium();
try {
  const index = await browser.newPage();
  await index.goto(`${server.url}/pelajaran/`);
  const idLessons = await index.$$eval('.lesson-card h3 a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  await index.goto(`${server.url}/en/lessons/`);
  const enLessons = await index.$$eval('.lesson-card h3 a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  await index.close();

  /** @type {{ path: string, machine: boolean, jsBytes: number, jsFiles: number, totalBytes: number, totalRawBytes: number, requests: number }[]} */
  const pages = [];
  for (const path of [...idLessons, ...enLessons]) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    /** @type {Promise<{ type: string, raw: number, compressed: number }>[]} */
    const sizes = [];
    page.on('response', (response) => {
      sizes.push(
        response.body().then(
          (body) => ({ type: response.request().resourceType(), raw: body.length, compressed: brotli(body) }),
          () => ({ type: 'other', raw: 0, compressed: 0 }),
        ),
      );
    });
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    // Jumping straight to the end would skip the islands in between: their
    // IntersectionObserver never sees them. Scroll a screen at a time instead.
    await page.evaluate(async () => {
      const pause = () => new Promise((resolve) => setTimeout(resolve, 150));
      const step = Math.max(200, Math.floor(window.innerHeight * 0.8));
      for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
        window.scrollTo(0, y);
        await pause();
      }
      window.scrollTo(0, document.documentElement.scrollHeight);
      await pause();
    });
    // Astro removes `ssr` from an island once it has hydrated.
    const pending = await page
      .waitForFunction(() => document.querySelectorAll('astro-island[ssr]').length === 0, undefined, { timeout: 15_000 })
      .then(
        () => 0,
        () => page.$$eval('astro-island[ssr]', (els) => els.length),
      );
    if (pending > 0) console.error(`${path}: ${pending} island(s) still not hydrated after scrolling through the page`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    const all = await Promise.all(sizes);
    const js = all.filter((s) => s.type === 'script');
    // An island's `opts` attribute names its component: {"name":"BrowserPc",…}.
    const hasPc = await page.$$eval('astro-island', (islands) =>
      islands.some((el) => {
        try {
          const opts = /** @type {unknown} */ (JSON.parse(el.getAttribute('opts') ?? '{}'));
          return typeof opts === 'object' && opts !== null && 'name' in opts && opts.name === 'BrowserPc';
        } catch {
          return false;
        }
      }),
    );
    pages.push({
      path,
      machine: hasPc,
      jsBytes: js.reduce((n, s) => n + s.compressed, 0),
      jsFiles: js.length,
      totalBytes: all.reduce((n, s) => n + s.compressed, 0),
      totalRawBytes: all.reduce((n, s) => n + s.raw, 0),
      requests: all.length,
    });
    await context.close();
  }
  if (pages.length === 0) throw new Error('no lesson pages found in dist/: run `npm run build` first');
  const max = (/** @type {number[]} */ xs) => (xs.length > 0 ? Math.max(...xs) : null);
  for (const p of pages)
    console.log(
      `${p.path}  js ${p.jsBytes} B in ${p.jsFiles} files · page ${p.totalBytes} B (raw ${p.totalRawBytes} B) · ${p.requests} requests${p.machine ? ' · browser PC, before it starts' : ''}`,
    );
  const withPc = pages.filter((p) => p.machine);
  const result = {
    bench: 'site',
    compression: 'brotli-11',
    lessonPages: pages.length,
    lessonPagesWithMachine: withPc.map((p) => p.path),
    lessonPageJsBytesMax: max(pages.map((p) => p.jsBytes)),
    lessonPageWithMachineJsBytesMax: max(withPc.map((p) => p.jsBytes)),
    lessonPageWithoutMachineJsBytesMax: max(pages.filter((p) => !p.machine).map((p) => p.jsBytes)),
    lessonPageJsBytesMedian: Math.round(median(pages.map((p) => p.jsBytes))),
    lessonPageJsBytesTarget: 30 * 1024,
    lessonPageWeightBytesMax: max(pages.map((p) => p.totalBytes)),
    lessonPageWeightBytesMedian: Math.round(median(pages.map((p) => p.totalBytes))),
    lessonPageRequestsMax: max(pages.map((p) => p.requests)),
  };
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.close();
}
