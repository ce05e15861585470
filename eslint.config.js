// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import { boundaries } from './eslint.boundaries.js';

export default defineConfig(
  { ignores: ['dist/', '.astro/', 'node_modules/', '.tooling/', '.cache/', 'content/**/*.mdx', 'labs/**/*.mdx'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte', '.astro'],
      },
    },
  },
  ...astro.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // Astro frontmatter is type-checked by `astro check`; type-aware lint rules do not see its types.
    files: ['**/*.astro'],
    ...tseslint.configs.disableTypeChecked,
  },
  ...boundaries,
  {
    // The simulation models are pure: no browser or Node globals.
    files: ['src/sim/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process'],
    },
  },
  {
    // typescript-eslint cannot see the types of .astro modules (only Astro's language server can).
    files: ['src/features/course/mdx/index.ts', 'src/features/labs/mdx/index.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
);
