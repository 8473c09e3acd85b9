import { SecretKey } from "../config/schema";
import { StackConfig } from "../config/validate";
import { StackContent, DeployableDataAction } from "../stackContent";
import { ActionCredentials } from "./engine";

/** Raised for a bad command line: unknown action, malformed or undeclared input. */
export class RunnerInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunnerInputError";
  }
}

/** Finds an action by its Genesys name, its name without the prefix, or its file id (`get-balance`). */
export function findAction(content: StackContent, name: string): DeployableDataAction {
  const action = content.actions.find((a) => [a.name, a.baseName, a.id].some((n) => n.toLowerCase() === name.toLowerCase()));
  if (!action) throw new RunnerInputError(`no data action "${name}" in this stack; known: ${content.actions.map((a) => a.name).join(", ")}`);
  return action;
}

/** `key=value` pairs, typed by the action's input contract (inputs arrive as their declared JSON types). */
export function coerceInputs(action: DeployableDataAction, pairs: string[]): Record<string, unknown> {
  const properties = (action.contractInput.properties ?? {}) as Record<string, { type?: string | string[] }>;
  const input: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new RunnerInputError(`--input ${pair}: expected key=value`);
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    const prop = properties[key];
    if (!prop) throw new RunnerInputError(`--input ${key}: ${action.name} declares no such input; it takes: ${Object.keys(properties).join(", ") || "none"}`);
    const types = ([] as string[]).concat(prop.type ?? "string");
    if (types.includes("string")) input[key] = raw;
    else if ((types.includes("integer") || types.includes("number")) && raw.trim() !== "" && !Number.isNaN(Number(raw))) input[key] = Number(raw);
    else if (types.includes("boolean") && (raw === "true" || raw === "false")) input[key] = raw === "true";
    else if (types.includes("null") && raw === "null") input[key] = null;
    else throw new RunnerInputError(`--input ${key}=${raw}: expected ${types.join(" or ")}`);
  }
  return input;
}

/** The credential Genesys would apply, with the secret taken from the environment or the stack file. */
export function credentialsFor(config: StackConfig, content: StackContent, secret: (key: SecretKey) => string | undefined): ActionCredentials {
  const { auth } = config.hris;
  if (auth.type === "apiKey") return { type: content.auth.credentialType, fields: { userName: secret("hrisApiKey") ?? "", password: "x" } };
  const fields: Record<string, string> = { clientId: auth.clientId, clientSecret: secret("hrisOauthClientSecret") ?? "", loginUrl: auth.tokenUrl };
  if (auth.scope) fields.scope = auth.scope;
  return { type: content.auth.credentialType, fields };
}
