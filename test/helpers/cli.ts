import { execFile } from "node:child_process";
import { scriptCommand } from "../../lib/npmScripts";
import { PROJECT_ROOT } from "../../lib/paths";
import { withProcessSlot } from "./processes";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tools/ command the way `npm run` does (its npm script's command line), from the project root. No time
 * limit: a slow machine makes it slow, never failed.
 */
export function runTool(tool: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const [node, ...command] = scriptCommand({ tool });
  return withProcessSlot(
    () =>
      new Promise((resolve) => {
        execFile(
          node,
          [...command, ...args],
          { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "", ...env } },
          (error, stdout, stderr) => resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
  );
}
