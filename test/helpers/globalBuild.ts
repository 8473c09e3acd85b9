import { createRequire } from "node:module";

/** vitest globalSetup: compile the tools once (tools/build.cjs) before test files run them through tools/run.cjs. */
export default function setup(): void {
  const require = createRequire(import.meta.url);
  (require("../../tools/build.cjs") as { ensureBuilt: () => void }).ensureBuilt();
}
