/**
 * Writes the config reference generated from the zod schema into README.md (between its markers).
 *   npm run config:docs            update README.md
 *   npm run config:docs -- --check exit 1 when README.md is out of date
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withReference } from "../lib/config/reference";
import { PROJECT_ROOT } from "../lib/paths";

const readmePath = path.join(PROJECT_ROOT, "README.md");
const readme = fs.readFileSync(readmePath, "utf8");
const updated = withReference(readme);
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    process.stderr.write("README.md's config reference is out of date: run npm run config:docs\n");
    process.exit(1);
  }
} else if (updated !== readme) {
  fs.writeFileSync(readmePath, updated);
  process.stdout.write("README.md: config reference updated\n");
}
