import { execFile } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/stackContent";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tools/ command the way `npm run` does (node + tsx), from the project root. */
export function runTool(tool: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(PROJECT_ROOT, "tools", tool), ...args],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "", ...env } },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
