import * as fs from "node:fs";
import YAML, { LineCounter } from "yaml";
import { flattenedNames } from "../dataActions/flatten";
import { FileIssue } from "../jsonFile";
import { ContractVariable, WorkflowSpec } from "./contract";

/**
 * Flow lint: what Archy would reject at publish time, and what the WFM HRIS contract requires, checked before
 * anything is deployed. Errors name the file, the line and the fix.
 */

/** What the lint needs to know about a data action the flows may call. */
export interface CallableAction {
  name: string;
  inputs: string[];
  requiredInputs: string[];
  outputs: string[];
}

export function callableAction(a: { name: string; contractInput: Record<string, unknown>; contractOutput: Record<string, unknown> }): CallableAction {
  return {
    name: a.name,
    inputs: Object.keys((a.contractInput.properties ?? {}) as object),
    requiredInputs: ((a.contractInput.required ?? []) as string[]).slice(),
    outputs: flattenedNames(a.contractOutput as never),
  };
}

/** Outputs of a failed data action call, as Architect flattens Genesys' error body. */
export const FAILURE_OUTPUTS = [
  "errorCode",
  "status",
  "correlationId",
  "entityId",
  "entityName",
  "userMessage",
  "userParamsMessage",
  "userParams.key",
  "userParams.value",
  "details.errorCode",
  "details.fieldName",
  "details.entityId",
  "details.entityName",
  "errors",
];

/** Archy variable kinds and the contract type each declares. */
const VARIABLE_KINDS: Record<string, { type: string; collection: boolean }> = {
  stringVariable: { type: "string", collection: false },
  integerVariable: { type: "integer", collection: false },
  booleanVariable: { type: "boolean", collection: false },
  decimalVariable: { type: "decimal", collection: false },
  jsonVariable: { type: "json", collection: false },
  stringCollectionVariable: { type: "string", collection: true },
  integerCollectionVariable: { type: "integer", collection: true },
  booleanCollectionVariable: { type: "boolean", collection: true },
};

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
/** Characters that would break the YAML a substitution lands in (quoted scalars) or Archy's references. */
const UNSAFE_IN_SUBSTITUTION = /["'\\\n\r{}]/;

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

/** Checks one flow; returns the issues found (empty when it is fine) and the actions it calls. */
export function lintFlow(input: FlowLintInput): { issues: FileIssue[]; flow: LintedFlow } {
  const { file } = input;
  const issues: FileIssue[] = [];
  const issue = (line: number | undefined, problem: string, fix?: string) => issues.push({ file, path: line ? `line ${line}` : "$", problem, fix });
  const raw = fs.readFileSync(input.path, "utf8");

  // Placeholders: every one used has a substitution, every substitution is used, values are safe to insert.
  const used = new Set<string>();
  raw.split("\n").forEach((text, i) => {
    for (const m of text.matchAll(PLACEHOLDER)) {
      used.add(m[1]);
      if (!(m[1] in input.substitutions))
        issue(i + 1, `uses the placeholder {{${m[1]}}}, which has no substitution`, `use one of: ${Object.keys(input.substitutions).map((k) => `{{${k}}}`).join(", ")}`);
    }
  });
  for (const [key, value] of Object.entries(input.substitutions)) {
    if (!used.has(key)) issue(undefined, `has a substitution for {{${key}}} that the file never uses`, "remove the substitution or use the placeholder");
    if (UNSAFE_IN_SUBSTITUTION.test(value))
      issue(undefined, `cannot take ${JSON.stringify(value)} for {{${key}}}: quotes, backslashes, braces and line breaks would break the flow YAML`, "choose names without those characters");
  }

  const text = raw.replace(PLACEHOLDER, (whole, key: string) => input.substitutions[key] ?? whole);
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) issue(e.linePos?.[0].line, `is not valid YAML after substitution: ${e.message.split("\n")[0]}`, "fix the YAML syntax");
    return { issues, flow: { calls: [] } };
  }
  const lineAt = (p: (string | number)[]) => {
    const node = doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const root = doc.toJS() as { workflow?: Record<string, unknown> } | null;
  const wf = root?.workflow;
  if (!wf || typeof wf !== "object") {
    issue(1, "has no top-level `workflow:` map, so Archy would not publish it as a workflow", "start the file with `workflow:`");
    return { issues, flow: { calls: [] } };
  }

  // Flow name rules (Genesys): at most 200 characters, no '/', not ending in -debug; and the configured name.
  const name = String(wf.name ?? "");
  const nameLine = lineAt(["workflow", "name"]);
  if (name !== input.flowName) issue(nameLine, `names the flow "${name}", expected "${input.flowName}"`, "set `name: \"{{flow_name}}\"`");
  if (name.length > 200) issue(nameLine, `has a flow name of ${name.length} characters; Genesys allows 200`, "shorten genesys.flowNamePrefix");
  if (name.includes("/")) issue(nameLine, `has a flow name with '/', which Genesys rejects`, "remove '/' from genesys.flowNamePrefix");
  if (/-debug$/i.test(name)) issue(nameLine, `has a flow name ending in -debug, which Genesys reserves`, "rename the flow");

  // Variables: the contract exactly, plus State variables; every reference declared.
  const declared = new Map<string, { type: string; collection: boolean; input: boolean; output: boolean; line?: number }>();
  const collectVariables = (list: unknown, at: (string | number)[]) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const [kind] = Object.keys(item ?? {});
      const body = (item as Record<string, Record<string, unknown>>)[kind] ?? {};
      const line = lineAt([...at, i]);
      const shape = VARIABLE_KINDS[kind];
      if (!shape) {
        issue(line, `declares a variable of unknown kind \`${kind}\``, `use one of: ${Object.keys(VARIABLE_KINDS).join(", ")}`);
        return;
      }
      declared.set(String(body.name), { ...shape, input: body.isInput === true, output: body.isOutput === true, line });
    });
  };
  collectVariables(wf.variables, ["workflow", "variables"]);
  const states = Array.isArray(wf.states) ? (wf.states as Record<string, Record<string, unknown>>[]) : [];
  states.forEach((s, i) => collectVariables(s.state?.variables, ["workflow", "states", i, "state", "variables"]));
  checkContract(input.spec.variables, declared, lineAt(["workflow", "variables"]), issue);

  // Walk every action: data action calls and variable references.
  const calls = new Set<string>();
  const walk = (node: unknown, at: (string | number)[]) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...at, i]));
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(obj)) {
      if ((key === "var" || key === "variable") && typeof value === "string" && !declared.has(value))
        issue(lineAt([...at, key]), `refers to ${value}, which is not declared`, "declare it under variables or fix the name");
      if (key === "callData") checkCall(value as Record<string, unknown>, [...at, key], input, lineAt, issue, calls);
      walk(value, [...at, key]);
    }
  };
  walk(wf.states, ["workflow", "states"]);
  return { issues, flow: { calls: [...calls].sort() } };
}

function checkContract(
  contract: ContractVariable[],
  declared: Map<string, { type: string; collection: boolean; input: boolean; output: boolean; line?: number }>,
  variablesLine: number | undefined,
  issue: (line: number | undefined, problem: string, fix?: string) => void,
) {
  const expected = new Map(contract.map((v) => [`Flow.${v.name}`, v]));
  for (const [name, v] of expected) {
    const d = declared.get(name);
    const want = `${v.collection ? `${v.type} collection` : v.type}, ${v.direction}`;
    if (!d) {
      issue(variablesLine, `lacks ${name} (${want}) from the WFM HRIS contract`, `declare ${name} as ${v.collection ? `${v.type}CollectionVariable` : `${v.type}Variable`} with isInput: ${v.direction === "input"}, isOutput: ${v.direction === "output"}`);
      continue;
    }
    if (d.type !== v.type || d.collection !== v.collection)
      issue(d.line, `declares ${name} as ${d.collection ? `${d.type} collection` : d.type}; the WFM HRIS contract says ${v.collection ? `${v.type} collection` : v.type}`, `declare it as ${v.collection ? `${v.type}CollectionVariable` : `${v.type}Variable`}`);
    if (d.input !== (v.direction === "input") || d.output !== (v.direction === "output"))
      issue(d.line, `declares ${name} with isInput: ${d.input}, isOutput: ${d.output}; the contract makes it an ${v.direction}`, `set isInput: ${v.direction === "input"}, isOutput: ${v.direction === "output"}`);
  }
  for (const [name, d] of declared)
    if ((d.input || d.output) && !expected.has(name))
      issue(d.line, `declares ${name} as an ${d.input ? "input" : "output"}, which the WFM HRIS contract does not have`, "make it a State variable or remove it");
}

function checkCall(
  call: Record<string, unknown>,
  at: (string | number)[],
  input: FlowLintInput,
  lineAt: (p: (string | number)[]) => number | undefined,
  issue: (line: number | undefined, problem: string, fix?: string) => void,
  calls: Set<string>,
) {
  const category = call.category && typeof call.category === "object" ? Object.keys(call.category as object) : [];
  const line = lineAt([...at, "category"]);
  if (category.length !== 1) return issue(line, "has a callData without exactly one category", "name the data action integration under category:");
  if (category[0] !== input.category)
    issue(line, `calls a data action in category "${category[0]}", but this stack's actions are in "${input.category}"`, "use `\"{{data_action_category}}\"`");
  const body = (call.category as Record<string, { dataAction?: Record<string, Record<string, unknown>> }>)[category[0]];
  const names = Object.keys(body?.dataAction ?? {});
  if (names.length !== 1) return issue(line, "has a callData without exactly one dataAction", "name one data action under dataAction:");
  const action = input.actions.get(names[0]);
  const actionAt = [...at, "category", category[0], "dataAction", names[0]];
  if (!action)
    return issue(lineAt(actionAt), `calls the data action "${names[0]}", which this stack does not define`, `use one of: ${[...input.actions.keys()].join(", ")}`);
  calls.add(action.name);
  const spec = body!.dataAction![names[0]] ?? {};
  const inputs = Object.keys((spec.inputs ?? {}) as object);
  for (const k of inputs)
    if (!action.inputs.includes(k)) issue(lineAt([...actionAt, "inputs", k]), `passes the input ${k}, which ${action.name} does not take`, `use one of: ${action.inputs.join(", ") || "none"}`);
  for (const k of action.requiredInputs)
    if (!inputs.includes(k)) issue(lineAt(actionAt), `calls ${action.name} without its required input ${k}`, `add ${k} under inputs:`);
  for (const k of Object.keys((spec.successOutputs ?? {}) as object))
    if (!action.outputs.includes(k))
      issue(lineAt([...actionAt, "successOutputs", k]), `reads the output ${k}, which ${action.name} does not have`, `use one of: ${action.outputs.join(", ")}`);
  for (const k of Object.keys((spec.failureOutputs ?? {}) as object))
    if (!FAILURE_OUTPUTS.includes(k)) issue(lineAt([...actionAt, "failureOutputs", k]), `reads the failure output ${k}, which Genesys does not provide`, `use one of: ${FAILURE_OUTPUTS.join(", ")}`);
  for (const branch of ["success", "failure", "timeout"])
    if (!((call.outputs ?? {}) as Record<string, unknown>)[branch])
      issue(lineAt(at), `has no ${branch} branch: every outcome must set statusCode, status and errorMsg`, `add outputs.${branch}.actions`);
}

