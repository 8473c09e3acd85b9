import { AUTH_SECRET, credentialFields } from "../../hris";
import { SecretKey } from "../config/schema";
import { missingSecret } from "../plan/offlineStack";
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
export function coerceInputs(action: Pick<DeployableDataAction, "name" | "contractInput">, pairs: string[]): Record<string, unknown> {
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

/**
 * The credential Genesys would apply, with the secret from the environment or the stack file. A missing secret is
 * an error naming the variable to set: the tools never send a placeholder or an empty credential.
 */
export function credentialsFor(config: StackConfig, content: StackContent, secret: (key: SecretKey) => string | undefined): ActionCredentials {
  const key = AUTH_SECRET[config.hris.auth.type];
  const value = secret(key);
  if (!value) throw new RunnerInputError(missingSecret(key, `Running ${config.hris.kind} data actions with hris.auth.type ${config.hris.auth.type}`));
  return { type: content.auth.credentialType, fields: credentialFields(config.hris.auth, value) };
}

/** `${credentials.x}` fields a definition's templates read. */
export function credentialFieldsRead(texts: (string | undefined)[]): string[] {
  return [...new Set(texts.flatMap((t) => [...(t ?? "").matchAll(/\$!?\{?credentials\.([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1])))];
}

/**
 * The credential for a definition run from a file: a Genesys Cloud action needs an access token; a Web Services
 * action needs every credential field its templates read, or a Basic Auth user name and password. Every value
 * comes from the environment (never the command line, which shell history keeps) and a missing one fails here.
 */
export function fileCredentials(
  integrationType: string | undefined,
  credentialType: string | undefined,
  fieldsRead: string[],
  env: NodeJS.ProcessEnv,
): ActionCredentials {
  const envName = (field: string) => `DATA_ACTION_CREDENTIAL_${field.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}`;
  const need = (fields: string[]) => {
    const missing = fields.filter((f) => !env[envName(f)]);
    if (missing.length)
      throw new RunnerInputError(`this action needs credential field${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: set ${missing.map(envName).join(", ")}`);
    return Object.fromEntries(fields.map((f) => [f, env[envName(f)]!]));
  };
  if (integrationType === "purecloud-data-actions") {
    if (!env.GENESYS_CLOUD_ACCESS_TOKEN) throw new RunnerInputError("a Genesys Cloud data action needs an OAuth access token: set GENESYS_CLOUD_ACCESS_TOKEN");
    return { type: "genesysOAuth", fields: { accessToken: env.GENESYS_CLOUD_ACCESS_TOKEN } };
  }
  const type = credentialType ?? (fieldsRead.length ? "userDefined" : "basicAuth");
  if (type === "basicAuth") return { type, fields: need(["userName", "password"]) };
  // User Defined (OAuth): the fields the custom auth action and the action read (fieldsRead covers both).
  if (type === "userDefined" || type === "userDefinedOAuth") return { type, fields: need(fieldsRead) };
  throw new RunnerInputError(`--credential-type ${type}: expected basicAuth, userDefined or userDefinedOAuth`);
}
