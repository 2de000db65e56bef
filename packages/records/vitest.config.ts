import { defineConfig } from 'vitest/config';

// isolate: false: the files a worker runs share one module graph (docs/testing.md, "Unit test settings").
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000, isolate: false },
});
