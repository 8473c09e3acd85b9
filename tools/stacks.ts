/**
 * The stacks of this project and which of them CI previews and deploys (stack config `wfm-hris:deployable: true`).
 *
 *   npm run stacks                               every stack, deployable or plan-only
 *   npm run --silent stacks -- --deployable --json   the deploy matrix: a JSON array of stack names ([] when none)
 *
 * Every stack marked deployable is checked first (secrets are real ciphertexts or come from ESC, config is valid);
 * any problem exits 1 naming the stack file, the key and the fix, and prints no list, so CI deploys nothing.
 */
import { isUserError } from "../lib/errors";
import { DeployableError, checkStacks } from "../lib/plan/deployable";
import { PROJECT_ROOT } from "../lib/paths";
import * as fs from "node:fs";
import { UsageError, parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run stacks -- [--deployable] [--json] [--root <project directory>]";

async function main(): Promise<number> {
  const args = parseCommandLine({
    options: {
      deployable: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      root: { type: "string" },
      help: { type: "boolean", default: false },
    },
  }).values;
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = args.root ?? PROJECT_ROOT;
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${root}: no such folder; name the project folder (the one with Pulumi.yaml)`);
  if (!fs.existsSync(`${root}/Pulumi.yaml`)) throw new UsageError(`--root ${root}: has no Pulumi.yaml; name the project folder`);
  const statuses = checkStacks(root).filter((s) => !args.deployable || s.deployable);
  if (args.json) process.stdout.write(`${JSON.stringify(statuses.map((s) => s.stack))}\n`);
  else
    for (const s of statuses)
      process.stdout.write(`${s.stack}\t${s.deployable ? "deployable" : "plan-only"}${s.environments.length ? `\tESC: ${s.environments.join(", ")}` : ""}\n`);
  return 0;
}

runCommand("stacks", USAGE, main, (e) => e instanceof DeployableError || isUserError(e));
