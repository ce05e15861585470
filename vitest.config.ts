import { defineConfig } from 'vitest/config';

// Tiers (see test/README.md): `unit` is fast and pure; `e2e` drives Debian Chromium
// against the built site and needs `npm run build` first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One browser and one server for the whole tier; files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
