import * as os from "node:os";

/**
 * At most as many child processes at once as there are cores, per test file: a test file that starts many (plan,
 * action, workflow steps) queues them instead of sharing the CPUs among all of them at once, which only makes each
 * one slower. Nothing is ever killed for taking long: on a busy machine a command just waits its turn.
 */
const LIMIT = Math.max(1, os.availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

export async function withProcessSlot<T>(start: () => Promise<T>): Promise<T> {
  if (running >= LIMIT) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await start();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
