/**
 * Writes the config reference generated from the zod schema into README.md (between its markers).
 *   npm run config:docs            update README.md
 *   npm run config:docs -- --check exit 1 when README.md is out of date
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withReference } from "../lib/config/reference";
import { PROJECT_ROOT } from "../lib/paths";
import { parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run config:docs -- [--check]   (--check: exit 1 when README.md's config reference is out of date, write nothing)";

async function main(): Promise<number> {
  // Strict: a misspelt --check (--chek) must fail rather than quietly rewrite README.md, or CI could never fail.
  const { values } = parseCommandLine({ options: { check: { type: "boolean", default: false } } });
  const readmePath = path.join(PROJECT_ROOT, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  const updated = withReference(readme);
  if (values.check) {
    if (updated === readme) return 0;
    process.stderr.write("README.md's config reference is out of date: run npm run config:docs\n");
    return 1;
  }
  if (updated !== readme) {
    fs.writeFileSync(readmePath, updated);
    process.stdout.write("README.md: config reference updated\n");
  }
  return 0;
}

runCommand("config:docs", USAGE, main);
