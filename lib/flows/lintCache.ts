import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A cache of flow lint results, like `eslint --cache`: parsing the five workflows (120 KB of YAML) is most of an
 * offline plan's own work, and their results only change when something they depend on changes. An entry is found
 * by a SHA-256 of everything the result depends on: the lint's input as given (the flow's text, substitutions,
 * called actions' contracts, ...) and the lint's code (every module under lib/flows, the YAML parser's version and
 * Node's). Any change gives another key, so a stale result is never found; the entry holds the result exactly as
 * the lint returned it (issues in order, every field), so a hit reports what a run without the cache reports.
 *
 * Off unless a tool turns it on (the offline plan does, under .wfm-hris/cache/, git-ignored): a program run by the
 * Pulumi CLI, and the package used as a library, never write it.
 */

let cacheDir: string | undefined;
let maxEntries = 0;
/** Entries in the cache folder as this process last counted them (counted on its first write). */
let entryCount: number | undefined;

/**
 * Turns the cache on in `dir` (created on first write), or off (undefined). At most `limit` entries are kept (~4 KB
 * each; a fleet of 1,000 stacks needs 5,000): past it, the least recently used go until a fifth is free.
 */
export function useLintCache(dir: string | undefined, limit = 5000): void {
  cacheDir = dir;
  maxEntries = limit;
  entryCount = undefined;
}

/** Where the offline plan keeps its lint cache, under a project root. */
export const lintCacheDir = (root: string) => path.join(root, ".wfm-hris", "cache", "flow-lint");

/** Files whose text is part of the lint's code: this folder's modules, compiled or not (archy/ included). */
function codeFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...codeFiles(full));
    else if (/\.(ts|js|json)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** The package.json of an installed package, found from its entry point (its `exports` may not list package.json). */
function packageVersion(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === name) return `${name}@${pkg.version}`;
    }
  }
  return `${name}@unknown`;
}

/** A hash of the lint's code as it runs: the modules of `dir` (lib/flows by default), the YAML parser and Node. */
export function lintCodeVersion(dir = __dirname): string {
  const hash = crypto.createHash("sha256");
  hash.update(`${process.version}\n${packageVersion("yaml")}\n`);
  for (const file of codeFiles(dir)) hash.update(`${path.relative(dir, file)}\n`).update(fs.readFileSync(file)).update("\n");
  return hash.digest("hex");
}

let version: string | undefined;

/** JSON of a value with Maps as their entries, so a Map input (the called actions) is part of the key. */
const keyText = (value: unknown) => JSON.stringify(value, (_, v) => (v instanceof Map ? { map: [...v.entries()] } : v));

/** The cache key of one lint: what it lints, its input and the lint's code. */
export function lintCacheKey(kind: string, input: unknown, code = (version ??= lintCodeVersion())): string {
  return crypto.createHash("sha256").update(`${kind}\n${code}\n${keyText(input)}`).digest("hex");
}

function read(file: string): unknown {
  try {
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    // Marked as used, so that pruning keeps it.
    const now = new Date();
    fs.utimesSync(file, now, now);
    return value;
  } catch {
    return undefined; // missing, or cut short by a process that died mid-write: computed again
  }
}

const listEntries = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".json"));

function write(dir: string, file: string, value: unknown): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
    // Written aside and renamed: processes planning together never read half an entry.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(value));
    fs.renameSync(tmp, file);
    entryCount = (entryCount ?? listEntries(dir).length) + 1;
    if (entryCount > maxEntries) entryCount = prune(dir, Math.floor(maxEntries * 0.8));
  } catch {
    // A read-only or full disk costs the next run the lint, nothing else.
  }
}

/** Removes the least recently used entries until `keep` are left; returns how many are left. */
function prune(dir: string, keep: number): number {
  const byUse = listEntries(dir)
    .map((f) => ({ f, mtimeMs: fs.statSync(path.join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { f } of byUse.slice(0, Math.max(0, byUse.length - keep))) fs.rmSync(path.join(dir, f), { force: true });
  return Math.min(keep, byUse.length);
}

/**
 * `lint()`'s result for `input`, from the cache when it is on and holds it. `restore` rebuilds the result from its
 * JSON exactly as `lint()` returns it (the JSON drops keys whose value is undefined).
 */
export function cachedLint<T>(kind: string, input: unknown, lint: () => T, restore: (json: unknown) => T): T {
  const dir = cacheDir;
  if (!dir) return lint();
  const file = path.join(dir, `${lintCacheKey(kind, input)}.json`);
  const hit = read(file);
  if (hit !== undefined) return restore(hit);
  const result = lint();
  write(dir, file, result);
  return result;
}
