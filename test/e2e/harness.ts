/**
 * The e2e harness: the built site (dist/) served on 127.0.0.1 on a free port, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/lib/chromium.ts';
import { startStaticServer } from '../../scripts/static-server.mjs';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

export interface Site {
  url: string;
  browser: Browser;
  close: () => Promise<void>;
}

export async function startSite(): Promise<Site> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` before the e2e tier.');
  const server = await startStaticServer({ root: DIST });
  const browser = await launchChromium();
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A fresh, isolated browser profile (own storage, own service worker). */
export async function newContext(site: Site, options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<BrowserContext> {
  return site.browser.newContext({ baseURL: site.url, serviceWorkers: options.serviceWorkers ?? 'block' });
}

/** Every page of the built site, as URL paths (`/`, `/en/lessons/kvm/`, …), 404 excluded. */
export function builtPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'pagefind' && name !== '_astro') walk(path);
      } else if (name === 'index.html') {
        const rel = relative(DIST, dir).split(sep).join('/');
        pages.push(rel ? `/${rel}/` : '/');
      }
    }
  };
  walk(DIST);
  return pages.sort();
}

/** Waits until the Svelte island whose component file contains `name` has hydrated. */
export async function hydrated(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (n) =>
      [...document.querySelectorAll('astro-island')].some(
        (el) => (el.getAttribute('component-url') ?? '').includes(n) && !el.hasAttribute('ssr'),
      ),
    name,
  );
}

/**
 * Whether a request from the page to the network fails, as it must offline. The path is one the
 * service worker has no route for and nothing caches, so only the network could answer it (online,
 * with a 404). `navigator.onLine` proves nothing: Chromium 150 keeps it true under
 * `context.setOffline(true)` while it refuses every request.
 */
export async function networkRefused(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    try {
      await fetch(`/__network-probe-${Math.random().toString(36).slice(2)}`, { cache: 'no-store' });
      return false;
    } catch {
      return true;
    }
  });
}

/** Waits until the locator's text matches, then returns it (playwright-core has no auto-waiting expect). */
export async function textMatching(locator: Locator, pattern: RegExp | string, timeout = 10_000): Promise<string> {
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout });
  return (await locator.first().textContent()) ?? '';
}

/**
 * Runs axe in the light theme with every rule, then in the dark theme with the rules that depend on
 * colour (contrast, links told apart from text), and fails on any serious or critical violation.
 * The other rules read the DOM, which is the same in both themes. `include` limits the scan to a part.
 */
export async function expectAccessible(page: Page, label: string, include?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    let builder =
      colorScheme === 'light'
        ? new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
        : new AxeBuilder({ page }).withRules(['color-contrast', 'link-in-text-block']);
    if (include) builder = builder.include(include);
    const results = await builder.analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')}`,
      );
    expect(serious, `axe on ${label} (${colorScheme})`).toEqual([]);
  }
}

/**
 * Tags every control a keyboard user must be able to reach (visible, enabled, in the tab order;
 * one tag per radio group, which Tab enters once) with `data-e2e-control` and returns their tags in
 * page order. An xterm terminal is one control: its input textarea.
 */
export async function tagKeyboardControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const selector = [
      'a[href]',
      'button',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      'summary',
      'iframe',
      '[contenteditable=""]',
      '[contenteditable="true"]',
      '[tabindex]',
    ].join(',');
    const tags: string[] = [];
    const groups = new Map<string, string>();
    document.querySelectorAll<HTMLElement>(selector).forEach((el, i) => {
      if (el.tabIndex < 0 || (el as HTMLButtonElement).disabled || el.closest('[inert]')) return;
      if (!el.checkVisibility({ visibilityProperty: true })) return;
      let tag = `${i}:${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}`;
      if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
        const group = `${el.form ? [...document.forms].indexOf(el.form) : -1}/${el.name}`;
        const first = groups.get(group);
        if (first) {
          el.dataset['e2eControl'] = first;
          return;
        }
        tag = `${i}:radio:${group}`;
        groups.set(group, tag);
      }
      el.dataset['e2eControl'] = tag;
      tags.push(tag);
    });
    return tags;
  });
}

/**
 * Where the keyboard focus is: the control's `data-e2e-control` tag (null on anything else the
 * browser lets Tab stop on, such as a scrolling box), whether that is a terminal's input, and
 * whether the focus is in the page at all (not on its body).
 */
export async function focusedControl(page: Page): Promise<{ tag: string | null; terminal: boolean; inPage: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.closest<HTMLElement>('[data-e2e-control]')?.dataset['e2eControl'] ?? null,
      terminal: el?.classList.contains('xterm-helper-textarea') ?? false,
      inPage: el !== null && el !== document.body && el !== document.documentElement,
    };
  });
}

/**
 * Walks the page with the keyboard as a learner would, from its first control: Tab, and inside a
 * terminal the documented way out (Esc, then Tab). Returns the tags of the controls reached, in
 * order, after {@link tagKeyboardControls}. Stops when the focus leaves the page or comes back.
 */
export async function walkWithKeyboard(page: Page, first: string, maxSteps = 400): Promise<string[]> {
  await page.locator(`[data-e2e-control="${first}"]`).first().focus();
  const reached: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    const { tag, terminal, inPage } = await focusedControl(page);
    if (!inPage || (tag !== null && reached.includes(tag))) break;
    if (tag !== null) reached.push(tag);
    if (terminal) await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
  }
  return reached;
}

/**
 * The lowest WCAG contrast ratio between the text colour of the elements matching `selector` and
 * the background they are drawn on (the nearest ancestor background that is not transparent,
 * translucent ones blended over what is below them). Reads computed styles, as a learner sees them.
 */
export async function lowestContrast(page: Page, selector: string): Promise<{ ratio: number; text: string; count: number }> {
  return page.$$eval(selector, (elements) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const [r = 0, g = 0, b = 0, a = 1] = (css.match(/[\d.]+/g) ?? []).map(Number);
      return [r, g, b, css.startsWith('rgba') ? a : 1];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [0, 1, 2].map((i) => (top[i] ?? 0) * a + (below[i] ?? 0) * (1 - a)).concat(1) as Rgba;
    };
    const background = (el: Element | null): Rgba => {
      if (!el) return [255, 255, 255, 1];
      const own = parse(getComputedStyle(el).backgroundColor);
      if (own[3] >= 1) return own;
      const below = background(el.parentElement);
      return own[3] === 0 ? below : over(own, below);
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    let worst = { ratio: Infinity, text: '', count: elements.length };
    for (const el of elements) {
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < worst.ratio) worst = { ratio, text: (el.textContent ?? '').trim().slice(0, 40), count: elements.length };
    }
    return worst;
  });
}
