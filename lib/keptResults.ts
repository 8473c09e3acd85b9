import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";

/**
 * What the kept-result caches of the compiled tools share (lib/config/validationCache.ts: validated configs;
 * lib/stackContentCache.ts: a stack's validated content): where tools/run.cjs says start-up data lives, the key of
 * a result for the code that made it, and entries written so that a process dying mid-write never leaves half of one.
 */

/** What tools/run.cjs tells the compiled code: where start-up data is kept and the sources' fingerprint. */
export interface StartupCache {
  dir: string;
  sources: string;
  root: string;
}
const STARTUP_CACHE = Symbol.for("wfm-hris.startupCache");

/** Set only in a compiled tool started by tools/run.cjs with its start-up cache on; never under the Pulumi CLI or tests. */
export const startupCache = () => (globalThis as { [STARTUP_CACHE]?: StartupCache })[STARTUP_CACHE];

/**
 * A SHA-256 of `input` and of the code: the sources the compiled tools were built from (tools/build.cjs's
 * fingerprint), the installed packages (npm's lock record) and Node. Any change gives another key.
 */
export function keptKey(cache: StartupCache, input: unknown): string {
  const lock = fs.statSync(path.join(cache.root, "node_modules", ".package-lock.json"), { throwIfNoEntry: false });
  return crypto
    .createHash("sha256")
    .update(JSON.stringify([cache.sources, lock ? [lock.mtimeMs, lock.size] : null, process.version, input]))
    .digest("hex");
}

/** Text that stands for `undefined` in an entry (JSON has none; a key set to undefined stays a key). */
const UNDEFINED = "\u0000undefined";

export const encodeKept = (value: unknown): string => JSON.stringify(value, (_, v) => (v === undefined ? UNDEFINED : v));

/** Puts back the `undefined`s of a parsed entry, in place. */
export function decodeKept(value: unknown): unknown {
  if (value === UNDEFINED) return undefined;
  if (Array.isArray(value)) return value.map(decodeKept);
  if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) (value as Record<string, unknown>)[k] = decodeKept(v);
  return value;
}

/** Whether `value` comes back exactly from its entry (plain data: no class instance, no NaN, ...). */
export const keepsExactly = (value: unknown, text: string): boolean => isDeepStrictEqual(decodeKept(JSON.parse(text)), value);

/** Written aside and renamed. A read-only or full disk costs the next start the work, nothing else. */
export function writeKept(file: string, text: string): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // the next start works it out again
  }
}
