import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end files start HTTP servers and BullMQ workers; two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
