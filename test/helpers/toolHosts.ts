import { ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { withProcessSlot } from "./processes";

/**
 * Runs tools in tool hosts (toolHost.cjs): long-lived processes that each run one tool at a time in-process, as its
 * own process would, for a few milliseconds of CPU instead of a process start. Hosts are started when needed (at most
 * one per slot this test worker holds) and kept for the next runs of this worker, test files included when vitest
 * runs several in one worker. A host whose run left something open is retired, so every run starts clean.
 */

export interface HostRun {
  /** The tool's file name in tools/ without .ts (plan, vezaSync, ...). */
  tool: string;
  args: string[];
  /** The whole environment of the run (nothing is inherited). */
  env: Record<string, string>;
  cwd: string;
}

export interface HostAnswer {
  status: number;
  stdout: string;
  stderr: string;
}

const HOST_MAIN = path.join(PROJECT_ROOT, "test/helpers/toolHost.cjs");

class ToolHost {
  private readonly child: ChildProcess;
  private next = 0;
  private pending?: { id: number; resolve: (a: HostAnswer & { left: string[] }) => void };
  /** The host's own output (outside runs): shown if it dies. */
  private log = "";
  dead = false;

  constructor() {
    this.child = fork(HOST_MAIN, [], {
      cwd: PROJECT_ROOT,
      // Started as `node tools/run.cjs` is: none of the vitest worker's node options.
      execArgv: [],
      env: { ...process.env, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const keep = (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000));
    this.child.stdout!.on("data", keep);
    this.child.stderr!.on("data", keep);
    this.child.on("message", (m: HostAnswer & { id: number; left: string[] }) => {
      if (this.pending?.id !== m.id) return;
      const { resolve } = this.pending;
      this.pending = undefined;
      const { id: _, ...answer } = m;
      resolve(answer);
    });
    this.child.on("exit", (code, signal) => {
      this.dead = true;
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve({ status: code ?? 1, stdout: "", stderr: `the tool host exited (${signal ?? code}) during the run:\n${this.log}`, left: [] });
    });
    // Idle hosts do not keep the worker alive.
    this.child.unref();
    (this.child.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
    for (const stream of [this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
  }

  run(request: HostRun): Promise<HostAnswer & { left: string[] }> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.child.send({ id, ...request });
    });
  }

  get pid() {
    return this.child.pid;
  }

  retire(): void {
    this.dead = true;
    this.child.kill();
  }
}

const idle: ToolHost[] = [];

/** Runs a tool in a host, holding a process slot while it runs. */
export function runInHost(request: HostRun): Promise<HostAnswer> {
  return withProcessSlot(async () => {
    let host = idle.pop();
    while (host?.dead) host = idle.pop();
    host ??= new ToolHost();
    const started = Date.now();
    const { left, ...answer } = await host.run(request);
    if (process.env.WFM_TEST_HOST_DEBUG) console.error(`tool host ${host.pid} ${Date.now() - started} ms ${request.tool} ${request.args.join(" ")}: left ${left.join(", ") || "nothing"}`);
    if (left.length || host.dead) host.retire();
    else idle.push(host);
    return answer;
  });
}
