/**
 * Modules of the compiled program and tools (dist/) that only some stacks use, loaded on their first use instead
 * of when their importer loads (tools/run.cjs turns it on). A stack uses one HRIS kind, and only a stack with a
 * `veza:` section uses the Veza provider and the directory readers; `npm run plan` of a BambooHR stack without Veza
 * never needs Personio's or the custom HRIS's modules, nor the Veza payload's.
 *
 * The importer's compiled code reads an import's exports where it uses them (esbuild's CommonJS output keeps
 * `import_x.name` at each use), so handing it a stand-in that loads the real module on its first property read
 * (tools/deferPulumiClosures.cjs's onFirstUse) changes when the module loads, never what it does. The sources
 * import these modules as usual: under tsx (`pulumi up`) and vitest they load eagerly, with the same result. Each
 * importer must only use the import inside functions (hris/index.ts registers the adapters by kind, read on first
 * use; index.ts builds the Veza provider only for a stack with a veza section); an importer that reads it while it
 * loads simply loads it then.
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");
const { onFirstUse } = require("./deferPulumiClosures.cjs");

/** parent: the importing file, relative to dist/ ("*": any of them); request: as it imports it. */
const DEFERRED = [
  // zod: the config schemas and the Veza payload's model are built on first use (lib/config/fields.ts
  // builtOnFirstRead); a tool that reads a config validated before (lib/config/validationCache.ts) and a valid
  // payload (checked by the compiled shape check) never needs it.
  { parent: "*", request: "zod" },
  // velocityjs: prepared and used on first render or check (lib/velocity/render.ts velocity()).
  { parent: "lib/velocity/render.js", request: "velocityjs" },
  { parent: "lib/velocity/javaArithmetic.js", request: "velocityjs" },
  { parent: "hris/index.js", request: "./bamboohr" },
  { parent: "hris/index.js", request: "./personio" },
  { parent: "hris/index.js", request: "./custom" },
  // Only Veza reads a directory (adapter.directory()).
  { parent: "hris/bamboohr/index.js", request: "./veza" },
  { parent: "hris/personio/index.js", request: "./veza" },
  { parent: "index.js", request: "./components/veza" },
  { parent: "index.js", request: "./lib/veza/stackPayload" },
];

let installed = false;
/** Turns deferral on for the modules under `dist`. */
function deferModules(dist) {
  if (installed) return;
  installed = true;
  const parents = new Map();
  const anywhere = new Set();
  for (const d of DEFERRED) {
    if (d.parent === "*") anywhere.add(d.request);
    else parents.set(path.join(dist, d.parent), [...(parents.get(path.join(dist, d.parent)) ?? []), d.request]);
  }
  const inDist = dist + path.sep;
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const file = parent?.filename;
    if (file && (parents.get(file)?.includes(request) || (anywhere.has(request) && file.startsWith(inDist))))
      return onFirstUse(() => load.call(this, request, parent, isMain), false);
    return load.apply(this, arguments);
  };
}

module.exports = { deferModules, DEFERRED };
