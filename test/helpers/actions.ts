import { StackConfig } from "../../lib/config/validate";
import { ActionCredentials } from "../../lib/dataActions/engine";
import { DeployableDataAction, StackContent, loadStackContent } from "../../lib/stackContent";
import { validConfig } from "./config";

/** The shipped BambooHR actions rendered for a stack whose HRIS is the fake at `baseUrl`. */
export function shippedActions(baseUrl: string, companyDomain = "acme", auth?: Record<string, unknown>, secrets?: string[]) {
  const config: StackConfig = validConfig({
    values: { hris: { kind: "bamboohr", companyDomain, baseUrl, ...(auth ? { auth } : {}) } },
    secrets: secrets ?? ["hrisApiKey", "genesysOauthClientSecret"],
  });
  const content: StackContent = loadStackContent(config);
  const byName = (name: string): DeployableDataAction => {
    const found = content.actions.find((a) => a.baseName === name);
    if (!found) throw new Error(`no shipped action ${name}`);
    return found;
  };
  return { config, content, byName };
}

export const ADMIN_KEY = "test-api-key-admin";
export const basicAuth = (key = ADMIN_KEY): ActionCredentials => ({ type: "basicAuth", fields: { userName: key, password: "x" } });
