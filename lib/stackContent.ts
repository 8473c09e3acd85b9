import * as fs from "node:fs";
import * as path from "node:path";
import { StackConfig } from "./config/validate";
import { AuthProfile, loadAuthProfile } from "./dataActions/auth";
import { DataActionDefinition, fillPlaceholders, loadDataActionDefinitions } from "./dataActions/definitions";
import { FileIssue, FileValidationError } from "./jsonFile";

/** Project root: where actions/ and flows/ live. */
export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** Placeholders data action definitions may use, and their value for a stack. */
export function actionPlaceholders(config: StackConfig): Record<string, string> {
  return { apiBase: config.hris.baseUrl, companyDomain: config.hris.companyDomain };
}

/** A data action ready to deploy: placeholders filled, final name, auth headers merged. */
export type DeployableDataAction = DataActionDefinition & { baseName: string };

/** Everything a stack deploys that comes from files rather than config, validated. */
export interface StackContent {
  actions: DeployableDataAction[];
  auth: AuthProfile;
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
    if (name.length > 256)
      issues.push({ file: def.file, path: "$.name", problem: `becomes "${name}" (${name.length} characters) with genesys.actionNamePrefix; Genesys allows 256`, fix: "shorten the prefix or the name" });
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
  return { actions, auth };
}
