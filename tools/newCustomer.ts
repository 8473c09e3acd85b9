/**
 * Onboards a customer: writes Pulumi.<slug>.yaml with every required setting (placeholders where only the customer
 * can say) and prints the `pulumi config set --secret` commands still needed. The file plans offline at once.
 *
 *   npm run new-customer -- <slug> --hris <kind> [--region <genesys region>] [--auth apiKey|oauth] [--veza-url <url>]
 *                           [--hris-path <folder>] [--root <project directory>]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { hrisKinds } from "../hris";
import { isUserError } from "../lib/errors";
import { GENESYS_REGIONS } from "../lib/config/schema";
import { NewStackError, newStackFile, secretCommands } from "../lib/plan/newStack";
import { PROJECT_ROOT } from "../lib/paths";
import { UsageError, inputFolder, parseCommandLine, runCommand } from "./cli";

const USAGE =
  `usage: npm run new-customer -- <slug> --hris <${hrisKinds().join("|")}> [--region <genesys region>] [--auth apiKey|oauth] [--veza-url <url>] [--hris-path <folder>] [--root <project directory>]\n` +
  `  <slug>        customer slug and stack name: lowercase letters, digits and inner hyphens (e.g. acme-corp)\n` +
  `  --region      Genesys Cloud region (default us-east-1): ${GENESYS_REGIONS.join(", ")}\n` +
  `  --auth        how Genesys authenticates to the HRIS (default: the HRIS kind's first)\n` +
  `  --veza-url    add the Veza OAA provider for this Veza tenant\n` +
  `  --hris-path   for --hris custom: your data action definitions folder (default: the worked example)`;

async function main(): Promise<number> {
  const { values: args, positionals } = parseCommandLine({
    allowPositionals: true,
    options: {
      hris: { type: "string" },
      region: { type: "string", default: "us-east-1" },
      auth: { type: "string" },
      "veza-url": { type: "string" },
      "hris-path": { type: "string" },
      root: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one customer slug, got ${positionals.length}: ${positionals.join(" ")}` : "the customer slug is missing");
  if (!args.hris) throw new UsageError(`--hris is required: one of ${hrisKinds().join(", ")}`);
  if (!hrisKinds().includes(args.hris)) throw new UsageError(`--hris ${args.hris} is not an HRIS kind; one of ${hrisKinds().join(", ")}`);
  const slug = positionals[0];
  // Checked before writing: the file must land in an existing folder, and a custom HRIS folder must be one the
  // plan can read (hris.path is relative to the project root), since the tool promises the stack plans at once.
  if (args.root !== undefined) inputFolder("--root", args.root);
  const hrisPath = args["hris-path"];
  if (hrisPath !== undefined && args.hris === "custom") {
    const dir = path.resolve(PROJECT_ROOT, hrisPath);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
      throw new UsageError(`--hris-path ${hrisPath}: no such folder (relative paths start at the project root, ${PROJECT_ROOT}); name the folder with your data action definitions and wfm-hris.json`);
    if (!fs.existsSync(path.join(dir, "wfm-hris.json")))
      throw new UsageError(`--hris-path ${hrisPath}: has no wfm-hris.json; name the folder of a custom HRIS (docs/custom-hris.md), e.g. --hris-path examples/custom-hris/hris`);
  }
  let stack;
  try {
    stack = newStackFile({ slug, kind: args.hris, region: args.region!, auth: args.auth, vezaUrl: args["veza-url"], hrisPath: args["hris-path"] });
  } catch (e) {
    if (e instanceof NewStackError) throw new UsageError(e.message);
    throw e;
  }
  const root = path.resolve(args.root ?? PROJECT_ROOT);
  const file = path.join(root, `Pulumi.${slug}.yaml`);
  const shown = path.relative(process.cwd(), file) || file;
  try {
    // "wx": never overwrite a customer's stack file, even one created since the check.
    fs.writeFileSync(file, stack.text, { flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") {
      process.stderr.write(`${shown} already exists; nothing was written (choose another slug, or edit the file)\n`);
      return 1;
    }
    throw e;
  }
  const lines = [`Wrote ${shown}; it plans offline now: npm run plan -- --stack ${slug}`, ""];
  if (stack.placeholders.length) lines.push("Replace the placeholders in it (marked \"placeholder\"):", ...stack.placeholders.map((p) => `  ${p}`), "");
  if (stack.secrets.length)
    lines.push(
      "Set the secrets (the file holds placeholders, which a deploy refuses):",
      ...secretCommands(slug, stack.secrets).map((c) => `  ${c}`),
      "  (or supply them from a Pulumi ESC environment under pulumiConfig and delete them from the file: docs/fleet.md)",
      "",
    );
  lines.push(`Then mark it deployable: pulumi config set --stack ${slug} wfm-hris:deployable true`);
  process.stdout.write(lines.join("\n") + "\n");
  return 0;
}

runCommand("new-customer", USAGE, main, isUserError);
