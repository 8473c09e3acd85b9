import YAML, { LineCounter, isMap as isMapNode, isScalar } from "yaml";
import { FileIssue } from "../../jsonFile";
import { CallableAction } from "./actions";
import { CALL_DATA_OUTPUTS, FAILURE_OUTPUTS } from "./failureOutputs";
import { FLOW_TYPES } from "./flowTypes";
import { UNSAFE_IN_SUBSTITUTION, findPlaceholders, substitute } from "./placeholders";
import { VARIABLE_KINDS } from "./variableKinds";

/**
 * The generic Archy layer: what Archy (or the `genesyscloud_flow` provider that runs it) would reject in any flow,
 * of any flow type, checked offline. It knows nothing of WFM HRIS; lib/flows/wfmHrisLayer.ts adds the product's
 * rules on top. It must give no finding on a real, published flow (test/flowLint.test.ts runs it on a corpus
 * of Genesys-authored flows), so each rule is one a source shows Archy enforces; see docs/architect.md.
 */

export type Path = (string | number)[];

export interface ArchyLintInput {
  /** The file's text as on disk, before substitution. */
  text: string;
  /** Path shown in messages. */
  file: string;
  /**
   * The substitutions the flow resource applies. When given, every exact placeholder must have one and every one
   * must be used. When absent (a user's own flow), placeholders are read as their key for parsing.
   */
  substitutions?: Readonly<Record<string, string>>;
  /** Data actions whose contracts callData is checked against, by name. Without it, only the call's shape is checked. */
  actions?: ReadonlyMap<string, CallableAction>;
  /** Where `actions` come from, for messages ("this stack", "actions/"). */
  actionsFrom?: string;
}

export interface DeclaredVariable {
  name: string;
  kind: string;
  type: string;
  collection: boolean;
  input: boolean;
  output: boolean;
  line?: number;
}

export interface CallSite {
  line?: number;
  category: string;
  action: string;
  /** The contract it was checked against, when the action is known. */
  resolved?: CallableAction;
  /** Which of success, failure, timeout have actions. */
  outputs: string[];
}

export interface ArchyFlow {
  flowType: string;
  body: Record<string, unknown>;
  /** Flow-level variables (`<root>.variables`). */
  flowVariables: DeclaredVariable[];
  calls: CallSite[];
  /** Every Flow./State./Task. variable the flow reads or writes, and whether a declaration is in scope. */
  references: Reference[];
  lineAt: (p: Path) => number | undefined;
}

/**
 * A use of a flow-declared scope. Archy does not require a declaration: Genesys' own flows assign and read
 * undeclared Task variables (automated-callback-blueprint "Proactive callback offer.yaml" L61-90, Task.EWT), so an
 * undeclared reference is not an Archy error; a layer that wants every variable declared reads this list.
 */
export interface Reference {
  name: string;
  /** Where it is (lineAt gives the line; looked up only when reported). */
  at: Path;
  declared: boolean;
}

/** Scopes whose variables a flow declares itself; other prefixes (Call., Message., Session., Slot., ...) are Architect's. */
const DECLARED_SCOPES = ["Flow", "State", "Task"];
const REFERENCE = /\b(Flow|State|Task)\.([A-Za-z_][A-Za-z0-9_]*)/g;
/** `/workflow/states/state[Initial State_10]` or `./menus/menu[mainMenu]`. */
const OBJECT_REF = /^(?:\/([A-Za-z]+)|\.)\/([A-Za-z]+)\/([A-Za-z]+)\[(.+)\]$/;

/** `Flow.x[0]`, `Flow.x.y` → `Flow.x`. */
const baseName = (ref: string) => ref.split(/[.[]/).slice(0, 2).join(".");

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** An Architect expression without its string literals (`"..."`, where `""` and `\"` stay inside). */
const STRING_LITERAL = /"(?:[^"\\]|\\.|"")*"/g;
const withoutStrings = (exp: string) => exp.replace(STRING_LITERAL, '""');

/**
 * What no Architect expression can be, whatever its functions: a string literal left open, or brackets that do not
 * pair up (`If(IsSet(x), 1, 2`). Archy refuses such a flow at publish; found here, the lint names its line.
 */
function expressionSyntaxProblem(exp: string): string | undefined {
  const code = exp.replace(STRING_LITERAL, "");
  if (code.includes('"')) return "a string literal (\"...\") is not closed";
  const open: string[] = [];
  for (const c of code) {
    if (c === "(" || c === "[") open.push(c);
    else if (c === ")" || c === "]") {
      const expected = c === ")" ? "(" : "[";
      if (open.pop() !== expected) return `'${c}' closes nothing`;
    }
  }
  return open.length ? `'${open[open.length - 1]}' is not closed` : undefined;
}

export function lintArchyFlow(input: ArchyLintInput): { issues: FileIssue[]; flow?: ArchyFlow } {
  const { file } = input;
  const issues: FileIssue[] = [];
  const issue = (line: number | undefined, problem: string, fix?: string) => issues.push({ file, path: line ? `line ${line}` : "$", problem, fix });

  // Placeholders, as the provider replaces them.
  const placeholders = findPlaceholders(input.text);
  for (const p of placeholders.filter((x) => !x.exact))
    issue(p.line, `writes the placeholder {{${p.inner}}} with spaces inside the braces; the flow resource replaces only the exact {{${p.inner.trim()}}}`, `write {{${p.inner.trim()}}}`);
  let values: Record<string, string>;
  if (input.substitutions) {
    values = { ...input.substitutions };
    const used = new Set(placeholders.filter((p) => p.exact).map((p) => p.inner));
    const reported = new Set<string>();
    for (const p of placeholders.filter((x) => x.exact && !(x.inner in values!) && !reported.has(x.inner))) {
      reported.add(p.inner);
      issue(p.line, `uses the placeholder {{${p.inner}}}, which has no substitution`, `use one of: ${Object.keys(values).map((k) => `{{${k}}}`).join(", ") || "(none)"}`);
    }
    for (const [key, value] of Object.entries(values)) {
      if (!used.has(key)) issue(undefined, `has a substitution for {{${key}}} that the file never uses`, "remove the substitution or use the placeholder");
      if (UNSAFE_IN_SUBSTITUTION.test(value))
        issue(undefined, `cannot take ${JSON.stringify(value)} for {{${key}}}: quotes, backslashes, braces and line breaks would break the flow YAML`, "choose names without those characters");
    }
  } else values = Object.fromEntries(placeholders.filter((p) => p.exact).map((p) => [p.inner, p.inner]));
  // Placeholders read as their own key: a call named by one cannot be checked against a contract.
  const unfilled = input.substitutions ? new Set<string>() : new Set(Object.keys(values));

  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(substitute(input.text, values), { lineCounter, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) issue(e.linePos?.[0].line, `is not valid YAML${placeholders.length ? " after substitution" : ""}: ${e.message.split("\n")[0]}`, "fix the YAML syntax");
    return { issues };
  }
  // The line of a map entry's key (where a reader looks for `successOutputs.x`), else of the node itself.
  const lineAt = (p: Path) => {
    const parent = p.length ? doc.getIn(p.slice(0, -1), true) : undefined;
    const key = isMapNode(parent) ? parent.items.find((i) => isScalar(i.key) && i.key.value === p[p.length - 1])?.key : undefined;
    const node = (key ?? doc.getIn(p, true)) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (e) {
    // The yaml library refuses aliases that expand without bound (a "billion laughs" file).
    issue(undefined, `cannot be read: ${(e as Error).message}`, "write the values out instead of repeating aliases (*name)");
    return { issues };
  }
  const rootKeys = isMap(root) ? Object.keys(root) : [];
  if (rootKeys.length === 1 && rootKeys[0] in FLOW_TYPES && !isMap((root as Record<string, unknown>)[rootKeys[0]])) {
    issue(lineAt([rootKeys[0]]), `has \`${rootKeys[0]}:\` without the flow under it (a map with name, variables, states, ...)`, `write the flow's settings indented under ${rootKeys[0]}:`);
    return { issues };
  }
  if (rootKeys.length !== 1 || !(rootKeys[0] in FLOW_TYPES) || !isMap((root as Record<string, unknown>)[rootKeys[0]])) {
    issue(1, `must be one top-level map named for its flow type; found ${rootKeys.length ? rootKeys.map((k) => `\`${k}:\``).join(", ") : "no map"}`, `start the file with one of: ${Object.keys(FLOW_TYPES).map((k) => `${k}:`).join(", ")}`);
    return { issues };
  }
  const flowType = rootKeys[0];
  const body = (root as Record<string, Record<string, unknown>>)[flowType];
  if (typeof body.name !== "string" || !body.name.trim()) issue(lineAt([flowType]), `has no flow name (\`${flowType}.name\`)`, "add name:");

  // Object references (startUpRef, targetState, targetTaskRef, ...) must point at an element of this flow.
  const checkRef = (ref: string, at: Path) => {
    const m = OBJECT_REF.exec(ref);
    if (!m) return;
    if (m[1] !== undefined && m[1] !== flowType) return issue(lineAt(at), `points at ${ref}, outside this ${flowType} flow`, `use /${flowType}/...`);
    const list = body[m[2]];
    const found = Array.isArray(list) && list.some((item) => isMap(item) && isMap(item[m[3]]) && (item[m[3]] as Record<string, unknown>).refId === m[4]);
    if (!found) issue(lineAt(at), `points at ${ref}, but ${flowType}.${m[2]} has no ${m[3]} with refId "${m[4]}"`, `use the refId of an existing ${m[3]}`);
  };
  if (typeof body.startUpRef === "string") checkRef(body.startUpRef, [flowType, "startUpRef"]);

  // Declarations: every `variables:` list, each item one known kind with a name in its scope.
  const declare = (list: unknown, at: Path): DeclaredVariable[] => {
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      issue(lineAt(at), "has `variables:` that is not a list", "make it a list of `- <kind>Variable:` items");
      return [];
    }
    const out: DeclaredVariable[] = [];
    list.forEach((item, i) => {
      const line = lineAt([...at, i]);
      const keys = isMap(item) ? Object.keys(item) : [];
      const kind = VARIABLE_KINDS.get(keys[0]);
      if (keys.length !== 1 || !kind) {
        issue(line, `declares a variable of unknown kind \`${keys.join(", ") || String(item)}\``, "use an Architect variable kind such as stringVariable, dateTimeVariable, queueVariable or their Collection forms");
        return;
      }
      const decl = (item as Record<string, Record<string, unknown>>)[keys[0]] ?? {};
      if (typeof decl.name !== "string" || !/^[A-Za-z]+\.[A-Za-z_][A-Za-z0-9_]*$/.test(decl.name)) {
        issue(line, `declares a ${keys[0]} without a name of the form Scope.name`, "set name: Flow.x (flow level), State.x or Task.x");
        return;
      }
      out.push({ name: decl.name, kind: keys[0], ...kind, input: decl.isInput === true, output: decl.isOutput === true, line });
    });
    return out;
  };
  const flowVariables = declare(body.variables, [flowType, "variables"]);

  const calls: CallSite[] = [];
  const references: Reference[] = [];
  const walk = (node: unknown, at: Path, scope: ReadonlyMap<string, DeclaredVariable>) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, [...at, i], scope));
    if (!isMap(node)) return;
    let inner = scope;
    if ("variables" in node && at.length > 1) inner = new Map([...scope, ...declare(node.variables, [...at, "variables"]).map((v) => [v.name, v] as const)]);
    const isAction = typeof at[at.length - 1] === "number";
    for (const [key, value] of Object.entries(node)) {
      const here = [...at, key];
      if (key === "variables" && at.length > 1) continue;
      if (typeof value === "string") {
        if ((key === "var" || key === "variable") && DECLARED_SCOPES.includes(value.split(".")[0])) references.push({ name: baseName(value), at: here, declared: inner.has(baseName(value)) });
        if (key === "exp") {
          for (const m of withoutStrings(value).matchAll(REFERENCE)) references.push({ name: `${m[1]}.${m[2]}`, at: here, declared: inner.has(`${m[1]}.${m[2]}`) });
          const syntax = expressionSyntaxProblem(value);
          if (syntax) issue(lineAt(here), `has an expression that does not parse: ${syntax}`, "close every string literal and bracket the expression opens");
        }
        if (key !== "startUpRef") checkRef(value, here);
      }
      // A Call Data Action is an item of an actions list; settingsActionDefaults.callData is not a call.
      if (key === "callData" && isAction && isMap(value)) {
        const call = checkCall(value, here, input.actions, input.actionsFrom ?? "the given set of data actions", unfilled, lineAt, issue);
        if (call) calls.push(call);
      }
      if (key === "updateData" && isAction && isMap(value)) checkStatements(value.statements, [...here, "statements"], inner, lineAt, issue);
      walk(value, here, inner);
    }
  };
  walk(body, [flowType], new Map(flowVariables.map((v) => [v.name, v])));
  return { issues, flow: { flowType, body, flowVariables, calls, references, lineAt } };
}

/** callData: one category, one data action, bindings against the action's real contract, known output paths. */
function checkCall(
  call: Record<string, unknown>,
  at: Path,
  actions: ReadonlyMap<string, CallableAction> | undefined,
  actionsFrom: string,
  unfilled: ReadonlySet<string>,
  lineAt: (p: Path) => number | undefined,
  issue: (line: number | undefined, problem: string, fix?: string) => void,
): CallSite | undefined {
  const line = lineAt([...at, "category"]) ?? lineAt(at);
  const categories = isMap(call.category) ? Object.keys(call.category) : [];
  if (categories.length !== 1) {
    issue(line, "has a callData without exactly one category", "name the data action integration under category:");
    return undefined;
  }
  const body = (call.category as Record<string, unknown>)[categories[0]];
  const names = isMap(body) && isMap(body.dataAction) ? Object.keys(body.dataAction) : [];
  if (names.length !== 1) {
    issue(line, "has a callData without exactly one dataAction", "name one data action under dataAction:");
    return undefined;
  }
  const actionAt = [...at, "category", categories[0], "dataAction", names[0]];
  const spec = ((body as { dataAction: Record<string, unknown> }).dataAction[names[0]] ?? {}) as Record<string, unknown>;
  const outputs = isMap(call.outputs) ? call.outputs : {};
  for (const k of Object.keys(outputs))
    if (!CALL_DATA_OUTPUTS.includes(k)) issue(lineAt([...at, "outputs", k]), `has a callData output "${k}"; a data action call has only ${CALL_DATA_OUTPUTS.join(", ")}`, "rename or remove it");
  for (const k of Object.keys(isMap(spec.failureOutputs) ? spec.failureOutputs : {}))
    if (!FAILURE_OUTPUTS.includes(k))
      issue(lineAt([...actionAt, "failureOutputs", k]), `reads the failure output ${k}, which Architect does not offer`, `use one of: ${FAILURE_OUTPUTS.join(", ")}`);
  const site: CallSite = { line, category: categories[0], action: names[0], outputs: CALL_DATA_OUTPUTS.filter((o) => isMap(outputs[o])) };
  if (!actions) return site;
  const action = actions.get(names[0]);
  if (!action && unfilled.has(names[0])) {
    issue(lineAt(actionAt), `calls the data action named by the placeholder {{${names[0]}}}, which has no value here, so its contract cannot be checked`, `give it the action's name as a substitution (lint:flow --sub ${names[0]}=<action name>)`);
    return site;
  }
  if (!action) {
    issue(lineAt(actionAt), `calls the data action "${names[0]}", which ${actionsFrom} does not define`, `use one of: ${[...actions.keys()].join(", ") || "(none)"}`);
    return site;
  }
  site.resolved = action;
  const inputs = Object.keys(isMap(spec.inputs) ? spec.inputs : {});
  for (const k of inputs)
    if (!action.inputs.includes(k)) issue(lineAt([...actionAt, "inputs", k]), `passes the input ${k}, which ${action.name} does not take`, `use one of: ${action.inputs.join(", ") || "none"}`);
  for (const k of action.requiredInputs) if (!inputs.includes(k)) issue(lineAt(actionAt), `calls ${action.name} without its required input ${k}`, `add ${k} under inputs:`);
  for (const k of Object.keys(isMap(spec.successOutputs) ? spec.successOutputs : {}))
    if (!action.outputs.includes(k))
      issue(lineAt([...actionAt, "successOutputs", k]), `reads the output ${k}, which ${action.name} does not have`, `use one of: ${action.outputs.join(", ")}`);
  return site;
}

/**
 * updateData statements: the statement key is the data type it assigns (`string`, `integer`, `dateTime`,
 * `stringCollection`, `agentScorePairCollection` in Genesys' flows), so a declared variable must be of that kind.
 */
function checkStatements(
  statements: unknown,
  at: Path,
  scope: ReadonlyMap<string, DeclaredVariable>,
  lineAt: (p: Path) => number | undefined,
  issue: (line: number | undefined, problem: string, fix?: string) => void,
) {
  if (!Array.isArray(statements)) return;
  statements.forEach((st, i) => {
    const keys = isMap(st) ? Object.keys(st) : [];
    if (keys.length !== 1) return;
    const body = (st as Record<string, unknown>)[keys[0]];
    const name = isMap(body) && typeof body.variable === "string" ? baseName(body.variable) : undefined;
    const kind = VARIABLE_KINDS.get(`${keys[0]}Variable`);
    if (!kind) return issue(lineAt([...at, i]), `has an updateData statement \`${keys[0]}\`, which is not an Architect data type`, "use the variable's type: string, integer, dateTime, stringCollection, ...");
    const declared = name ? scope.get(name) : undefined;
    if (declared && (declared.type !== kind.type || declared.collection !== kind.collection))
      issue(lineAt([...at, i, keys[0], "variable"]), `assigns ${name} with a \`${keys[0]}\` statement, but it is declared as ${declared.kind}`, `use \`- ${declared.kind.replace(/Variable$/, "")}:\``);
  });
}
