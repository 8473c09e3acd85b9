/**
 * Compiles the program and the tools to dist/ (the same tree, CommonJS JavaScript), so a command starts without
 * transpiling TypeScript at every start (tsx costs ~0.5-1 s of start-up per process).
 *
 *   npm run build                 compile now
 *   require("./build.cjs").ensureBuilt()   compile only when a source changed since the last build (tools/run.cjs)
 *
 * esbuild strips types file by file, with tsconfig.json's options, exactly as tsx does when it runs the sources:
 * the compiled code behaves the same. `npm run typecheck` type-checks the sources separately.
 * Plain JavaScript, so it runs before anything is compiled.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const DIST = path.join(ROOT, "dist");
const STAMP = path.join(DIST, ".sources");
/** What is compiled: the Pulumi program, its components, HRIS adapters and libraries, the tools, the policy pack and the fakes
 * that tools/fake*.ts and the bench serve. */
const SOURCES = ["index.ts", "components", "hris", "lib", "tools", "policy", "test/fakes"];
/** Files the compiled code reads next to itself (JSON imports, worker scripts): copied as they are. */
const ASSETS = /^(?!tools[\\/]).*\.(json|cjs)$/;

const isSource = (rel) => (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) || ASSETS.test(rel);

/** Every source with its time and size. Runs at every start: a folder's entries come with their type, so only the
 * sources (and symbolic links, followed) are stat'ed. */
function listSources() {
  const files = [];
  // Paths joined by hand: the names come from readdir (no separators, nothing to normalise), and path.join's
  // normalising was a third of this listing's cost.
  const visit = (rel, name) => {
    const stat = fs.statSync(ROOT + path.sep + rel, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (name !== "node_modules") walk(rel);
    } else if (stat?.isFile() && isSource(rel)) files.push({ rel, mtimeMs: stat.mtimeMs, size: stat.size });
  };
  const walk = (dir) => {
    const entries = fs.readdirSync(ROOT + path.sep + dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dir + path.sep + e.name;
      if (e.isDirectory()) {
        if (e.name !== "node_modules") walk(rel);
      } else if (e.isSymbolicLink() || (e.isFile() && isSource(rel))) visit(rel, e.name);
    }
  };
  for (const s of SOURCES) visit(s, s);
  return files;
}

/** esbuild's version, read from its package.json where npm puts it (resolving it through Node costs more). */
function esbuildVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "esbuild", "package.json"), "utf8")).version;
  } catch {
    return require("esbuild/package.json").version; // hoisted elsewhere (the package installed as a dependency)
  }
}

/** What the last build was made from: every source's path, time and size, this script's and esbuild's version. */
function fingerprint(files) {
  const self = fs.statSync(__filename);
  const lines = files.map((f) => `${f.rel}\t${f.mtimeMs}\t${f.size}`);
  return [`build.cjs\t${self.mtimeMs}\t${self.size}`, `esbuild\t${esbuildVersion()}`, ...lines].join("\n") + "\n";
}

function isFresh(stamp) {
  try {
    return fs.readFileSync(STAMP, "utf8") === stamp;
  } catch {
    return false;
  }
}

/** Compiles every source into a fresh dist/ and records the fingerprint last (a build cut short is never taken as done). */
function build(files = listSources(), stamp = fingerprint(files)) {
  const esbuild = require("esbuild");
  fs.rmSync(DIST, { recursive: true, force: true });
  const entryPoints = files.filter((f) => f.rel.endsWith(".ts")).map((f) => path.join(ROOT, f.rel));
  esbuild.buildSync({
    entryPoints,
    outdir: DIST,
    outbase: ROOT,
    format: "cjs",
    platform: "node",
    target: "node20",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    sourcemap: "linked",
    logLevel: "error",
  });
  for (const f of files.filter((f) => ASSETS.test(f.rel))) {
    fs.mkdirSync(path.dirname(path.join(DIST, f.rel)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, f.rel), path.join(DIST, f.rel));
  }
  fs.writeFileSync(STAMP, stamp);
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Pid of the process holding the lock; 0 while it is being taken or released. */
function lockOwner(lock) {
  try {
    return Number(fs.readFileSync(path.join(lock, "pid"), "utf8")) || 0;
  } catch {
    return 0;
  }
}

/**
 * Builds when a source changed since the last build. Processes started together (tests, CI) build once: the
 * first takes a lock, the others wait for it (however long the build takes on a busy machine) and find dist/ fresh.
 * A lock left by a builder that died is taken over. Returns the sources' fingerprint dist/ was built from.
 */
function ensureBuilt() {
  const files = listSources();
  const stamp = fingerprint(files);
  if (isFresh(stamp)) return stamp;
  const lock = `${DIST}.lock`;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      const owner = lockOwner(lock);
      // A builder that died leaves its lock: one whose pid is gone, or that never wrote its pid.
      const abandoned = owner ? !alive(owner) : Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 10_000;
      if (abandoned) fs.rmSync(lock, { recursive: true, force: true });
      else sleep(50);
    }
  }
  try {
    if (!isFresh(stamp)) build(files, stamp);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
  return stamp;
}

/**
 * `npm ci` / `npm install` (the `prepare` script, `node tools/build.cjs --warm`): after building, plans every stack
 * once and the default stack alone, output discarded, so that a user's first `npm run plan` starts as a later one does. It leaves what that run
 * would have left: the plan tool's start-up cache (tools/startupCache.cjs: resolutions, V8 code) and the flow lint
 * results (lib/flows/lintCache.ts). Each is checked at every use against what it was made from (the sources'
 * fingerprint, the installed packages, Node, each module's and flow's content), so a later change makes it miss,
 * never wrong. A stack that does not plan is for the user to see when they plan it: the warm-up never fails the
 * install. npm's own settings are left out of its environment (npm_config_* would read as misplaced options).
 */
function warm() {
  const { spawnSync } = require("node:child_process");
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  // Every stack (the flow lint results of each), then one stack as `npm run plan` plans it (its own modules: the
  // text format, the graph), so the kept code holds both paths.
  for (const args of [["--all"], ["--quiet"]]) spawnSync(process.execPath, [path.join(__dirname, "run.cjs"), "plan", ...args], { cwd: ROOT, env, stdio: "ignore" });
}

module.exports = { ensureBuilt, build, warm, DIST, ROOT };

if (require.main === module) {
  build();
  if (process.argv.includes("--warm")) warm();
}
