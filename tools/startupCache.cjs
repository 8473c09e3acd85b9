/**
 * What every start of a compiled tool works out the same way, kept for the next start (tools/run.cjs turns it on):
 *
 * - where each `require` resolves to. A command requires ~1,100 times (the Pulumi SDK, gRPC, zod, ...), and Node
 *   answers each by looking for files, folders and package.json `exports` along the node_modules chain: ~15% of an
 *   offline plan. The answers are kept with a token of what they depend on (dist/'s sources fingerprint, the
 *   installed packages' node_modules/.package-lock.json, Node's version, flags and NODE_PATH); any change to it drops
 *   them all. A kept answer whose file is gone is resolved again.
 * - V8's compiled code for each module (Node 20 has no module.enableCompileCache). Kept per file with a SHA-1 of the
 *   module's source, so a changed module is compiled afresh; V8 itself refuses data from another V8 version or
 *   other flags. The data is taken when the process exits, so it includes every function the run compiled, not just
 *   the top level (a cache taken right after compiling gains little).
 *
 * Modules are still loaded, compiled and run by Node's own loader, in the same order, with the same `require`,
 * `module`, `exports`, `__filename` and `__dirname`: only the answers are reused. Kept per tool under
 * dist/.startup/ (dist/ is rebuilt, and so emptied, whenever a source changes). Plain JavaScript, like run.cjs.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

/** Reads a file, or undefined when it is missing or unreadable (a start then works everything out afresh). */
function readOrUndefined(file, encoding) {
  try {
    return fs.readFileSync(file, encoding);
  } catch {
    return undefined;
  }
}

/** Written aside and renamed: processes exiting together never leave half a file. Errors cost the next start only. */
function writeAtomically(file, data) {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only or full disk: the next start resolves and compiles as if there were no cache
  }
}

/** What resolutions depend on besides the files themselves. */
function resolutionToken(root, sourcesStamp) {
  const lock = fs.statSync(path.join(root, "node_modules", ".package-lock.json"), { throwIfNoEntry: false });
  return crypto
    .createHash("sha256")
    .update(
      JSON.stringify([
        sourcesStamp,
        lock ? [lock.mtimeMs, lock.size] : null,
        process.version,
        process.execArgv,
        process.env.NODE_PATH ?? "",
        process.env.NODE_OPTIONS ?? "",
      ]),
    )
    .digest("hex");
}

function cacheResolutions(file, token) {
  const kept = JSON.parse(readOrUndefined(file, "utf8") ?? "null");
  const answers = kept?.token === token ? new Map(Object.entries(kept.answers)) : new Map();
  let changed = false;
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, isMain, options) {
    // Built-ins, the entry point and require.resolve(..., { paths }) as Node answers them.
    if (isMain || options || !parent?.path || Module.isBuiltin(request)) return resolve.apply(this, arguments);
    const key = `${parent.path}\0${request}`;
    const known = answers.get(key);
    if (known !== undefined && fs.existsSync(known)) return known;
    const found = resolve.apply(this, arguments);
    answers.set(key, found);
    changed = true;
    return found;
  };
  return () => {
    if (changed) writeAtomically(file, JSON.stringify({ token, answers: Object.fromEntries(answers) }));
  };
}

/** The code file: a UInt32 length, a JSON index of [file, sha1, length] in order, then each module's V8 data. */
function readCode(file) {
  const blob = readOrUndefined(file);
  const entries = new Map();
  if (!blob || blob.length < 4) return entries;
  try {
    const indexLength = blob.readUInt32LE(0);
    let offset = 4 + indexLength;
    for (const [name, hash, length] of JSON.parse(blob.toString("utf8", 4, offset))) {
      entries.set(name, { hash, data: blob.subarray(offset, offset + length) });
      offset += length;
    }
  } catch {
    entries.clear(); // cut short: compiled afresh and written again
  }
  return entries;
}

function writeCode(file, entries) {
  const list = [...entries];
  const index = Buffer.from(JSON.stringify(list.map(([name, e]) => [name, e.hash, e.data.length])));
  const head = Buffer.alloc(4);
  head.writeUInt32LE(index.length, 0);
  writeAtomically(file, Buffer.concat([head, index, ...list.map(([, e]) => e.data)]));
}

/** `require` for a module, as Node's makeRequireFunction builds it (lib/internal/modules/helpers.js). */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  const resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function cacheCode(file) {
  const entries = readCode(file);
  const fresh = [];
  const used = new Set();
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename, format) {
    // ES modules, and dynamic import() (which a vm.Script would need a loader for), as Node compiles them.
    if (format === "module" || content.includes("import(")) return compile.apply(this, arguments);
    const hash = crypto.createHash("sha1").update(content).digest("base64");
    const kept = entries.get(filename);
    const cachedData = kept?.hash === hash ? kept.data : undefined;
    let script;
    try {
      // A hashbang line is only valid at the very start of a script: kept as a comment, so lines stay where they are.
      script = new vm.Script(Module.wrap(content.startsWith("#!") ? `//${content}` : content), { filename, cachedData });
    } catch {
      return compile.apply(this, arguments); // a syntax error is reported as Node reports it
    }
    if (!cachedData || script.cachedDataRejected) fresh.push({ filename, hash, script });
    else used.add(filename);
    const wrapper = script.runInThisContext({ displayErrors: true });
    return Reflect.apply(wrapper, this.exports, [this.exports, makeRequire(this), this, filename, path.dirname(filename)]);
  };
  return () => {
    // Code this start did not use is read by every start: once it is more than half of what was used (a run that needed zod to
    // validate a config, the next ones that find it validated, lib/config/validationCache.ts), it is dropped.
    let usedBytes = 0;
    let unusedBytes = 0;
    for (const [name, e] of entries) used.has(name) ? (usedBytes += e.data.length) : (unusedBytes += e.data.length);
    const drop = unusedBytes > usedBytes / 2;
    if (!fresh.length && !drop) return;
    if (drop) for (const name of [...entries.keys()]) if (!used.has(name)) entries.delete(name);
    for (const { filename, hash, script } of fresh) entries.set(filename, { hash, data: script.createCachedData() });
    writeCode(file, entries);
  };
}

let installed = false;

/** Turns the cache on for this process: `tool` names its files under `dir`; `sourcesStamp` is dist/'s fingerprint. */
function useStartupCache({ root, dir, tool, sourcesStamp }) {
  if (installed) return;
  installed = true;
  const saveResolutions = cacheResolutions(path.join(dir, `${tool}.resolutions.json`), resolutionToken(root, sourcesStamp));
  // With source maps on, Node maps stack traces only of the modules it compiles itself: those are left to it.
  const saveCode = process.sourceMapsEnabled ? () => undefined : cacheCode(path.join(dir, `${tool}.code`));
  process.on("exit", () => {
    saveResolutions();
    saveCode();
  });
}

module.exports = { useStartupCache };
