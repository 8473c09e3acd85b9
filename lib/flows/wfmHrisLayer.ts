import * as fs from "node:fs";
import { FileIssue } from "../jsonFile";
import { CallableAction } from "./archy/actions";
import { ArchyFlow, DeclaredVariable, lintArchyFlow } from "./archy/lint";
import { ContractVariable, WorkflowSpec } from "./contract";
import { cachedLint } from "./lintCache";

/**
 * The WFM HRIS layer: rules for this product's five workflows only, on top of the generic Archy layer. A workflow
 * WFM calls must be a `workflow:`, be named as the stack configures it, declare exactly the WFM HRIS contract's
 * inputs and outputs, call only this stack's data actions in this stack's category, and answer WFM on every outcome
 * of each call. It also asks that every variable be declared, which Archy does not (see archy/lint.ts Reference),
 * so that a misspelt variable is caught here rather than created silently.
 */

export interface FlowLintInput {
  spec: WorkflowSpec;
  /** Absolute path of the flow file. */
  path: string;
  /** Path shown in messages. */
  file: string;
  /** The flow's name after substitution. */
  flowName: string;
  /** Placeholder → value. */
  substitutions: Record<string, string>;
  /** The data-action category (integration name) flows must use. */
  category: string;
  /** Data actions of this stack, by name. */
  actions: ReadonlyMap<string, CallableAction>;
}

export interface LintedFlow {
  /** Data action names the flow calls, sorted. */
  calls: string[];
}

type Issue = (line: number | undefined, problem: string, fix?: string) => void;

type LintResult = { issues: FileIssue[]; flow: LintedFlow };

/**
 * Checks one of the product's workflows: the generic Archy layer, then the WFM HRIS rules. The result depends on
 * the file's text and the rest of the input (not on where the file is), so that is the cache key (lintCache.ts).
 */
export function lintWfmHrisWorkflow(input: FlowLintInput): LintResult {
  const text = fs.readFileSync(input.path, "utf8");
  const { spec, file, flowName, substitutions, category, actions } = input;
  return cachedLint("wfm-hris-workflow", { text, spec, file, flowName, substitutions, category, actions }, () => lintText(input, text), restoreResult);
}

/** A result from its JSON, as lintText returns it: every issue with its four keys in order (`fix` may be undefined). */
function restoreResult(json: unknown): LintResult {
  const r = json as LintResult;
  return { issues: r.issues.map(({ file, path, problem, fix }) => ({ file, path, problem, fix })), flow: { calls: r.flow.calls } };
}

function lintText(input: FlowLintInput, text: string): LintResult {
  const { file } = input;
  const generic = lintArchyFlow({ text, file, substitutions: input.substitutions, actions: input.actions, actionsFrom: "this stack" });
  const issues = [...generic.issues];
  const issue: Issue = (line, problem, fix) => issues.push({ file, path: line ? `line ${line}` : "$", problem, fix });
  const flow = generic.flow;
  if (!flow) return { issues, flow: { calls: [] } };
  if (flow.flowType !== "workflow") {
    issue(1, `is an Archy ${flow.flowType} flow; WFM HRIS runs workflows`, "start the file with `workflow:`");
    return { issues, flow: { calls: [] } };
  }
  checkName(flow, input.flowName, issue);
  checkContract(input.spec.variables, flow.flowVariables, flow.lineAt(["workflow", "variables"]), issue);
  for (const r of flow.references.filter((x) => !x.declared)) issue(flow.lineAt(r.at), `refers to ${r.name}, which is not declared`, "declare it under variables or fix the name");
  const calls = new Set<string>();
  for (const call of flow.calls) {
    if (call.category !== input.category)
      issue(call.line, `calls a data action in category "${call.category}", but this stack's actions are in "${input.category}"`, "use `\"{{data_action_category}}\"`");
    if (call.resolved) calls.add(call.resolved.name);
    for (const branch of ["success", "failure", "timeout"])
      if (!call.outputs.includes(branch)) issue(call.line, `has no ${branch} branch: every outcome must set statusCode, status and errorMsg`, `add outputs.${branch}.actions`);
  }
  return { issues, flow: { calls: [...calls].sort() } };
}

/** Genesys flow name rules (at most 200 characters, no '/', not ending in -debug) and the configured name. */
function checkName(flow: ArchyFlow, expected: string, issue: Issue) {
  const name = String(flow.body.name ?? "");
  const line = flow.lineAt(["workflow", "name"]);
  if (name !== expected) issue(line, `names the flow "${name}", expected "${expected}"`, "set `name: \"{{flow_name}}\"`");
  if (name.length > 200) issue(line, `has a flow name of ${name.length} characters; Genesys allows 200`, "shorten genesys.flowNamePrefix");
  if (name.includes("/")) issue(line, `has a flow name with '/', which Genesys rejects`, "remove '/' from genesys.flowNamePrefix");
  if (/-debug$/i.test(name)) issue(line, `has a flow name ending in -debug, which Genesys reserves`, "rename the flow");
}

/** The flow's inputs and outputs are exactly the WFM HRIS contract's, with its types. */
function checkContract(contract: ContractVariable[], declared: DeclaredVariable[], variablesLine: number | undefined, issue: Issue) {
  const byName = new Map(declared.map((d) => [d.name, d]));
  const expected = new Map(contract.map((v) => [`Flow.${v.name}`, v]));
  const kindOf = (v: ContractVariable) => (v.collection ? `${v.type}CollectionVariable` : `${v.type}Variable`);
  for (const [name, v] of expected) {
    const d = byName.get(name);
    if (!d) {
      issue(variablesLine, `lacks ${name} (${v.collection ? `${v.type} collection` : v.type}, ${v.direction}) from the WFM HRIS contract`, `declare ${name} as ${kindOf(v)} with isInput: ${v.direction === "input"}, isOutput: ${v.direction === "output"}`);
      continue;
    }
    if (d.type !== v.type || d.collection !== v.collection)
      issue(d.line, `declares ${name} as ${d.collection ? `${d.type} collection` : d.type}; the WFM HRIS contract says ${v.collection ? `${v.type} collection` : v.type}`, `declare it as ${kindOf(v)}`);
    if (d.input !== (v.direction === "input") || d.output !== (v.direction === "output"))
      issue(d.line, `declares ${name} with isInput: ${d.input}, isOutput: ${d.output}; the contract makes it an ${v.direction}`, `set isInput: ${v.direction === "input"}, isOutput: ${v.direction === "output"}`);
  }
  for (const d of declared)
    if ((d.input || d.output) && !expected.has(d.name))
      issue(d.line, `declares ${d.name} as an ${d.input ? "input" : "output"}, which the WFM HRIS contract does not have`, "make it a State variable or remove it");
}
