import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { inject } from "vitest";
import { PROJECT_ROOT } from "../../lib/paths";
import type { HostAnswer, HostRun, SharedCommand } from "./processServer";

/**
 * A test worker's side of the process server (processServer.ts, in vitest's main process): process slots, at most one
 * busy child process per core across the whole run, and tool runs in the shared tool hosts. On a busy machine a
 * command waits its turn; nothing is ever killed for taking long.
 *
 * A slot is held only around work that takes no slot itself (a step whose commands come back to this server to run
 * a tool must not hold one, or two such steps could wait for each other forever).
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** The process server's socket (test/helpers/globalSetup.ts). */
    processServer: string;
    /** The npm stand-in server's port on 127.0.0.1 (npmStandIn.ts). */
    npmStandInPort: number;
    /** The run's flow lint cache folder (workerSetup.ts), made and removed by test/helpers/globalSetup.ts. */
    flowLintCache: string;
    /** A random value of this run, for canaries that test files asking for the same shared run agree on (tsxProgram.ts). */
    runCanary: string;
  }
}

function serverAddress(): string {
  const address = inject("processServer");
  if (!address) throw new Error("no process server: run the tests with vitest and vitest.config.mts (its globalSetup starts it)");
  return address;
}

function connect(request: object): net.Socket {
  const socket = net.connect(serverAddress());
  socket.write(`${JSON.stringify(request)}\n`);
  return socket;
}

/** Runs `start` (which starts a process and resolves when it is done) once a slot is free. */
export async function withProcessSlot<T>(start: () => Promise<T>): Promise<T> {
  const slot = connect({ slot: true });
  await new Promise<void>((resolve, reject) => {
    slot.once("data", () => resolve());
    slot.once("error", reject);
  });
  try {
    return await start();
  } finally {
    slot.destroy();
  }
}

/** Runs a tool in a tool host (toolHost.cjs), as its own process would run it; waits for a slot first. */
export function runInHost(run: HostRun): Promise<HostAnswer> {
  return ask({ run });
}

/**
 * `node <command...>` from the project root, run once for the whole test run by the process server: every test file
 * asking for the same command gets the same answer (stdout, stderr, exit status).
 */
export function runShared(command: SharedCommand): Promise<HostAnswer> {
  return ask({ shared: command });
}

function ask(request: object): Promise<HostAnswer> {
  const socket = connect(request);
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    socket.on("data", (d: Buffer) => chunks.push(d));
    socket.once("error", reject);
    socket.once("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as HostAnswer));
  });
}

let standInBin: string | undefined;
/**
 * The environment variables that make `npm` in a shell step the npm stand-in (npmStandIn.sh): its tool scripts run in
 * the tool host. Such a step must not hold a slot: its tools take theirs.
 */
export function npmStandInEnv(): Record<string, string> {
  if (!standInBin) {
    standInBin = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-npm-"));
    fs.symlinkSync(path.join(PROJECT_ROOT, "test/helpers/npmStandIn.sh"), path.join(standInBin, "npm"));
  }
  return { PATH: `${standInBin}${path.delimiter}${process.env.PATH ?? ""}`, WFM_TEST_NPM_PORT: String(inject("npmStandInPort")) };
}
