import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";
import { startSlotServer } from "./processes";

/**
 * vitest globalSetup, once per run in vitest's main process: compiles the tools (tools/build.cjs) before test files
 * run them, and starts the slot server that bounds the run's busy child processes by the cores (processes.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const require = createRequire(import.meta.url);
  (require("../../tools/build.cjs") as { ensureBuilt: () => void }).ensureBuilt();
  const slots = await startSlotServer();
  project.provide("processSlots", slots.address);
  return slots.close;
}
