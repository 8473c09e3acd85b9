/**
 * Regenerates the Veza payload's compiled shape check from the zod model (run after changing lib/veza/payload.ts).
 *   npm run gen:validator
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../lib/paths";
import { SHAPE_VALIDATOR_FILE, shapeValidatorSource } from "../lib/veza/shapeValidatorSource";
import { parseCommandLine, runCommand } from "./cli";

async function main(): Promise<number> {
  parseCommandLine({ options: {} });
  const file = path.join(PROJECT_ROOT, SHAPE_VALIDATOR_FILE);
  const source = shapeValidatorSource();
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== source) {
    fs.writeFileSync(file, source);
    process.stdout.write(`${SHAPE_VALIDATOR_FILE}: regenerated\n`);
  } else process.stdout.write(`${SHAPE_VALIDATOR_FILE}: up to date\n`);
  return 0;
}

runCommand("gen:validator", "usage: npm run gen:validator   (no options)", main);
