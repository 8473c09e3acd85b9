import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { decodeKept, encodeKept, keepsExactly, keptKey, startupCache, writeKept } from "./keptResults";

/**
 * A stack's validated content (lib/stackContent.ts: data action definitions, auth profile, workflows, all checked)
 * kept for the next start of a compiled tool, as the flow lint results are (lib/flows/lintCache.ts): loading it
 * validates every definition with zod, compiles its contracts and parses its Velocity templates, most of an offline
 * plan's own work, for a result that changes only when a file it read does.
 *
 * An entry is found by a SHA-256 of the stack's validated config, the project root and the code (the sources the
 * compiled tools were built from, the installed packages, Node), like lib/config/validationCache.ts. It lists what
 * the load read, recorded while it ran: every file's content (a SHA-256), every folder's entries, every path whose
 * existence was asked. A start uses it only when all of them are still the same, else loads again and keeps the new
 * result: a changed, added or removed definition, profile or workflow is never missed. Not kept: a load that failed
 * (its errors are always worked out), one that printed anything (a warning must be printed on every run), a result
 * that is not plain data.
 *
 * On only in the compiled tools with their start-up cache on (tools/run.cjs says where: dist/.startup/, emptied when
 * dist/ is rebuilt). `pulumi up`, the tests and the library never use it.
 */

/** What a load depended on: [what, path, answer]. */
type Dependency = ["file" | "dir" | "exists", string, string];

const sha256 = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

/** The answer a dependency has now. */
function answer(kind: Dependency[0], file: string): string {
  try {
    if (kind === "file") return sha256(fs.readFileSync(file));
    if (kind === "dir") return sha256(fs.readdirSync(file, { withFileTypes: true }).map((e) => `${e.name}\t${e.isDirectory() ? "d" : e.isFile() ? "f" : "o"}`).sort().join("\n"));
    return String(fs.existsSync(file));
  } catch {
    return "unreadable";
  }
}

/**
 * Runs `load` with the file system calls it makes recorded (the module loader's reads of code, under node_modules/
 * and dist/, are the code's, already in the key). Returns its result and what it read.
 */
function recording<T>(load: () => T, ignore: string[]): { value: T; deps: Dependency[] } {
  const seen = new Map<string, Dependency>();
  const note = (kind: Dependency[0], file: unknown) => {
    if (typeof file !== "string" && !(file instanceof URL)) return;
    const full = path.resolve(file instanceof URL ? file.pathname : file);
    if (ignore.some((dir) => full.startsWith(dir))) return;
    seen.set(`${kind}\0${full}`, [kind, full, ""]);
  };
  // Node's own fs module, whose functions every module reaches (compiled imports read them through getters).
  const nodeFs = require("node:fs") as typeof fs;
  const patched = nodeFs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = { readFileSync: nodeFs.readFileSync, readdirSync: nodeFs.readdirSync, existsSync: nodeFs.existsSync, statSync: nodeFs.statSync, lstatSync: nodeFs.lstatSync };
  const wrap = (name: keyof typeof originals, kind: Dependency[0]) => {
    const original = originals[name] as (...args: unknown[]) => unknown;
    patched[name] = function (this: unknown, ...args: unknown[]) {
      note(kind, args[0]);
      return original.apply(this, args);
    };
  };
  wrap("readFileSync", "file");
  wrap("readdirSync", "dir");
  wrap("existsSync", "exists");
  wrap("statSync", "exists");
  wrap("lstatSync", "exists");
  let value: T;
  try {
    value = load();
  } finally {
    Object.assign(nodeFs, originals);
  }
  return { value, deps: [...seen.values()].map(([kind, file]) => [kind, file, answer(kind, file)]) };
}

/** Whether anything was written to stdout or stderr while `run` ran. */
function printing<T>(run: () => T): { value: T; printed: boolean } {
  let printed = false;
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  streams.forEach((s, i) => {
    s.write = function (this: unknown, ...args: unknown[]) {
      printed = true;
      return (writes[i] as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof s.write;
  });
  try {
    return { value: run(), printed };
  } finally {
    streams.forEach((s, i) => (s.write = writes[i]));
  }
}

/** `load()`'s result for the stack `config` under `root`, from the cache when it is on and what it read is unchanged. */
export function cachedStackContent<T>(config: unknown, root: string, load: () => T): T {
  const cache = startupCache();
  if (!cache) return load();
  const key = keptKey(cache, [path.resolve(root), config]);
  const file = path.join(cache.dir, "content", `${key}.json`);
  try {
    const kept = JSON.parse(fs.readFileSync(file, "utf8")) as { deps: Dependency[]; value: unknown };
    if (kept.deps.every(([kind, dep, was]) => answer(kind, dep) === was)) return decodeKept(kept.value) as T;
  } catch {
    // not kept yet, or cut short by a process that died mid-write: loaded again
  }
  const ignore = [path.join(cache.root, "node_modules") + path.sep, path.join(cache.root, "dist") + path.sep, path.join(cache.root, ".wfm-hris") + path.sep];
  const { value: loaded, printed } = printing(() => recording(load, ignore));
  const text = encodeKept(loaded.value);
  if (!printed && keepsExactly(loaded.value, text)) writeKept(file, `{"deps":${JSON.stringify(loaded.deps)},"value":${text}}`);
  return loaded.value;
}
