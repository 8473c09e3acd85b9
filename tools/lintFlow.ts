/**
 * Lints any Archy YAML flow with the generic Archy layer (lib/flows/archy): flow type shape, variable kinds,
 * updateData types, object references, placeholders, and callData against the called actions' contracts.
 *
 *   npm run lint:flow -- <flow.yaml> [<flow.yaml> ...] [--actions <dir>] [--sub key=value ...]
 *
 * --actions: a folder of data action JSON exports; each callData must name one of them and match its contract.
 * --sub: the flow resource's substitutions; with any given, every {{placeholder}} must have one.
 * Exit 0 when clean, 1 with findings, 2 for a usage error.
 */
import * as fs from "node:fs";
import { FileIssue } from "../lib/jsonFile";
import { textProblem } from "../lib/plan/textFile";
import { CallableAction, lintArchyFlow, loadCallableActions } from "../lib/flows/lint";
import { UsageError, parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run lint:flow -- <flow.yaml> [<flow.yaml> ...] [--actions <dir>] [--sub key=value ...]";

const show = (i: FileIssue) => `${i.file} ${i.path}: ${i.problem}${i.fix ? `\n    fix: ${i.fix}` : ""}`;

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine({
    allowPositionals: true,
    options: { actions: { type: "string" }, sub: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError("name at least one flow file");
  for (const f of positionals) if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`${f}: no such file`);
  let substitutions: Record<string, string> | undefined;
  for (const pair of values.sub ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--sub ${pair}: write key=value`);
    (substitutions ??= {})[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  let actions: Map<string, CallableAction> | undefined;
  const issues: FileIssue[] = [];
  if (values.actions !== undefined) {
    if (!fs.existsSync(values.actions) || !fs.statSync(values.actions).isDirectory()) throw new UsageError(`--actions ${values.actions}: no such folder`);
    const loaded = loadCallableActions(values.actions);
    if (loaded.actions.size === 0) throw new UsageError(`--actions ${values.actions}: no data action JSON (name + contract.input.inputSchema + contract.output.successSchema) in it`);
    actions = loaded.actions;
    issues.push(...loaded.issues);
  }
  for (const file of positionals) {
    const bytes = fs.readFileSync(file);
    const notText = textProblem(bytes);
    if (notText) issues.push({ file, path: "$", problem: notText });
    else issues.push(...lintArchyFlow({ text: bytes.toString("utf8"), file, substitutions, actions, actionsFrom: values.actions }).issues);
  }
  for (const i of issues) process.stdout.write(`${show(i)}\n`);
  process.stdout.write(issues.length ? `${issues.length} finding${issues.length === 1 ? "" : "s"}\n` : `${positionals.length} flow${positionals.length === 1 ? "" : "s"}: no findings\n`);
  return issues.length ? 1 : 0;
}

runCommand("lint:flow", USAGE, main);
