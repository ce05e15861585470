// @ts-check
/**
 * `npm run bench:lighthouse`: Lighthouse (mobile, its default simulated throttling) on the home
 * page, lesson 5 and the browser-PC page, in both languages, against the built site (dist/) served
 * on 127.0.0.1, in Debian's Chromium. Needs `npm run build` first.
 * Per page: the performance and SEO scores (0–100), cumulative layout shift, LCP and TBT.
 * Last line of stdout: one JSON object with those figures and the worst performance score and CLS.
 * Targets: performance ≥ 95 and CLS ≤ 0.05 on every page.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import lighthouse from 'lighthouse';
import { launchChromium } from './lib/chromium.ts';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('../dist/', import.meta.url));
/**
 * A port nothing listens on now, for Chromium's DevTools endpoint (Lighthouse connects to it).
 * @returns {Promise<number>}
 */
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const server = await startStaticServer({ root });
const port = await freePort();
const browser = await launchChromium([`--remote-debugging-port=${port}`]);
try {
  /** The nth lesson's path, read from the lesson index of one language (lessons are listed in order). */
  const lessonPath = async (/** @type {string} */ index, /** @type {number} */ n) => {
    const html = await (await fetch(server.url + index)).text();
    const paths = [...html.matchAll(/<h3><a href="([^"]+)"/g)].map((m) => m[1]);
    const path = paths[n - 1];
    if (!path) throw new Error(`no lesson ${n} in ${index}`);
    return path;
  };
  const targets = [
    { name: 'home', path: '/' },
    { name: 'home (en)', path: '/en/' },
    { name: 'lesson 5', path: await lessonPath('/pelajaran/', 5) },
    { name: 'lesson 5 (en)', path: await lessonPath('/en/lessons/', 5) },
    { name: 'machine', path: '/mesin/' },
    { name: 'machine (en)', path: '/en/machine/' },
  ];
  /** @type {{ name: string, path: string, performance: number, seo: number, cls: number, lcpMs: number, tbtMs: number }[]} */
  const pages = [];
  let version = '';
  for (const { name, path } of targets) {
    const result = await lighthouse(server.url + path, {
      port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'seo'],
    });
    if (!result) throw new Error(`Lighthouse gave no result for ${path}`);
    const { categories, audits } = result.lhr;
    version = result.lhr.lighthouseVersion;
    const row = {
      name,
      path,
      performance: Math.round((categories['performance']?.score ?? 0) * 100),
      seo: Math.round((categories['seo']?.score ?? 0) * 100),
      cls: Number((audits['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3)),
      lcpMs: Math.round(audits['largest-contentful-paint']?.numericValue ?? NaN),
      tbtMs: Math.round(audits['total-blocking-time']?.numericValue ?? NaN),
    };
    const failedSeo = Object.values(audits)
      .filter(
        (a) =>
          result.lhr.categories['seo']?.auditRefs.some((r) => r.id === a.id && r.weight > 0) && a.score !== null && a.score < 1,
      )
      .map((a) => a.id);
    console.log(
      `${name.padEnd(14)} ${path.padEnd(36)} performance ${row.performance}  CLS ${row.cls}  LCP ${row.lcpMs} ms  TBT ${row.tbtMs} ms  SEO ${row.seo}${failedSeo.length ? ` (failed: ${failedSeo.join(', ')})` : ''}`,
    );
    pages.push(row);
  }
  console.log(
    JSON.stringify({
      lighthouse: version,
      performanceMin: Math.min(...pages.map((p) => p.performance)),
      clsMax: Math.max(...pages.map((p) => p.cls)),
      seoMin: Math.min(...pages.map((p) => p.seo)),
      pages,
    }),
  );
} finally {
  await browser.close();
  await server.close();
}
