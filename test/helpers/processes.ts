import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { inject } from "vitest";

/**
 * At most one busy child process per core, across the whole test run: every test file that starts a process (a tool
 * run, a plan, a workflow step, a tool host's run) first takes a slot from the slot server that the global setup
 * starts (startSlotServer), and gives it back when the process is done. On a busy machine a command waits its turn;
 * nothing is ever killed for taking long.
 *
 * A slot is held only around work that takes no slot itself (a step whose commands come back to this process to run
 * a tool must not hold one, or two such steps could wait for each other forever).
 */

declare module "vitest" {
  export interface ProvidedContext {
    /** The slot server's socket (test/helpers/globalSetup.ts). */
    processSlots: string;
  }
}

export const SLOTS = Math.max(1, os.availableParallelism());

/**
 * The server side, in vitest's main process: grants up to `limit` slots, first come first served. A slot is a
 * connection that has received one byte; closing it (or the process holding it dying) frees the slot.
 */
export async function startSlotServer(limit = SLOTS): Promise<{ address: string; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-slots-"));
  const address = path.join(dir, "slots.sock");
  let busy = 0;
  const waiting: net.Socket[] = [];
  const grant = (socket: net.Socket) => {
    busy++;
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      busy--;
      const next = waiting.shift();
      if (next) grant(next);
    };
    socket.once("close", free);
    socket.write("g");
  };
  const server = net.createServer((socket) => {
    socket.on("error", () => socket.destroy());
    if (busy < limit) return grant(socket);
    waiting.push(socket);
    socket.once("close", () => {
      const i = waiting.indexOf(socket);
      if (i >= 0) waiting.splice(i, 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(address, resolve));
  return {
    address,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        }),
      ),
  };
}

/** A slot from the server; resolves once granted. */
function takeSlot(address: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    socket.once("data", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Without the slot server (a helper used outside this vitest config): a limit per process. */
let running = 0;
const queued: Array<() => void> = [];
async function withLocalSlot<T>(start: () => Promise<T>): Promise<T> {
  if (running >= SLOTS) await new Promise<void>((resolve) => queued.push(resolve));
  else running++;
  try {
    return await start();
  } finally {
    const next = queued.shift();
    if (next) next();
    else running--;
  }
}

export async function withProcessSlot<T>(start: () => Promise<T>): Promise<T> {
  const address = inject("processSlots");
  if (!address) return withLocalSlot(start);
  const slot = await takeSlot(address);
  try {
    return await start();
  } finally {
    slot.destroy();
  }
}
