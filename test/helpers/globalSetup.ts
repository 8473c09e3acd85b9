import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import { startNpmStandIn } from "./npmStandIn";
import { startProcessServer } from "./processServer";

/**
 * vitest globalSetup, once per run in vitest's main process: compiles the tools (tools/build.cjs) before test files
 * run them, and starts the process server (processServer.ts): process slots, one per core, and the tool host; and the
 * npm stand-in's server beside it (npmStandIn.ts). Makes the run's flow lint cache folder (workerSetup.ts), removed
 * at the end: nothing a run computes is kept for the next.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  (require("../../tools/build.cjs") as { ensureBuilt: () => void }).ensureBuilt();
  const server = await startProcessServer();
  const npm = await startNpmStandIn(server.run);
  const lintCache = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-lint-cache-"));
  project.provide("processServer", server.address);
  project.provide("npmStandInPort", npm.port);
  project.provide("flowLintCache", lintCache);
  project.provide("runCanary", randomUUID());
  return async () => {
    await npm.close();
    await server.close();
    fs.rmSync(lintCache, { recursive: true, force: true });
  };
}
