import { execFile } from "node:child_process";
import { scriptCommand } from "../../lib/npmScripts";
import { PROJECT_ROOT } from "../../lib/paths";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a tools/ command the way `npm run` does (its npm script's node options), from the project root. */
export function runTool(tool: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [node, ...command] = scriptCommand({ tool });
  return new Promise((resolve) => {
    execFile(
      node,
      [...command, ...args],
      { cwd: PROJECT_ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, NODE_OPTIONS: "", ...env } },
      (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
