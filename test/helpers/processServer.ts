import { ChildProcess, execFile, fork } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

/**
 * The process server, in vitest's main process for the whole run (started by test/helpers/globalSetup.ts, used by
 * every test worker through test/helpers/processes.ts over a local socket). It bounds the run's busy child processes
 * by the cores, and owns the tool hosts:
 *
 *   - a slot: a connection that asked `{"slot": true}` and received one byte; closing it (or its test worker dying)
 *     frees the slot. A test holds one while a process of its own runs (a tool started as npm does, a plan, a step).
 *   - a tool run: `{"run": {tool, args, env, cwd}}`, answered with the run's `{status, stdout, stderr}`. It runs in
 *     the tool host (toolHost.cjs), shared by all the test files, once the host is idle and a slot is free.
 *   - a shared run: `{"shared": [command...]}`, a node script of the project run once per test run, in a process of
 *     its own with a slot, from the project root; every asker gets the same `{status, stdout, stderr}`. For work two
 *     test files need the same answer from (the type checks and the component schema, test/helpers/tscProjects.cjs;
 *     the program under tsx, test/helpers/tsxProgram.ts).
 *
 * Slots are granted first come, first served; nothing is ever killed for taking long.
 */

export const SLOTS = Math.max(1, os.availableParallelism());

/**
 * Tool hosts. A host loads the Pulumi SDK, the program's modules and the tools' libraries once (~3-4 s of CPU), then
 * runs a tool in milliseconds (a plan in ~0.2 s). All the runs of a test run take ~10 s in one host, beside ~100 s
 * of other work: a second host would load everything again for little more parallelism.
 */
const HOSTS = 1;

export interface HostRun {
  /** The tool's file name in tools/ without .ts (plan, vezaSync, ...). */
  tool: string;
  args: string[];
  /** The whole environment of the run (nothing is inherited). */
  env: Record<string, string>;
  cwd: string;
}

/** A shared run's command: node's options, a script of the project and its arguments, run with this Node from the project root. */
export type SharedCommand = string[];

export interface HostAnswer {
  status: number;
  stdout: string;
  stderr: string;
}

const HOST_MAIN = path.join(PROJECT_ROOT, "test/helpers/toolHost.cjs");
const debug = !!process.env.WFM_TEST_HOST_DEBUG;

/** One tool host process; one run at a time. */
class ToolHost {
  private readonly child: ChildProcess;
  private next = 0;
  private pending?: { id: number; resolve: (a: HostAnswer & { left: string[]; cpuMs: number }) => void };
  /** The host's own output (outside runs): shown if it dies during a run. */
  private log = "";
  dead = false;

  constructor() {
    this.child = fork(HOST_MAIN, [], {
      cwd: PROJECT_ROOT,
      // Started as `node tools/run.cjs` is: none of vitest's own node options.
      execArgv: [],
      env: { ...process.env, NODE_OPTIONS: "" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const keep = (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000));
    this.child.stdout!.on("data", keep);
    this.child.stderr!.on("data", keep);
    this.child.on("message", (m: HostAnswer & { id: number; left: string[]; cpuMs: number }) => {
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
      pending?.resolve({ status: code ?? 1, stdout: "", stderr: `the tool host exited (${signal ?? code}) during the run:\n${this.log}`, left: [], cpuMs: 0 });
    });
  }

  get pid() {
    return this.child.pid;
  }

  run(request: HostRun): Promise<HostAnswer & { left: string[]; cpuMs: number }> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.child.send({ id, ...request });
    });
  }

  /** Stops the host; resolves once it has exited (and was reaped: its CPU counts in this process's children). */
  retire(): Promise<void> {
    this.dead = true;
    const exited = this.child.exitCode !== null || this.child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill();
    return exited;
  }
}

export interface ProcessServer {
  /** The socket test workers connect to (a path; vitest provides it to them as `processServer`). */
  address: string;
  /** Runs a tool in the tool host (what a worker's `{"run": ...}` does). */
  run(request: HostRun): Promise<HostAnswer>;
  /** Runs a shared command, once per test run (what a worker's `{"shared": ...}` does). */
  runShared(command: SharedCommand): Promise<HostAnswer>;
  close(): Promise<void>;
}

export async function startProcessServer(limit = SLOTS): Promise<ProcessServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-processes-"));
  const address = path.join(dir, "server.sock");
  let busy = 0;
  const waiting: Array<() => void> = [];
  /** Resolves with the function that frees the slot once one is free. */
  const takeSlot = () =>
    new Promise<() => void>((resolve) => {
      const grant = () => {
        busy++;
        let freed = false;
        resolve(() => {
          if (freed) return;
          freed = true;
          busy--;
          waiting.shift()?.();
        });
      };
      if (busy < limit) grant();
      else waiting.push(grant);
    });

  const idle: ToolHost[] = [];
  const hosts = new Set<ToolHost>();
  const waitingForHost: Array<() => void> = [];
  /** An idle host, or a new one while there are fewer than HOSTS; else waits for one to be given back. */
  async function takeHost(): Promise<ToolHost> {
    for (;;) {
      for (const h of hosts) if (h.dead) hosts.delete(h);
      let host = idle.pop();
      while (host?.dead) host = idle.pop();
      if (host) return host;
      if (hosts.size < HOSTS) {
        host = new ToolHost();
        hosts.add(host);
        return host;
      }
      await new Promise<void>((resolve) => waitingForHost.push(resolve));
    }
  }
  async function runInHost(request: HostRun): Promise<HostAnswer> {
    const host = await takeHost();
    const free = await takeSlot();
    try {
      const started = Date.now();
      const { left, cpuMs, ...answer } = await host.run(request);
      if (debug) console.error(`tool host ${host.pid}: ${Date.now() - started} ms, ${cpuMs} ms CPU: ${request.tool} ${request.args.join(" ")}${left.length ? `; left ${left.join(", ")}: retired` : ""}`);
      // A run that left something open (a server, a socket, a timer) retires its host: no run sees another's.
      if (left.length || host.dead) {
        void host.retire();
        hosts.delete(host);
      } else idle.push(host);
      return answer;
    } finally {
      free();
      waitingForHost.shift()?.();
    }
  }

  const shared = new Map<string, Promise<HostAnswer>>();
  /** Runs a shared command once (a slot held while it runs); later askers get the first run's answer. */
  function runShared(command: SharedCommand): Promise<HostAnswer> {
    const key = JSON.stringify(command);
    let answer = shared.get(key);
    if (!answer) {
      answer = takeSlot().then(
        (free) =>
          new Promise<HostAnswer>((resolve) =>
            execFile(process.execPath, command, { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "" } }, (error, stdout, stderr) => {
              free();
              resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
            }),
          ),
      );
      shared.set(key, answer);
    }
    return answer;
  }

  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    let closed = false;
    socket.on("error", () => socket.destroy());
    socket.once("close", () => (closed = true));
    const onData = (d: Buffer) => {
      chunks.push(d);
      const received = Buffer.concat(chunks);
      const end = received.indexOf("\n");
      if (end < 0) return;
      socket.off("data", onData);
      const request = JSON.parse(received.subarray(0, end).toString("utf8")) as { slot: true } | { run: HostRun } | { shared: SharedCommand };
      if ("slot" in request)
        void takeSlot().then((free) => {
          // Asked, then gone before its turn (its worker ended): the slot goes to the next.
          if (closed) return free();
          socket.once("close", free);
          socket.write("g");
        });
      else if ("shared" in request) void runShared(request.shared).then((answer) => socket.end(JSON.stringify(answer)));
      else void runInHost(request.run).then((answer) => socket.end(JSON.stringify(answer)));
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(address, resolve));
  return {
    address,
    run: runInHost,
    runShared,
    close: async () => {
      await Promise.all([...hosts].map((host) => host.retire()));
      // A shared run still going (its asker's file was cut short) ends on its own: waited for, so it is reaped.
      await Promise.all(shared.values());
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
