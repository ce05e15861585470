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
          // Boots the real guest image in v86 under Node (needs `npm run guest:build`).
          name: 'guest',
          include: ['test/guest/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // v86 with its JIT keeps about two cores busy: one machine at a time.
          fileParallelism: false,
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
          // Tests marked concurrent (pages.test.ts) run two at a time: one per core.
          maxConcurrency: 2,
        },
      },
      {
        test: {
          // Real bridge processes and real QEMU (see test/integration/kvm-bridge/). Files run one
          // after another: each boots guests, and two cores are shared with the guests' TCG.
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
