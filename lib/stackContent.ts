import * as fs from "node:fs";
import * as path from "node:path";
import { StackConfig } from "./config/validate";
import { AuthProfile, loadAuthProfile } from "./dataActions/auth";
import { DataActionDefinition, fillPlaceholders, loadDataActionDefinitions } from "./dataActions/definitions";
import { WorkflowSpec, loadWorkflowSpecs } from "./flows/contract";
import { callableAction, lintFlow } from "./flows/lint";
import { FileIssue, FileValidationError } from "./jsonFile";

import { PROJECT_ROOT } from "./paths";
import { ACTION_SUFFIX_LENGTH } from "./lifecycle/identity";

export { PROJECT_ROOT };

/** Placeholders data action definitions may use, and their value for a stack. */
export function actionPlaceholders(config: StackConfig): Record<string, string> {
  return { apiBase: config.hris.baseUrl, companyDomain: config.hris.companyDomain };
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
  flows: DeployableFlow[];
}

const isLoopbackUrl = (u: URL) => ["localhost", "[::1]"].includes(u.hostname) || /^127\./.test(u.hostname);

/**
 * Loads, validates and renders the data actions and auth profile of a stack. Throws a FileValidationError
 * (file + JSON path for every problem) before anything is registered.
 */
export function loadStackContent(config: StackConfig, root = PROJECT_ROOT): StackContent {
  const actionsDir = path.join(root, "actions", config.hris.kind);
  if (!fs.existsSync(actionsDir))
    throw new FileValidationError("Missing data action definitions", [
      { file: path.relative(root, actionsDir), path: "$", problem: `does not exist; HRIS kind "${config.hris.kind}" needs its data actions there` },
    ]);
  const vars = actionPlaceholders(config);
  const definitions = loadDataActionDefinitions(actionsDir, Object.keys(vars), root);
  const auth = loadAuthProfile(actionsDir, config.hris.auth.type, root);

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
  return { actions, auth, flows: loadFlows(config, actions, root) };
}

// Only the exact `{{key}}` is replaced by the flow resource (lib/flows/archy/placeholders.ts); the lint reports `{{ key }}`.
const PLACEHOLDER = /\{\{([^{}\s]+)\}\}/g;

/** Values the flows' `{{placeholders}}` may take for a stack. */
export function flowPlaceholders(config: StackConfig, actions: DeployableDataAction[]): Record<string, string> {
  const vars: Record<string, string> = {
    division: config.genesys.division,
    data_action_category: config.genesys.integrationName,
    hours_per_day: String(config.hris.hoursPerDay),
  };
  for (const a of actions) vars[actionPlaceholder(a)] = a.name;
  return vars;
}

const actionPlaceholder = (a: DeployableDataAction) => `action_${a.id.replace(/-/g, "_")}`;

/** Loads and lints the five workflows; throws a FileValidationError (file + line) listing every problem. */
function loadFlows(config: StackConfig, actions: DeployableDataAction[], root: string): DeployableFlow[] {
  const flowsDir = path.join(root, "flows");
  const vars = flowPlaceholders(config, actions);
  const callable = new Map(actions.map((a) => [a.name, callableAction(a)]));
  const issues: FileIssue[] = [];
  const flows = loadWorkflowSpecs(flowsDir).map((spec) => {
    const full = path.join(flowsDir, spec.file);
    const file = path.relative(root, full);
    const name = `${config.genesys.flowNamePrefix}${spec.name}`;
    // Substitute exactly what the file uses; an unknown placeholder is left for the lint to report.
    const used = new Set([...fs.readFileSync(full, "utf8").matchAll(PLACEHOLDER)].map((m) => m[1]));
    const all: Record<string, string> = { ...vars, flow_name: name };
    const substitutions = Object.fromEntries(Object.keys(all).filter((k) => used.has(k)).sort().map((k) => [k, all[k]]));
    const result = lintFlow({ spec, path: full, file, flowName: name, substitutions, category: config.genesys.integrationName, actions: callable });
    issues.push(...result.issues);
    const actionSubstitutions = Object.fromEntries(actions.filter((a) => actionPlaceholder(a) in substitutions).map((a) => [actionPlaceholder(a), a.name]));
    return { spec, file, name, substitutions, actionSubstitutions, calls: result.flow.calls };
  });
  if (issues.length) throw new FileValidationError("Invalid workflows", issues);
  return flows;
}
