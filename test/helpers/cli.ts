import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The node options of the npm script that runs tools/<tool> (so a test runs a tool exactly as `npm run` does). */
function nodeOptionsFor(tool: string): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const command = Object.values(scripts).find((c) => c.startsWith("node ") && c.endsWith(` tools/${tool}`));
  if (!command) throw new Error(`no npm script runs tools/${tool} with node`);
  return command.split(" ").slice(1, -1);
}

/** Runs a tools/ command the way `npm run` does, from the project root. */
export function runTool(tool: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...nodeOptionsFor(tool), path.join(PROJECT_ROOT, "tools", tool), ...args],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "", ...env } },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
