import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";
import { startProcessServer } from "./processServer";

/**
 * vitest globalSetup, once per run in vitest's main process: compiles the tools (tools/build.cjs) before test files
 * run them, and starts the process server (processServer.ts): process slots, one per core, and the tool hosts.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  (require("../../tools/build.cjs") as { ensureBuilt: () => void }).ensureBuilt();
  const server = await startProcessServer();
  project.provide("processServer", server.address);
  return server.close;
}
