/**
 * Markdown diff of two offline plans of a stack, for a pull-request comment.
 *
 *   npm run plan:diff -- <base.json | -> <head.json>      ("-" or a missing file: the stack is new)
 */
import * as fs from "node:fs";
import { diffPlans, formatDiffMarkdown } from "../lib/plan/diff";
import type { Plan } from "../lib/plan/run";

function main(argv: string[]): number {
  if (argv.length !== 2) {
    process.stderr.write("usage: npm run plan:diff -- <base.json | -> <head.json>\n");
    return 2;
  }
  const [basePath, headPath] = argv;
  const read = (p: string): Plan => {
    try {
      return JSON.parse(fs.readFileSync(p, "utf8")) as Plan;
    } catch (e) {
      throw new Error(`${p} is not an offline plan (npm run plan -- --json ${p}): ${(e as Error).message}`);
    }
  };
  try {
    const head = read(headPath);
    const base = basePath === "-" || !fs.existsSync(basePath) ? undefined : read(basePath);
    process.stdout.write(formatDiffMarkdown(`${head.project}/${head.stack}`, diffPlans(base, head)));
    return 0;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
}

process.exit(main(process.argv.slice(2)));
