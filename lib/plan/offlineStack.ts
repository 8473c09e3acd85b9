import { SECRET_KEYS, SecretKey } from "../config/schema";
import { StackConfig, validateStackConfig } from "../config/validate";
import { PROJECT_ROOT } from "../paths";
import { OfflineConfig, readOfflineConfig } from "./stackFiles";

/** Environment variables that supply a secret to the command-line tools (stack files hold ciphertext). */
export const SECRET_ENV: Record<SecretKey, string> = {
  genesysOauthClientSecret: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
  hrisApiKey: "WFM_HRIS_HRIS_API_KEY",
  hrisOauthClientSecret: "WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET",
  vezaApiKey: "VEZA_API_KEY",
};

export interface OfflineStack {
  offline: OfflineConfig;
  config: StackConfig;
  /** Secret values for tools that call APIs: the environment variable, else the stack file's value. */
  secret(key: SecretKey): string | undefined;
}

/** Reads and validates a stack's config outside Pulumi, for the command-line tools. */
export function loadOfflineStack(stack: string, stackFile?: string, root = PROJECT_ROOT): OfflineStack {
  const offline = readOfflineConfig(root, stack, stackFile);
  const prefix = `${offline.project}:`;
  const values: Record<string, string> = {};
  const secretsPresent = new Set<string>();
  for (const [k, v] of Object.entries(offline.config)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    if (key in SECRET_KEYS) secretsPresent.add(key);
    else values[key] = v;
  }
  for (const [key, env] of Object.entries(SECRET_ENV)) if (process.env[env]) secretsPresent.add(key);
  const config = validateStackConfig({ namespace: offline.project, values, secretsPresent }, stack);
  return {
    offline,
    config,
    secret: (key) => process.env[SECRET_ENV[key]] || offline.config[`${prefix}${key}`],
  };
}
