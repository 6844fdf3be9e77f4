import { defineConfig } from 'vitest/config';

// `npm run test:live`: the tests that call real vendors; each skips itself when its key is not set.
export default defineConfig({
  test: {
    include: ['test/**/*.live.test.ts'],
    testTimeout: 120_000,
  },
});
