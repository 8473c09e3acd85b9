import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";
import { RunOrder } from "./test/helpers/runOrder";

/**
 * Test files that set Pulumi's runtime state in the test process (mocks, the resource monitor): Pulumi keeps it in
 * globals, so they run one after the other in a worker of their own, apart from the other files; each installs its
 * own mocks (setMocks) before anything else and puts back what else it changes (process.env). They run first, all in
 * one worker (one load of the SDK, the program and the TypeScript compiler that the Veza providers' serialisation
 * and the component provider's analyzer load), beside the type checks' shared run (test/helpers/runOrder.ts); then
 * the other files, one worker per core. A worker only runs files of one project: with both projects' files in one
 * queue, each switch would start a new worker and load everything again.
 *
 * In both projects a worker runs file after file without reloading modules (isolate: false): what the files import
 * (the Pulumi SDK, zod, the program's modules, ...) is loaded once per worker instead of once per file.
 */
const PULUMI_RUNTIME = ["test/components.test.ts", "test/componentSchema.test.ts", "test/sdk.test.ts", "test/vezaResources.test.ts"];

/** What both projects share. (Not `extends: true`: that would run the global setup once more per project.) */
const common = {
  pool: "forks",
  // No wall-clock limits: on a busy machine a test is slower, not failed. A test that hangs is a bug to fix,
  // not something to turn into a flaky failure.
  testTimeout: 0,
  hookTimeout: 0,
  setupFiles: ["test/helpers/workerSetup.ts"],
} as const;

export default defineConfig({
  test: {
    // One worker per core (vitest's default leaves one core idle: a single worker on a 2-core machine).
    maxWorkers: availableParallelism(),
    // Once per run, in vitest's own process: compiles dist/ before the test files run the tools, and starts the
    // process slot server (test/helpers/processes.ts) that bounds the run's busy child processes by the cores.
    globalSetup: ["test/helpers/globalSetup.ts"],
    sequence: { sequencer: RunOrder },
    projects: [
      { test: { ...common, name: "pulumi-runtime", include: PULUMI_RUNTIME, isolate: false, maxWorkers: 1, sequence: { groupOrder: 0 } } },
      { test: { ...common, name: "shared", include: ["test/**/*.test.ts"], exclude: PULUMI_RUNTIME, isolate: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
