/**
 * Markdown diff of two offline plans of a stack, for a pull-request comment.
 *
 *   npm run plan:diff -- <base.json | -> <head.json>      ("-" or a missing file: the stack is new)
 */
import * as fs from "node:fs";
import { readJsonFile } from "../lib/jsonFile";
import { diffPlans, formatDiffMarkdown } from "../lib/plan/diff";
import type { Plan } from "../lib/plan/run";
import { ToolError, UsageError, inputFile, parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run plan:diff -- <base.json | -> <head.json>   (plans written by npm run plan -- --json <file>; \"-\" or a missing base: the stack is new)";

/** Why a parsed value is not an offline plan (what `npm run plan -- --json` writes), or undefined. */
function planProblem(value: unknown): string | undefined {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "is not a JSON object";
  const p = value as Partial<Plan>;
  if (typeof p.project !== "string" || typeof p.stack !== "string") return "has no project and stack";
  if (!Array.isArray(p.resources)) return "has no resources list";
  const bad = p.resources.findIndex((r) => !r || typeof r !== "object" || typeof r.urn !== "string" || typeof r.type !== "string");
  if (bad >= 0) return `has a resource without urn and type at resources[${bad}]`;
  const seen = new Set<string>();
  for (const [i, r] of p.resources.entries()) {
    // What the diff reads of each resource, in the shape `npm run plan -- --json` writes it.
    const wrong = resourceProblem(r);
    if (wrong) return `has a resource whose ${wrong} at resources[${i}] (${r.urn})`;
    if (seen.has(r.urn)) return `lists the resource ${r.urn} twice (again at resources[${i}])`;
    seen.add(r.urn);
  }
  return undefined;
}

const isObject = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v);
const isStringList = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

function resourceProblem(r: Plan["resources"][number]): string | undefined {
  if (typeof r.name !== "string") return "name is not text";
  if (r.parent !== undefined && typeof r.parent !== "string") return "parent is not a URN";
  if (!isObject(r.inputs)) return "inputs are not an object";
  if (!isStringList(r.dependencies)) return "dependencies are not a list of URNs";
  if (r.computed !== undefined && !isObject(r.computed)) return "computed values are not an object";
  if (r.options !== undefined && !isObject(r.options)) return "options are not an object";
  if (r.options?.aliases !== undefined && !isStringList(r.options.aliases)) return "options.aliases are not a list of URNs";
  if (r.options?.replaceOnChanges !== undefined && !isStringList(r.options.replaceOnChanges)) return "options.replaceOnChanges are not a list of input names";
  return undefined;
}

function readPlan(file: string): Plan {
  const { value, issue } = readJsonFile(file);
  if (issue) throw new ToolError(`${file} is not an offline plan (write one with npm run plan -- --json ${file}): ${issue.path === "$" ? issue.problem : `at ${issue.path} it ${issue.problem}`}`);
  const problem = planProblem(value);
  if (problem) throw new ToolError(`${file} is not an offline plan: it ${problem}; write one with npm run plan -- --stack <name> --json ${file}`);
  return value as Plan;
}

async function main(): Promise<number> {
  const { positionals } = parseCommandLine({ allowPositionals: true, options: {} });
  if (positionals.length !== 2) throw new UsageError(`give two plan files (base and head), not ${positionals.length}`);
  const [basePath, headPath] = positionals;
  const head = readPlan(inputFile("<head.json>", headPath));
  // A base that is missing is a new stack; one that exists must be a file.
  const base = basePath === "-" || !fs.existsSync(basePath) ? undefined : readPlan(inputFile("<base.json>", basePath));
  if (base && (base.project !== head.project || base.stack !== head.stack))
    throw new ToolError(`${basePath} plans ${base.project}/${base.stack} but ${headPath} plans ${head.project}/${head.stack}: compare two plans of the same stack`);
  process.stdout.write(formatDiffMarkdown(`${head.project}/${head.stack}`, diffPlans(base, head)));
  return 0;
}

runCommand("plan:diff", USAGE, main);
