/**
 * Offline plan: runs the Pulumi program for a stack under mocks in preview mode and prints what
 * `pulumi up` would create. No Pulumi CLI, cloud account or network needed.
 *
 *   npm run plan -- [--stack dev] [--json plan.json] [--mermaid graph.mmd] [--stack-file path/to/Pulumi.x.yaml] [--quiet]
 */
import * as path from "node:path";
import { isUserError } from "../lib/errors";
import type * as wfmType from "../lib/genesys/resolveWfmType";
import type * as diff from "../lib/plan/diff";
import type * as format from "../lib/plan/format";
import type * as run from "../lib/plan/run";
import { emptySecureValues, readOfflineConfig } from "../lib/plan/stackFiles";
import { PROJECT_ROOT } from "../lib/paths";
import { outputFile, parseCommandLine, runCommand, stackChoice, writeOutput } from "./cli";

const USAGE = "usage: npm run plan -- [--stack <name>] [--json <file>] [--mermaid <file>] [--stack-file <Pulumi.<stack>.yaml>] [--quiet]";

async function main(): Promise<number> {
  const args = parseCommandLine({
    options: {
      stack: { type: "string" },
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
  const { stack, stackFile } = stackChoice(args);
  // Checked before planning: a plan that cannot be written is a usage error, not a failure after the work.
  if (args.json) outputFile("--json", args.json);
  if (args.mermaid) outputFile("--mermaid", args.mermaid);
  const offline = readOfflineConfig(PROJECT_ROOT, stack, stackFile);
  const empty = emptySecureValues(PROJECT_ROOT, stack, stackFile);
  if (empty) throw empty;
  // Loaded once the command line and the stack file are known good: a usage or stack-file error is reported
  // without loading the Pulumi SDK.
  const { OFFLINE_PLAN_ENV } = require("../lib/genesys/resolveWfmType") as typeof wfmType;
  // Offline: values the program would look up in the org stay "(known after apply)".
  process.env[OFFLINE_PLAN_ENV] = "1";
  const { runPlan } = require("../lib/plan/run") as typeof run;
  const { formatPlan } = require("../lib/plan/format") as typeof format;
  const { formatMermaid } = require("../lib/plan/diff") as typeof diff;
  // The program next to this tool: index.ts from the sources, dist/index.js when compiled (tools/build.cjs).
  const plan = await runPlan(offline, path.join(__dirname, "..", "index"));
  if (args.json) writeOutput("--json", args.json, JSON.stringify(plan, null, 2) + "\n");
  if (args.mermaid) writeOutput("--mermaid", args.mermaid, formatMermaid(plan));
  if (!args.quiet) process.stdout.write(formatPlan(plan));
  return 0;
}

runCommand("offline plan", USAGE, main, isUserError);
