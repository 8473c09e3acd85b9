import { parseArgs, ParseArgsConfig } from "node:util";

/** Thrown for a command line that does not parse; the runner prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** node:util's parseArgs, strict, turning its errors into UsageError. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ strict: true, ...config } as T);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/**
 * Runs a command's main function and exits with its code: 2 with the usage for a UsageError, 1 for anything else
 * (the message alone when `isExpected` says the user can act on it, with the stack trace otherwise).
 */
export function runCommand(name: string, usage: string, main: () => Promise<number>, isExpected: (e: unknown) => boolean = () => false): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof UsageError) {
        process.stderr.write(`${e.message}\n${usage}\n`);
        process.exit(2);
      }
      process.stderr.write(isExpected(e) ? `${(e as Error).message}\n` : `${name} failed: ${(e as Error)?.stack ?? e}\n`);
      process.exit(1);
    },
  );
}
