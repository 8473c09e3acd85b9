/**
 * Runs lifecycle scenarios in one process: each scenario is a sequence of stack configs applied with `pulumi up` one
 * after the other, from an empty stack; prints, per step, the operations and violations the lifecycle model derives
 * (lib/lifecycle/engine.ts), as JSON (test/lifecycle.test.ts says what a scenario is).
 *
 *   node test/helpers/lifecycleRunner.cjs <scenarios.json>
 *
 * The program and the libraries run compiled, as the npm scripts run them (dist/, tools/build.cjs), from a copy of
 * the project: what a step changes in the program's TypeScript is compiled again with the same esbuild options. Not
 * under tsx: the scenarios are about what `pulumi up` does with the program's resources, not about how TypeScript
 * is loaded (test/programEntry.test.ts plans through tsx as Pulumi starts the program, and requires the same plan),
 * and tsx would load and transpile the program's modules once more (about half of this runner's CPU).
 *
 * Plain JavaScript, like tools/run.cjs.
 */
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const YAML = require("yaml");

const CHECKOUT = path.resolve(__dirname, "..", "..");

/**
 * A copy of the project with its compiled tree, so a step can edit its files (contracts, the program) without
 * touching the checkout other tests read. Not copied: what the program never reads from its own folder (dependencies
 * come through the node_modules link, the genesyscloud SDK through node_modules' own link to the checkout's sdks/),
 * or what it writes.
 */
function copyProject(dir) {
  // The compiled tree must be current: the run's global setup built it (test/helpers/globalSetup.ts); this only
  // checks, and builds when run by hand after an edit.
  require(path.join(CHECKOUT, "tools", "build.cjs")).ensureBuilt();
  const root = path.join(dir, "project");
  const skip = new Set(["node_modules", ".git", ".wfm-hris", ".plan", "sdks", "dist.lock", "dist/.startup"].map((d) => path.join(CHECKOUT, d)));
  fs.cpSync(CHECKOUT, root, { recursive: true, filter: (src) => !skip.has(src) });
  fs.symlinkSync(path.join(CHECKOUT, "node_modules"), path.join(root, "node_modules"), "dir");
  return root;
}

/** Compiles one edited TypeScript file of the copy into its dist/, with tools/build.cjs's options. */
function compile(root, rel) {
  require("esbuild").buildSync({
    entryPoints: [path.join(root, rel)],
    outdir: path.join(root, "dist"),
    outbase: root,
    format: "cjs",
    platform: "node",
    target: "node20",
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: "linked",
    logLevel: "error",
  });
}

/** Writes a project file of the copy, and what the compiled tree holds for it (its JavaScript, or its copy). */
function writeProjectFile(root, rel, text) {
  fs.writeFileSync(path.join(root, rel), text);
  if (rel.endsWith(".ts")) compile(root, rel);
  else if (fs.existsSync(path.join(root, "dist", rel))) fs.writeFileSync(path.join(root, "dist", rel), text);
}

async function main() {
  const scenarios = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-lifecycle-"));
  const root = copyProject(dir);
  // As tools/run.cjs does before it runs a tool: the Pulumi SDK's closure serializer (which the Veza providers use)
  // and Automation API load on first use.
  require(path.join(root, "tools", "deferPulumiClosures.cjs")).deferPulumiClosures();
  // The libraries of the copy, compiled: the same modules the program loads.
  const lib = (rel) => require(path.join(root, "dist", "lib", rel));
  const { OFFLINE_PLAN_ENV } = lib("genesys/resolveWfmType.js");
  const { simulateUp } = lib("lifecycle/engine.js");
  const { DYNAMIC_DIFFS, GENESYS_AND_VEZA } = lib("lifecycle/objects.js");
  const { runPlan } = lib("plan/run.js");
  const { readOfflineConfig } = lib("plan/stackFiles.js");
  const { useLintCache } = lib("flows/lintCache.js");

  process.env[OFFLINE_PLAN_ENV] = "1";
  // As plan --all does (lib/plan/fleet.ts): no stack traces for the SDK to capture at every resource and promise, a
  // third of a step's time. WFM_HRIS_DEBUG=1 keeps them, to see where a failing step failed.
  if (!process.env.WFM_HRIS_DEBUG) Error.stackTraceLimit = 0;
  // Most steps lint the same five workflows with the same substitutions: the flow lint's own cache (as the offline
  // plan uses it), in this run's folder, so a lint is computed once per distinct input and never kept after the run.
  useLintCache(path.join(dir, "flow-lint"));

  const original = (rel) => fs.readFileSync(path.join(CHECKOUT, rel), "utf8");
  const results = {};
  for (const scenario of scenarios) {
    let state = [];
    let serial = 1;
    const edited = new Set();
    results[scenario.name] = [];
    for (const [i, step] of scenario.steps.entries()) {
      for (const rel of edited) if (!(rel in (step.files ?? {}))) writeProjectFile(root, rel, original(rel));
      for (const [rel, text] of Object.entries(step.files ?? {})) {
        writeProjectFile(root, rel, text);
        edited.add(rel);
      }
      const program = path.join(dir, "empty.js");
      fs.writeFileSync(program, "");
      const file = path.join(dir, `Pulumi.step${i}.yaml`);
      fs.writeFileSync(file, YAML.stringify({ config: step.config ?? {} }));
      const offline = readOfflineConfig(root, "lifecycle", file);
      // Destroy: a program that declares nothing, so the engine deletes everything.
      const entry = step.config === null ? program : path.join(root, "dist", "index.js");
      const up = await simulateUp(state, (resolve) => runPlan(offline, entry, { preview: false, resolve }), GENESYS_AND_VEZA, {
        dynamicDiffs: DYNAMIC_DIFFS,
        serialStart: serial,
        external: i === 0 ? scenario.external : undefined,
      });
      // The stack resource itself is not an object anywhere: keep the report to the resources.
      results[scenario.name].push({ operations: up.operations.filter((o) => o.type !== "pulumi:pulumi:Stack"), violations: up.violations, events: up.events });
      state = up.state;
      serial = up.nextSerial;
    }
    for (const rel of edited) writeProjectFile(root, rel, original(rel));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(`${(e && e.stack) || e}\n`);
  process.exit(1);
});
