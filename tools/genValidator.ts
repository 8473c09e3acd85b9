/**
 * Regenerates the compiled validators: the Veza payload's shape check from the zod model (run after changing
 * lib/veza/payload.ts) and the draft-04 meta-schema check data action contracts go through (after updating
 * ajv-draft-04).
 *   npm run gen:validator
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DRAFT04_VALIDATOR_FILE, draft04ValidatorSource } from "../lib/jsonSchema/draft04Source";
import { PROJECT_ROOT } from "../lib/paths";
import { SHAPE_VALIDATOR_FILE, shapeValidatorSource } from "../lib/veza/shapeValidatorSource";
import { parseCommandLine, runCommand } from "./cli";

async function main(): Promise<number> {
  parseCommandLine({ options: {} });
  for (const [name, source] of [
    [SHAPE_VALIDATOR_FILE, shapeValidatorSource],
    [DRAFT04_VALIDATOR_FILE, draft04ValidatorSource],
  ] as const) {
    const file = path.join(PROJECT_ROOT, name);
    const text = source();
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      fs.writeFileSync(file, text);
      process.stdout.write(`${name}: regenerated\n`);
    } else process.stdout.write(`${name}: up to date\n`);
  }
  return 0;
}

runCommand("gen:validator", "usage: npm run gen:validator   (no options)", main);
