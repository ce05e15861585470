// @ts-check
import { defineConfig, fontProviders } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import pagefind from 'astro-pagefind';
import serviceWorker from './src/build/service-worker.mjs';
import releaseArchive from './src/build/release-archive.ts';

/** A font file of a self-hosted @fontsource-variable package (latin subset: all the course's text). */
const fontFile = (/** @type {string} */ pkg, /** @type {string} */ slug) =>
  `@fontsource-variable/${pkg}/files/${slug}-latin-wght-normal.woff2`;
/** The latin subset's unicode-range, as in the packages' CSS. */
const LATIN =
  'U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD';

// Indonesian is the default locale and lives at `/`; English at `/en/`.
// Lesson and glossary paths are translated per language (see src/i18n/routes.ts),
// so Astro's i18n config only declares the locales.
export default defineConfig({
  // Where the site is published: absolute URLs (hreflang alternates) are built from it. A school
  // LAN server under another address builds with SITE_URL=http://that-host/ npm run build.
  site: process.env['SITE_URL'] || 'http://127.0.0.1:4321',
  trailingSlash: 'always',
  build: { format: 'directory' },
  i18n: {
    defaultLocale: 'id',
    locales: ['id', 'en'],
    routing: { prefixDefaultLocale: false },
  },
  server: { host: '127.0.0.1' },
  markdown: {
    // Code follows the site theme; both palettes keep AA contrast on our code background.
    shikiConfig: { themes: { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' }, defaultColor: false },
  },
  integrations: [mdx(), svelte(), pagefind(), releaseArchive(), serviceWorker()],
  // Self-hosted from the npm packages (no font CDN). Astro adds fallback faces of local system
  // fonts with the web font's metrics (size-adjust, ascent/descent overrides), so text does not
  // move when the web font arrives; global.css adds the same for Linux's DejaVu fonts.
  fonts: [
    {
      provider: fontProviders.local(),
      name: 'Plus Jakarta Sans',
      cssVariable: '--font-text',
      fallbacks: ['Plus Jakarta Sans fallback DejaVu', 'system-ui'],
      options: {
        variants: [
          {
            src: [fontFile('plus-jakarta-sans', 'plus-jakarta-sans')],
            weight: '200 800',
            style: 'normal',
            unicodeRange: [LATIN],
          },
        ],
      },
    },
    {
      provider: fontProviders.local(),
      name: 'JetBrains Mono',
      cssVariable: '--font-code',
      fallbacks: ['JetBrains Mono fallback DejaVu', 'monospace'],
      options: {
        variants: [
          { src: [fontFile('jetbrains-mono', 'jetbrains-mono')], weight: '100 800', style: 'normal', unicodeRange: [LATIN] },
        ],
      },
    },
  ],
  devToolbar: { enabled: false },
  vite: {
    // The browser PC's emulator runs in a module worker that loads v86 as its own chunk.
    worker: { format: 'es' },
    build: {
      rollupOptions: {
        // Astro's own MDX head-injection directive triggers this bundler notice on every
        // lesson; it is expected and harmless, and would drown real warnings.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
        },
      },
    },
  },
});
