import { execFile } from "node:child_process";
import { scriptCommand } from "../../lib/npmScripts";
import { PROJECT_ROOT } from "../../lib/paths";
import { runInHost, withProcessSlot } from "./processes";

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The working folder (default: the project root, where `npm run` runs a script). */
  cwd?: string;
  /**
   * Run it in a process of its own, through its npm script's command line (`node tools/run.cjs <tool>`), instead of
   * in a tool host (processServer.ts, toolHost.cjs). For what only a process shows: the launcher, the compile step, exit codes as the
   * operating system reports them; test/badInputs.test.ts runs every tool once this way and checks the host agrees.
   */
  process?: boolean;
}

/** The tool an npm script runs (`node tools/run.cjs <tool>`): its command line, and the tool's name. */
export function toolCommand(select: { script: string } | { tool: string }): { command: string[]; tool: string } {
  const command = scriptCommand(select);
  // Node's own options may come first (veza:sync's --max-semi-space-size): a tool host run has the host's instead.
  const launcher = command.indexOf("tools/run.cjs");
  if (launcher < 1 || !command[launcher + 1] || !command.slice(1, launcher).every((o) => o.startsWith("--")))
    throw new Error(`${JSON.stringify(select)}: its npm script does not run a tool through tools/run.cjs`);
  return { command, tool: command[launcher + 1] };
}

/** Runs a command line in a process, from `cwd`, with the given environment; no time limit. */
export function runProcess(command: string[], env: Record<string, string>, cwd = PROJECT_ROOT): Promise<CliResult> {
  const [file, ...args] = command;
  return withProcessSlot(
    () =>
      new Promise((resolve) => {
        execFile(file, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env }, (error, stdout, stderr) =>
          resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      }),
  );
}

/**
 * Runs a tools/ command as `npm run` does (its npm script), from the project root, with this process's environment
 * and `env` on top: in a tool host by default, in a process of its own with `process: true`. No time limit: a slow
 * machine makes it slow, never failed.
 */
export function runTool(tool: string, args: string[], env: Record<string, string> = {}, options: RunOptions = {}): Promise<CliResult> {
  const { command, tool: name } = toolCommand({ tool });
  const fullEnv = definedEnv({ ...process.env, NODE_OPTIONS: "", ...env });
  const cwd = options.cwd ?? PROJECT_ROOT;
  if (options.process) return runProcess([...command, ...args], fullEnv, cwd);
  return runInHost({ tool: name, args, env: fullEnv, cwd });
}

/** An environment without unset entries. */
export function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}
