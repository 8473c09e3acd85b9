/**
 * Runs a tool compiled to dist/, compiling first when a source changed (tools/build.cjs): what the npm scripts run.
 *
 *   node tools/run.cjs <tool> [arguments...]      e.g. node tools/run.cjs plan --stack dev
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { ensureBuilt, DIST, ROOT } = require("./build.cjs");

const tool = process.argv[2];
if (!tool || !fs.existsSync(path.join(__dirname, `${tool}.ts`))) {
  const tools = fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
  process.stderr.write(`usage: node tools/run.cjs <tool> [arguments...], where <tool> is one of: ${tools.join(", ")}\n`);
  process.exit(2);
}
let sources;
try {
  sources = ensureBuilt();
} catch (e) {
  // esbuild has printed each error with its file and line; its own stack trace would add nothing.
  process.stderr.write(`could not compile the sources to dist/ (tools/build.cjs): ${e.errors ? "see the errors above" : e.message}\n`);
  process.exit(1);
}
require("./deferPulumiClosures.cjs").deferPulumiClosures();
require("./deferModules.cjs").deferModules(DIST);
// Resolutions and compiled code kept from the last start of this tool (WFM_HRIS_STARTUP_CACHE=off: none).
if (process.env.WFM_HRIS_STARTUP_CACHE !== "off") {
  require("./startupCache.cjs").useStartupCache({ root: ROOT, dir: path.join(DIST, ".startup"), tool, sourcesStamp: sources });
  // For the compiled code's own start-up data (lib/config/validationCache.ts): where, and what it was built from.
  globalThis[Symbol.for("wfm-hris.startupCache")] = { dir: path.join(DIST, ".startup"), sources, root: ROOT };
}
// The tool reads its own arguments from process.argv.slice(2), as when node runs it directly.
process.argv.splice(2, 1);
process.argv[1] = path.join(DIST, "tools", `${tool}.js`);
require(process.argv[1]);
