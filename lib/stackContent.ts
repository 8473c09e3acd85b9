import * as fs from "node:fs";
import * as path from "node:path";
import { StackConfig } from "./config/validate";
import { AuthProfile, loadAuthProfile } from "./dataActions/auth";
import { DataActionDefinition, fillPlaceholders, loadDataActionDefinitionFiles } from "./dataActions/definitions";
import { CAPABILITIES, CapabilityName, ROLE_IDS, hrisAdapter, roleById, roleIssues } from "../hris";
import { WorkflowSpec, loadWorkflowSpecs } from "./flows/contract";
import { callableAction, lintFlow } from "./flows/lint";
import { FileIssue, FileValidationError } from "./jsonFile";

import { PROJECT_ROOT } from "./paths";
import { cachedStackContent } from "./stackContentCache";
import { ACTION_SUFFIX_LENGTH } from "./lifecycle/identity";

export { PROJECT_ROOT };

/** Placeholders data action definitions may use, and their value for a stack: `{{apiBase}}` and the adapter's own. */
export function actionPlaceholders(config: StackConfig): Record<string, string> {
  return { apiBase: config.hris.baseUrl, ...hrisAdapter(config.hris.kind).placeholders(config.hris) };
}

/** A data action ready to deploy: placeholders filled, final name, auth headers merged. */
export type DeployableDataAction = DataActionDefinition & { baseName: string };

/** A workflow ready to deploy: its file, final name and the substitutions the Flow resource applies. */
export interface DeployableFlow {
  spec: WorkflowSpec;
  /** Path relative to the project root (the provider reads it from the working directory). */
  file: string;
  name: string;
  substitutions: Record<string, string>;
  /** Substitution keys that hold a data action's name → that action's name (deployed with an identity suffix). */
  actionSubstitutions: Record<string, string>;
  /** Names of the data actions it calls. */
  calls: string[];
}

/** Everything a stack deploys that comes from files rather than config, validated. */
export interface StackContent {
  actions: DeployableDataAction[];
  auth: AuthProfile;
  /** What the HRIS can do that the workflows adapt to. */
  capabilities: Record<CapabilityName, boolean>;
  flows: DeployableFlow[];
}

const isLoopbackUrl = (u: URL) => ["localhost", "[::1]"].includes(u.hostname) || /^127\./.test(u.hostname);

/**
 * Loads, validates and renders the data actions and auth profile of a stack. Throws a FileValidationError
 * (file + JSON path for every problem) before anything is registered. The compiled tools keep the result for their
 * next start while nothing it read changes (lib/stackContentCache.ts).
 */
export function loadStackContent(config: StackConfig, root = PROJECT_ROOT): StackContent {
  return cachedStackContent(config, root, () => loadContent(config, root));
}

function loadContent(config: StackConfig, root: string): StackContent {
  const adapter = hrisAdapter(config.hris.kind);
  const source = adapter.definitions(config.hris, root);
  const vars = actionPlaceholders(config);
  const roleProblems = roleFileIssues(source.roleFiles, source.dir, root);
  if (roleProblems.length) throw new FileValidationError("Invalid data action definitions", roleProblems);
  // Each action is checked against the role it serves and the adapter's own expectations, with the generic rules.
  const capabilities = source.capabilities ?? adapter.capabilities;
  if (!capabilities) throw new Error(`HRIS adapter ${adapter.kind} declares no capabilities`);
  const definitions = loadDataActionDefinitionFiles(source.roleFiles, Object.keys(vars), root, {
    check: (def) => [...roleIssues(def, roleById(def.id)!, capabilities), ...(adapter.lintDefinition?.(def) ?? [])],
    unreadInputs: (role) => (source.unreadInputs ?? adapter.unreadInputs)?.[role] ?? [],
  });
  const auth = loadAuthProfile(source.dir, config.hris.auth.type, root);

  const issues: FileIssue[] = [];
  const actions = definitions.map((raw) => {
    const def = fillPlaceholders(raw, vars);
    const name = `${config.genesys.actionNamePrefix}${def.name}`;
    const deployedLength = name.length + ACTION_SUFFIX_LENGTH;
    if (deployedLength > 256)
      issues.push({
        file: def.file,
        path: "$.name",
        problem: `becomes "${name}" with genesys.actionNamePrefix, ${deployedLength} characters with its ${ACTION_SUFFIX_LENGTH}-character identity suffix; Genesys allows 256`,
        fix: "shorten the prefix or the name",
      });
    // The URL is a Velocity template: check the part before the first reference.
    const literal = def.request.requestUrlTemplate.split("$")[0];
    if (URL.canParse(literal)) {
      const url = new URL(literal);
      if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackUrl(url)))
        issues.push({ file: def.file, path: "$.config.request.requestUrlTemplate", problem: `renders to ${literal}, which is not https`, fix: "use an https base URL" });
    } else issues.push({ file: def.file, path: "$.config.request.requestUrlTemplate", problem: "does not start with an absolute URL", fix: "start it with {{apiBase}}" });
    return {
      ...def,
      baseName: def.name,
      name,
      timeoutSeconds: def.timeoutSeconds ?? config.genesys.actionTimeoutSeconds,
      request: { ...def.request, headers: { ...def.request.headers, ...auth.actionHeaders } },
    };
  });
  if (issues.length) throw new FileValidationError("Invalid data action definitions", issues);
  return { actions, auth, capabilities, flows: loadFlows(config, actions, capabilities, root) };
}

/** Every role has exactly one definition, and every definition serves a role. */
function roleFileIssues(roleFiles: Record<string, string>, dir: string, root: string): FileIssue[] {
  const issues: FileIssue[] = [];
  for (const [id, file] of Object.entries(roleFiles))
    if (!ROLE_IDS.includes(id))
      issues.push({ file: path.relative(root, file), path: "$", problem: `is mapped to "${id}", which is not a role the workflows call`, fix: `map it to one of: ${ROLE_IDS.join(", ")}, or remove it` });
  for (const id of ROLE_IDS)
    if (!roleFiles[id] && !roleById(id)!.optional)
      issues.push({ file: path.relative(root, dir) || dir, path: "$", problem: `has no data action for the role ${id} (${roleById(id)!.description})`, fix: `add ${id}.json (or map a definition to ${id})` });
  return issues;
}

// Only the exact `{{key}}` is replaced by the flow resource (lib/flows/archy/placeholders.ts); the lint reports `{{ key }}`.
const PLACEHOLDER = /\{\{([^{}\s]+)\}\}/g;

/** Values the flows' `{{placeholders}}` may take for a stack. */
export function flowPlaceholders(config: StackConfig, actions: DeployableDataAction[], capabilities: Record<CapabilityName, boolean>): Record<string, string> {
  const vars: Record<string, string> = {
    division: config.genesys.division,
    data_action_category: config.genesys.integrationName,
    hours_per_day: String(config.hris.hoursPerDay),
  };
  for (const [name, capability] of Object.entries(CAPABILITIES)) vars[capability.placeholder] = String(capabilities[name as CapabilityName]);
  for (const a of actions) vars[actionPlaceholder(a.id)] = a.name;
  return vars;
}

const actionPlaceholder = (role: string) => `action_${role.replace(/-/g, "_")}`;

/** Loads and lints the five workflows; throws a FileValidationError (file + line) listing every problem. */
function loadFlows(config: StackConfig, actions: DeployableDataAction[], capabilities: Record<CapabilityName, boolean>, root: string): DeployableFlow[] {
  const flowsDir = path.join(root, "flows");
  const vars = flowPlaceholders(config, actions, capabilities);
  const callable = new Map(actions.map((a) => [a.name, callableAction(a)]));
  const issues: FileIssue[] = [];
  const served = new Set(actions.map((a) => actionPlaceholder(a.id)));
  const unserved = new Set(ROLE_IDS.map(actionPlaceholder).filter((p) => !served.has(p)));
  const flows: DeployableFlow[] = [];
  for (const spec of loadWorkflowSpecs(flowsDir)) {
    const full = path.join(flowsDir, spec.file);
    const file = path.relative(root, full);
    const name = `${config.genesys.flowNamePrefix}${spec.name}`;
    // Substitute exactly what the file uses; an unknown placeholder is left for the lint to report.
    const used = new Set([...fs.readFileSync(full, "utf8").matchAll(PLACEHOLDER)].map((m) => m[1]));
    // An optional workflow calling an optional role the HRIS does not serve is not deployed (config validation
    // already made sure WFM does not expect it).
    if (spec.optional && [...used].some((p) => unserved.has(p))) continue;
    const all: Record<string, string> = { ...vars, flow_name: name };
    const substitutions = Object.fromEntries(Object.keys(all).filter((k) => used.has(k)).sort().map((k) => [k, all[k]]));
    const result = lintFlow({ spec, path: full, file, flowName: name, substitutions, category: config.genesys.integrationName, actions: callable });
    issues.push(...result.issues);
    const actionSubstitutions = Object.fromEntries(actions.filter((a) => actionPlaceholder(a.id) in substitutions).map((a) => [actionPlaceholder(a.id), a.name]));
    flows.push({ spec, file, name, substitutions, actionSubstitutions, calls: result.flow.calls });
  }
  if (issues.length) throw new FileValidationError("Invalid workflows", issues);
  return flows;
}
