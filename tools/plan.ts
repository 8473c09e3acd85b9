/**
 * Offline plan: runs the Pulumi program for a stack under mocks in preview mode and prints what
 * `pulumi up` would create. No Pulumi CLI, cloud account or network needed.
 *
 *   npm run plan -- [--stack dev] [--json plan.json] [--mermaid graph.mmd] [--stack-file path/to/Pulumi.x.yaml] [--quiet]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { isUserError } from "../lib/errors";
import { formatMermaid } from "../lib/plan/diff";
import { formatPlan } from "../lib/plan/format";
import { runPlan } from "../lib/plan/run";
import { OFFLINE_PLAN_ENV } from "../lib/genesys/resolveWfmType";
import { readOfflineConfig } from "../lib/plan/stackFiles";
import { PROJECT_ROOT } from "../lib/stackContent";

const USAGE = "usage: npm run plan -- [--stack <name>] [--json <file>] [--mermaid <file>] [--stack-file <Pulumi.<stack>.yaml>] [--quiet]";

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        stack: { type: "string", default: "dev" },
        json: { type: "string" },
        "stack-file": { type: "string" },
        quiet: { type: "boolean", default: false },
        mermaid: { type: "string" },
        help: { type: "boolean", default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Offline: values the program would look up in the org stay "(known after apply)".
  process.env[OFFLINE_PLAN_ENV] = "1";
  try {
    const offline = readOfflineConfig(PROJECT_ROOT, args.stack!, args["stack-file"]);
    const plan = await runPlan(offline, path.join(PROJECT_ROOT, "index.ts"));
    if (args.json) fs.writeFileSync(args.json, JSON.stringify(plan, null, 2) + "\n");
    if (args.mermaid) fs.writeFileSync(args.mermaid, formatMermaid(plan));
    if (!args.quiet) process.stdout.write(formatPlan(plan));
    return 0;
  } catch (e) {
    process.stderr.write(isUserError(e) ? `${(e as Error).message}\n` : `offline plan failed: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`offline plan failed: ${e?.stack ?? e}\n`);
    process.exit(1);
  },
);
