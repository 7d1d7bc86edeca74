import { defineConfig } from 'vitest/config';

// Unit and integration tests live next to the code (server/**) and in bench-free test folders.
// Playwright's e2e/ is run by its own runner.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'scripts/**/*.test.ts', 'web/**/*.test.ts', 'web/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
