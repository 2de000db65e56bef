import { defineConfig } from 'vitest/config';

// The integration tests spawn real controller processes on a 2-core machine: files run one at a time
// so two quorums never compete for the CPU (elections would flap and timings would lie).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
