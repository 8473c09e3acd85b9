import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "./paths";

/**
 * The command line of an npm script that runs node (`node <options> tools/x.ts`), with this node, without npm's own
 * start-up: benchmarks and tests run the tools exactly as `npm run` does.
 */
export function scriptCommand(select: { script: string } | { tool: string }): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  // A tool runs compiled, through the launcher: `node tools/run.cjs <tool>` (tools/run.cjs).
  const launched = "tool" in select ? ` tools/run.cjs ${select.tool.replace(/\.ts$/, "")}` : "";
  const command = "script" in select ? scripts[select.script] : Object.values(scripts).find((c) => c.startsWith("node ") && c.endsWith(launched));
  const described = "script" in select ? `npm script ${select.script}` : `an npm script running tools/${select.tool}`;
  if (!command?.startsWith("node ")) throw new Error(`${described} does not exist or does not start with node`);
  return [process.execPath, ...command.split(" ").slice(1)];
}
