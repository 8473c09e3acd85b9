import { SECRET_KEYS, SecretKey } from "../config/schema";
import { StackConfig, validateStackConfig } from "../config/validate";
import { PROJECT_ROOT } from "../paths";
import { OfflineConfig, emptySecureValues, readOfflineConfig } from "./stackFiles";

/** Environment variables that supply a secret to the command-line tools (stack files hold ciphertext). */
export const SECRET_ENV: Record<SecretKey, string> = {
  genesysOauthClientSecret: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
  hrisApiKey: "WFM_HRIS_HRIS_API_KEY",
  hrisOauthClientSecret: "WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET",
  vezaApiKey: "VEZA_API_KEY",
};

/**
 * A secret from its environment variable; undefined when unset, empty or only blanks (`export VEZA_API_KEY=" "`, a
 * CI variable that expanded to nothing), which would otherwise be sent as the credential.
 */
export function secretFromEnv(key: SecretKey, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[SECRET_ENV[key]]?.trim() ? env[SECRET_ENV[key]] : undefined;
}

export interface OfflineStack {
  offline: OfflineConfig;
  config: StackConfig;
  /**
   * Secret values for tools that call APIs: the environment variable, else a plain-text value in the stack file.
   * A `secure:` value is ciphertext only the CLI can decrypt: it gives undefined, never its offline placeholder.
   */
  secret(key: SecretKey): string | undefined;
}

/** Reads and validates a stack's config outside Pulumi, for the command-line tools. */
export function loadOfflineStack(stack: string, stackFile?: string, root = PROJECT_ROOT): OfflineStack {
  const offline = readOfflineConfig(root, stack, stackFile);
  const empty = emptySecureValues(root, stack, stackFile);
  if (empty) throw empty;
  const prefix = `${offline.project}:`;
  const values: Record<string, string> = {};
  const secretsPresent = new Set<string>();
  const otherKeys: string[] = [];
  for (const [k, v] of Object.entries(offline.config)) {
    if (!k.startsWith(prefix)) {
      otherKeys.push(k);
      continue;
    }
    const key = k.slice(prefix.length);
    if (key in SECRET_KEYS) secretsPresent.add(key);
    else values[key] = v;
  }
  // GENESYSCLOUD_OAUTHCLIENT_SECRET is also the provider's own variable, used with GENESYSCLOUD_OAUTHCLIENT_ID when the
  // config names no client: it stands for the config secret only beside genesys.oauthClientId (else the rule "a
  // secret without its client id" would refuse the documented environment-only set-up).
  const configClientId = () => {
    try {
      return (JSON.parse(values.genesys ?? "{}") as { oauthClientId?: unknown })?.oauthClientId !== undefined;
    } catch {
      return false;
    }
  };
  for (const key of Object.keys(SECRET_ENV) as SecretKey[])
    if (secretFromEnv(key) && (key !== "genesysOauthClientSecret" || configClientId())) secretsPresent.add(key);
  const config = validateStackConfig({ namespace: offline.project, values, secretsPresent, otherKeys }, stack);
  return {
    offline,
    config,
    secret: (key) => secretFromEnv(key) ?? (offline.secretKeys.includes(`${prefix}${key}`) ? undefined : offline.config[`${prefix}${key}`] || undefined),
  };
}

/** The message for a secret a tool needs but was not given. */
export function missingSecret(key: SecretKey, why: string): string {
  return `${why} needs ${key}: set the environment variable ${SECRET_ENV[key]} (a secure: value in the stack file can only be decrypted by the Pulumi CLI). Nothing was sent.`;
}
