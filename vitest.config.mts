import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi keeps runtime state in globals and dynamic providers need forks: one process per file.
    pool: "forks",
    isolate: true,
    // One worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine).
    maxWorkers: availableParallelism(),
    // No wall-clock limits: on a busy machine a test is slower, not failed. A test that hangs is a bug to fix,
    // not something to turn into a flaky failure.
    testTimeout: 0,
    hookTimeout: 0,
    // Compiles dist/ once before the test files start the tools (tools/run.cjs) in parallel.
    globalSetup: ["test/helpers/globalSetup.ts"],
    setupFiles: ["test/helpers/workerSetup.ts"],
  },
});
