import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { urlProblem } from "../lib/config/fields";

/** Thrown for a command line that does not parse; the runner prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** Thrown for a failure the user can act on, with the message alone (exit 1): a file that cannot be written, a port in use. */
export class ToolError extends Error {}

const HELP = new Set(["--help", "-h"]);
/** `--help`/`-h` before any `--` (what follows `--` is positional). */
export const wantsHelp = (argv: readonly string[] = process.argv.slice(2)) => {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => HELP.has(a));
};

/**
 * npm takes options written before `--` (`npm run plan --stack=globex-prod`) as its own config, exports them as
 * npm_config_<name> and does not pass them on: the tool would silently run with its defaults (the dev stack). An
 * option the tool knows, absent from its command line but present as npm config, is that mistake.
 */
function npmSwallowed(options: Record<string, unknown>, argv: readonly string[]): string | undefined {
  const script = process.env.npm_lifecycle_event;
  for (const name of Object.keys(options)) {
    const value = process.env[`npm_config_${name.replace(/-/g, "_")}`];
    if (value === undefined || value === "") continue;
    if (argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))) continue;
    const shown = value === "true" ? `--${name}` : `--${name}=${value}`;
    return (
      `npm took ${shown} as its own setting (npm_config_${name.replace(/-/g, "_")}) and did not pass it to the tool` +
      `${value === "true" ? " (a value after it became a positional argument)" : ""}: put -- before the tool's options, e.g. npm run ${script ?? "<script>"} -- --${name}${value === "true" ? " <value>" : ` ${value}`}`
    );
  }
  return undefined;
}

/** node:util's parseArgs, strict, turning its errors (and options npm kept for itself) into UsageError. */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  const argv = config.args ?? process.argv.slice(2);
  const swallowed = npmSwallowed(config.options ?? {}, argv);
  if (swallowed) throw new UsageError(swallowed);
  let parsed: { values: unknown; positionals: string[]; tokens?: { kind: string; name?: string }[] };
  try {
    parsed = parseArgs({ strict: true, ...config, tokens: true } as T) as typeof parsed;
  } catch (e) {
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  // parseArgs keeps the last of a value option given twice (`--stack dev --stack prod` plans prod): which one was
  // meant cannot be known, so it is refused. The values are not echoed: a URL option may hold a credential.
  const given = new Map<string, number>();
  for (const t of parsed.tokens ?? []) {
    const spec = t.kind === "option" && t.name ? config.options?.[t.name] : undefined;
    if (spec?.type === "string" && !spec.multiple) given.set(t.name!, (given.get(t.name!) ?? 0) + 1);
  }
  for (const [name, count] of given)
    if (count > 1) throw new UsageError(`--${name} is given ${count} times: give it once (the tool would silently take the last)`);
  return { values: parsed.values, positionals: parsed.positionals } as ReturnType<typeof parseArgs<T>>;
}

/** Prints the usage and exits 0 when the command line asks for help; call before anything else. */
export function exitOnHelp(usage: string): void {
  if (!wantsHelp()) return;
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

/** A whole number within bounds, or a UsageError naming the flag. */
export function intOption(flag: string, value: string, min: number, max: number, example: string): number {
  const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${value}: expected a whole number from ${min} to ${max}, e.g. ${flag} ${example}`);
  return n;
}

/** A TCP port for a fake to listen on (0: any free port). */
export const portOption = (value: string) => intOption("--port", value, 0, 65535, "8089");

/** A positive number of seconds, as milliseconds. */
export function secondsOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN;
  if (!(n > 0) || n > 3600) throw new UsageError(`${flag} ${value}: expected a number of seconds from 0 to 3600, e.g. ${flag} 30`);
  return n * 1000;
}

/**
 * A URL flag (`--hris-url`, `--veza-url`, `--api-url`): the rules of the config's URLs (https, plain http only for
 * loopback test servers; no user:password, query or fragment). The value itself is never echoed: it may hold a
 * credential.
 */
export function urlOption(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const problem = urlProblem(value);
  if (problem) throw new UsageError(`${flag}: the URL ${problem}; give an origin such as ${flag} https://api.example.com (or http://127.0.0.1:PORT for a local fake)`);
  return value.replace(/\/+$/, "");
}

/** A file the tool reads: it must exist and be a file. */
export function inputFile(flag: string, file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${flag} ${file}: no such file; check the path (relative paths start at ${process.cwd()})`);
  }
  if (!stat.isFile()) throw new UsageError(`${flag} ${file}: is a ${stat.isDirectory() ? "folder" : "special file"}, not a file; name the file inside it`);
  return file;
}

/** A folder the tool reads (a project root): it must exist and be a folder. */
export function inputFolder(flag: string, dir: string): string {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (!stat?.isDirectory())
    throw new UsageError(`${flag} ${dir}: ${stat ? "is a file, not a folder" : "no such folder"}; name an existing folder (relative paths start at ${process.cwd()})`);
  return dir;
}

/** A folder the tool writes into, created when missing: it must be a folder, or creatable under an existing folder. */
export function outputFolder(flag: string, dir: string): string {
  let at = path.resolve(dir);
  while (!fs.existsSync(at) && path.dirname(at) !== at) at = path.dirname(at);
  if (!fs.statSync(at).isDirectory())
    throw new UsageError(`${flag} ${dir}: ${at === path.resolve(dir) ? "is a file, not a folder" : `${at} is a file, so the folder cannot be created`}; name a folder, e.g. ${flag} .plans`);
  return dir;
}

/** A file the tool writes: its folder must exist and it must not be a folder. */
export function outputFile(flag: string, file: string): string {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist; create it first or write the file elsewhere`);
  if (!fs.statSync(dir).isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is a file, not a folder; write the file elsewhere`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`${flag} ${file}: is a folder; name a file, e.g. ${flag} ${path.join(file, "out.json")}`);
  return file;
}

/** Writes a file a flag names, as a ToolError (no stack trace) when the system refuses. */
export function writeOutput(flag: string, file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new ToolError(`${flag} ${file}: could not write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path and its permissions`);
  }
}

/**
 * The stack a tool works on: `--stack`, else the name in a `--stack-file` called Pulumi.<stack>.yaml, else dev. A
 * stack file with another name needs `--stack`, so it is never taken for dev.
 */
export function stackChoice(values: { stack?: string; "stack-file"?: string }): { stack: string; stackFile?: string } {
  const stackFile = values["stack-file"] === undefined ? undefined : inputFile("--stack-file", values["stack-file"]);
  if (values.stack !== undefined) {
    if (!/^[\w.-]+$/.test(values.stack)) throw new UsageError(`--stack ${JSON.stringify(values.stack)}: a stack name has only letters, digits, '.', '-' and '_', e.g. --stack dev`);
    return { stack: values.stack, stackFile };
  }
  if (stackFile === undefined) return { stack: "dev" };
  const named = /^Pulumi\.(.+)\.ya?ml$/.exec(path.basename(stackFile))?.[1];
  if (!named) throw new UsageError(`--stack-file ${stackFile}: its name does not say the stack (Pulumi.<stack>.yaml); add --stack <name>`);
  return { stack: named, stackFile };
}

/** Node's own errors (a file, a socket) as one line naming what failed; undefined for others. */
function systemErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  if (!(e instanceof Error) || typeof err.code !== "string") return undefined;
  if (err.code === "EADDRINUSE") return `port ${err.port} is already in use: stop what listens there or pick another with --port (0 picks a free one)`;
  if (err.code === "EACCES" && err.port !== undefined) return `port ${err.port} needs privileges: pick a port above 1023 with --port`;
  if (err.path) return `${err.path}: ${err.code === "ENOENT" ? "does not exist" : err.code === "EISDIR" ? "is a folder, not a file" : err.code === "ENOTDIR" ? "a part of the path is not a folder" : err.code}; check the path`;
  return undefined;
}

/**
 * Runs a command's main function and exits with its code: 0 with the usage for `--help`, 2 with the usage for a
 * UsageError, 1 for anything else. Never a stack trace (set WFM_HRIS_DEBUG=1 to see one for an unexpected error):
 * the message alone when `isExpected` says the user can act on it, "<name> failed: <message>" otherwise.
 */
export function runCommand(name: string, usage: string, main: () => Promise<number>, isExpected: (e: unknown) => boolean = () => false): void {
  exitOnHelp(usage);
  const fail = (e: unknown): never => {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${usage}\n`);
      process.exit(2);
    }
    const system = systemErrorLine(e);
    if (e instanceof ToolError || isExpected(e)) process.stderr.write(`${(e as Error).message}\n`);
    else if (system) process.stderr.write(`${name} failed: ${system}\n`);
    else {
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`${name} failed: ${message}\n`);
      if (process.env.WFM_HRIS_DEBUG) process.stderr.write(`${(e as Error)?.stack ?? ""}\n`);
      else process.stderr.write("(an unexpected error: run again with WFM_HRIS_DEBUG=1 for details and report it)\n");
    }
    process.exit(1);
  };
  process.on("uncaughtException", fail);
  process.on("unhandledRejection", fail);
  let running: Promise<number>;
  try {
    running = main();
  } catch (e) {
    fail(e);
  }
  running!.then((code) => process.exit(code), fail);
}

/** Runs until SIGINT or SIGTERM, then stops the server: the main of a tool that starts a fake. */
export function serveUntilStopped(server: { stop(): Promise<void> }): Promise<number> {
  return new Promise((resolve) => {
    const stop = () => void server.stop().then(() => resolve(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
