/**
 * Offline plan: runs the Pulumi program for a stack under mocks in preview mode and prints what
 * `pulumi up` would create. No Pulumi CLI, cloud account or network needed.
 *
 *   npm run plan -- [--stack dev] [--json plan.json] [--mermaid graph.mmd] [--stack-file path/to/Pulumi.x.yaml] [--quiet] [--save]
 *   npm run plan -- --all [--save] [--root <project directory>] [--plans-dir <folder>]
 *
 * --all plans every Pulumi.<stack>.yaml in one process and prints one row per stack (lib/plan/fleet.ts); --save keeps
 * each plan in .plans/<stack>.json, the plan the next run's "changes vs saved plan" compares with. Exit 1 when a
 * stack fails.
 */
import * as path from "node:path";
import { isUserError } from "../lib/errors";
import type * as wfmType from "../lib/genesys/resolveWfmType";
import type * as diff from "../lib/plan/diff";
import type * as format from "../lib/plan/format";
import type * as fleetModule from "../lib/plan/fleet";
import type * as lintCache from "../lib/flows/lintCache";
import type * as run from "../lib/plan/run";
import { emptySecureValues, listStacks, readOfflineConfig } from "../lib/plan/stackFiles";
import { PROJECT_ROOT } from "../lib/paths";
import { UsageError, inputFolder, outputFile, outputFolder, parseCommandLine, runCommand, stackChoice, writeOutput } from "./cli";

const USAGE =
  "usage: npm run plan -- [--stack <name>] [--json <file>] [--mermaid <file>] [--stack-file <Pulumi.<stack>.yaml>] [--quiet] [--save]\n" +
  "       npm run plan -- --all [--save] [--root <project directory>] [--plans-dir <folder>]";

/** Where --save keeps each stack's last plan (git-ignored), relative to the project root. */
const PLANS_DIR = ".plans";

/** The program next to this tool: index.ts from the sources, dist/index.js when compiled (tools/build.cjs). */
const PROGRAM = path.join(__dirname, "..", "index");

/** Loaded once the command line and the stack file are known good: a usage or stack-file error is reported without
 * loading the Pulumi SDK. Offline, values the program would look up in the org stay "(known after apply)". Flow lint
 * results are kept in a content-addressed cache (lib/flows/lintCache.ts): a plan reports the same findings with or
 * without it, and skips parsing the workflows again while nothing they depend on changed. */
function offlineRuntime() {
  const { OFFLINE_PLAN_ENV } = require("../lib/genesys/resolveWfmType") as typeof wfmType;
  process.env[OFFLINE_PLAN_ENV] = "1";
  const { useLintCache, lintCacheDir } = require("../lib/flows/lintCache") as typeof lintCache;
  useLintCache(lintCacheDir(PROJECT_ROOT));
}

async function planAll(args: { save?: boolean; root?: string; "plans-dir"?: string }): Promise<number> {
  const root = path.resolve(args.root ?? PROJECT_ROOT);
  const plansDir = path.resolve(args["plans-dir"] ?? path.join(root, PLANS_DIR));
  const stacks = listStacks(root);
  if (!stacks.length) throw new UsageError(`${root} has no Pulumi.<stack>.yaml`);
  offlineRuntime();
  const { planFleet, fleetHeader, fleetRow, fleetFooter } = require("../lib/plan/fleet") as typeof fleetModule;
  const width = Math.max(5, ...stacks.map((s) => s.length));
  process.stdout.write(`Offline plan of ${stacks.length} stacks in ${path.relative(process.cwd(), root) || "."} (preview under mocks; nothing was contacted)\n\n${fleetHeader(width)}`);
  const rows = await planFleet({ root, program: PROGRAM, plansDir, save: args.save, onRow: (r) => process.stdout.write(fleetRow(r, width)) });
  process.stdout.write(fleetFooter(rows, !!args.save, path.relative(process.cwd(), plansDir) || plansDir));
  return rows.some((r) => r.error) ? 1 : 0;
}

async function main(): Promise<number> {
  const args = parseCommandLine({
    options: {
      stack: { type: "string" },
      all: { type: "boolean", default: false },
      save: { type: "boolean", default: false },
      root: { type: "string" },
      "plans-dir": { type: "string" },
      json: { type: "string" },
      "stack-file": { type: "string" },
      quiet: { type: "boolean", default: false },
      mermaid: { type: "string" },
      help: { type: "boolean", default: false },
    },
  }).values;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Checked before planning: saved plans that cannot be written are a usage error, not a failure per stack after the work.
  if (args.save && args["plans-dir"] !== undefined) outputFolder("--plans-dir", args["plans-dir"]);
  if (args.all) {
    const single = (["stack", "stack-file", "json", "mermaid"] as const).filter((k) => args[k] !== undefined);
    if (single.length) throw new UsageError(`--all plans every stack: --${single[0]} is for one stack`);
    if (args.root !== undefined) inputFolder("--root", args.root);
    return planAll(args);
  }
  if (args.root !== undefined) throw new UsageError("--root is for --all (one stack: --stack-file <path>)");
  const { stack, stackFile } = stackChoice(args);
  // Checked before planning: a plan that cannot be written is a usage error, not a failure after the work.
  if (args.json) outputFile("--json", args.json);
  if (args.mermaid) outputFile("--mermaid", args.mermaid);
  if (args.json && args.mermaid && path.resolve(args.json) === path.resolve(args.mermaid))
    throw new UsageError(`--json and --mermaid both name ${args.json}: the graph would overwrite the plan; give two files`);
  const offline = readOfflineConfig(PROJECT_ROOT, stack, stackFile);
  const empty = emptySecureValues(PROJECT_ROOT, stack, stackFile);
  if (empty) throw empty;
  for (const note of offline.notes ?? []) process.stderr.write(`note: ${note}\n`);
  offlineRuntime();
  const { runPlan } = require("../lib/plan/run") as typeof run;
  const { formatPlan } = require("../lib/plan/format") as typeof format;
  const { formatMermaid } = require("../lib/plan/diff") as typeof diff;
  const plan = await runPlan(offline, PROGRAM);
  if (args.json) writeOutput("--json", args.json, JSON.stringify(plan, null, 2) + "\n");
  if (args.save) (require("../lib/plan/fleet") as typeof fleetModule).writeSavedPlan(path.resolve(args["plans-dir"] ?? path.join(PROJECT_ROOT, PLANS_DIR)), plan);
  if (args.mermaid) writeOutput("--mermaid", args.mermaid, formatMermaid(plan));
  if (!args.quiet) process.stdout.write(formatPlan(plan));
  return 0;
}

runCommand("offline plan", USAGE, main, isUserError);
