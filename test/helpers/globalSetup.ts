import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";
import { startNpmStandIn } from "./npmStandIn";
import { startProcessServer } from "./processServer";

/**
 * vitest globalSetup, once per run in vitest's main process: compiles the tools (tools/build.cjs) before test files
 * run them, and starts the process server (processServer.ts): process slots, one per core, and the tool host; and the
 * npm stand-in's server beside it (npmStandIn.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  (require("../../tools/build.cjs") as { ensureBuilt: () => void }).ensureBuilt();
  const server = await startProcessServer();
  const npm = await startNpmStandIn(server.run);
  project.provide("processServer", server.address);
  project.provide("npmStandInPort", npm.port);
  return async () => {
    await npm.close();
    await server.close();
  };
}
