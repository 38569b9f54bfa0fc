import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["__tests__/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // The fault suite runs many bundles that mostly wait on backoff.
    maxConcurrency: 10,
    reporters: ["default"],
  },
});
