// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import pagefind from 'astro-pagefind';
import serviceWorker from './src/integrations/service-worker.mjs';

// Indonesian is the default locale and lives at `/`; English at `/en/`.
// Lesson and glossary paths are translated per language (see src/i18n/routes.ts),
// so Astro's i18n config only declares the locales.
export default defineConfig({
  site: 'http://127.0.0.1:4321',
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
  integrations: [mdx(), svelte(), pagefind(), serviceWorker()],
  devToolbar: { enabled: false },
  vite: {
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
