/**
 * Every page of both languages: no serious or critical axe violations, no request
 * leaving the site's origin, a language switch that lands on the same page in the
 * other language, hreflang alternates as absolute URLs of both versions, and no broken
 * internal link or anchor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { builtPages, DIST, expectAccessible, newContext, type Site, startSite } from './harness';

let site: Site;
const pages = builtPages();
/** Internal links seen on each page: target path → pages linking to it (with hash). */
const links = new Map<string, Set<string>>();
/** Element ids present on each page, for anchor checks. */
const anchors = new Map<string, Set<string>>();
/** Origins of the hreflang alternates seen on every page (the configured site, one for all). */
const alternateOrigins = new Set<string>();

beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

// Two axe runs on a long lesson, beside another page's: minutes on a loaded 2-core host.
describe('every page', { timeout: 120_000 }, () => {
  it('the site has both languages and all sections', () => {
    for (const path of [
      '/',
      '/en/',
      '/pelajaran/',
      '/en/lessons/',
      '/istilah/',
      '/en/glossary/',
      '/cari/',
      '/en/search/',
      '/kemajuan/',
      '/en/progress/',
    ]) {
      expect(pages).toContain(path);
    }
    const id = pages.filter((p) => p.startsWith('/pelajaran/') && p !== '/pelajaran/');
    const en = pages.filter((p) => p.startsWith('/en/lessons/') && p !== '/en/lessons/');
    expect(id.length).toBeGreaterThan(0);
    expect(en.length).toBe(id.length);
  });

  // Two pages at a time (the e2e project's maxConcurrency): axe is most of the time, one core each.
  it.concurrent.each(pages)('%s passes axe, stays on its origin, and links to its translation', async (path) => {
    const context = await newContext(site);
    const external: string[] = [];
    context.on('request', (request) => {
      if (!request.url().startsWith(site.url) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        external.push(request.url());
      }
    });
    const page = await context.newPage();
    const response = await page.goto(path, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);

    const lang = await page.locator('html').getAttribute('lang');
    expect(lang).toBe(path.startsWith('/en/') ? 'en' : 'id');

    await expectAccessible(page, path);

    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const href of hrefs) {
      if (/^(https?:)?\/\//.test(href) && !href.startsWith(site.url)) continue;
      const target = new URL(href, site.url + path);
      const key = target.pathname + target.hash;
      if (!links.has(key)) links.set(key, new Set());
      links.get(key)?.add(path);
    }
    anchors.set(path, new Set(await page.$$eval('[id]', (els) => els.map((e) => e.id))));

    const switchHref = await page.locator('a.lang-switch').getAttribute('href');
    expect(switchHref).toBeTruthy();
    const other = new URL(switchHref ?? '', site.url).pathname;
    expect(pages, `language switch of ${path}`).toContain(other);
    expect(other.startsWith('/en/')).toBe(!path.startsWith('/en/'));

    // Search engines need absolute hreflang URLs: this page in its language and in the other one.
    const alternates = await page.$$eval('link[rel="alternate"][hreflang]', (ls) =>
      ls.map((l) => ({ lang: l.getAttribute('hreflang') ?? '', href: l.getAttribute('href') ?? '' })),
    );
    const own = path.startsWith('/en/') ? 'en' : 'id';
    expect(alternates.map((a) => a.lang).sort()).toEqual(['en', 'id']);
    for (const { lang: hreflang, href } of alternates) {
      expect(href, `hreflang=${hreflang} of ${path}`).toMatch(/^https?:\/\/[^/]+\//);
      alternateOrigins.add(new URL(href).origin);
      expect(new URL(href).pathname, `hreflang=${hreflang} of ${path}`).toBe(hreflang === own ? path : other);
    }

    expect(external, `requests leaving the origin from ${path}`).toEqual([]);
    await context.close();
  });

  it('names one site in every hreflang alternate', () => {
    expect([...alternateOrigins]).toHaveLength(1);
  });

  it('has no broken internal links or anchors', () => {
    expect(links.size).toBeGreaterThan(0);
    const broken: string[] = [];
    for (const [target, from] of links) {
      const [pathname = '', hash] = target.split('#');
      // A page, or a file the site serves (e.g. the guest image files "about this machine" links to).
      const known = pages.includes(pathname) || (!pathname.endsWith('/') && existsSync(join(DIST, pathname)));
      if (!known) broken.push(`${target} (from ${[...from].join(', ')})`);
      else if (hash && pages.includes(pathname) && !anchors.get(pathname)?.has(decodeURIComponent(hash))) {
        broken.push(`${target}: no #${hash} (from ${[...from].join(', ')})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
