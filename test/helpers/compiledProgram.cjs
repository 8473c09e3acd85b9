/**
 * Runs a TypeScript program (a test fixture, an example program) with the project's modules as the npm scripts run
 * them, compiled (dist/, tools/build.cjs), instead of under tsx:
 *
 *   node test/helpers/compiledProgram.cjs <program.ts> [arguments...]
 *
 * gives the program what `node --import tsx <program.ts> [arguments...]` gives it (process.argv, its own file name
 * and folder, CommonJS modules), at less than half the CPU: tsx transpiles and loads every module of the program
 * through its loader thread at each start.
 *
 * A .ts file is loaded under its own name (so `__dirname`, relative requires and files read beside it are those of
 * the source tree): with the JavaScript dist/ holds for it, or, for a file dist/ does not hold (a fixture, an
 * example), compiled now by esbuild with the tsconfig.json nearest to it, as tsx and tools/build.cjs compile. What
 * only Pulumi's own start shows (`node --import tsx` of the program itself) is tested by test/programEntry.test.ts.
 *
 * Plain JavaScript, like tools/run.cjs.
 */
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { ensureBuilt, DIST, ROOT } = require("../../tools/build.cjs");

/** The compiled JavaScript of a source file of the project, if dist/ holds it. */
function compiledOf(file) {
  const rel = path.relative(ROOT, file);
  if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) return undefined;
  const js = path.join(DIST, rel.replace(/\.ts$/, ".js"));
  return fs.existsSync(js) ? fs.readFileSync(js, "utf8") : undefined;
}

/** A file dist/ does not hold, compiled as tools/build.cjs compiles (esbuild, CommonJS, the nearest tsconfig.json). */
function compileNow(file) {
  const out = require("esbuild").buildSync({ entryPoints: [file], write: false, format: "cjs", platform: "node", target: "node20", sourcemap: "inline", logLevel: "error" });
  return out.outputFiles[0].text;
}

ensureBuilt();
// As tools/run.cjs does before it runs a tool: the Pulumi SDK's closure serializer and Automation API load on first use.
require("../../tools/deferPulumiClosures.cjs").deferPulumiClosures();
// `require("./roles")` beside roles.ts and roles.json is the TypeScript module, as for tsx and the compiled tree
// (roles.js): .ts is tried before .json and .node (Node tries the extensions in the order they were registered).
const { ".json": json, ".node": native } = Module._extensions;
delete Module._extensions[".json"];
delete Module._extensions[".node"];
Module._extensions[".ts"] = (module, filename) => module._compile(compiledOf(filename) ?? compileNow(filename), filename);
Object.assign(Module._extensions, { ".json": json, ".node": native });

const program = path.resolve(process.argv[2]);
// As `node --import tsx <program.ts> [arguments...]`: the program is argv[1], its arguments follow.
process.argv.splice(1, 2, program);
require(program);
