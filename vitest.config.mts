import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi keeps runtime state in globals and dynamic providers need forks: one process per file.
    pool: "forks",
    isolate: true,
    testTimeout: 20_000,
  },
});
