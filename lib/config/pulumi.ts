import * as pulumi from "@pulumi/pulumi";
import { SECRET_KEYS, SecretKey } from "./schema";
import { ConfigError, StackConfig, validateStackConfig } from "./validate";

/** Secret config values, each a Pulumi secret output; absent when not set. */
export type StackSecrets = Partial<Record<SecretKey, pulumi.Output<string>>>;

/**
 * Reads and validates this stack's config from the Pulumi runtime. Throws a ConfigError listing every
 * problem before anything is registered. Secrets are only read with `requireSecret`.
 */
export function readStackConfig(): { config: StackConfig; secrets: StackSecrets } {
  const namespace = pulumi.getProject();
  const all = pulumi.runtime.allConfig();
  const prefix = `${namespace}:`;
  const secretNames = Object.keys(SECRET_KEYS) as SecretKey[];
  const values: Record<string, string> = {};
  const secretsPresent = new Set<string>();
  const otherKeys: string[] = [];
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) {
      otherKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if ((secretNames as string[]).includes(key)) secretsPresent.add(key);
    else values[key] = value;
  }
  // A secret set to nothing (`pulumi config set --secret hrisApiKey ""`) would be sent as the credential: refused,
  // without its value, before anything is registered.
  const blank = [...secretsPresent]
    .filter((key) => !all[`${prefix}${key}`]?.trim())
    .map((key) => ({ key: `${prefix}${key}`, problem: "is set, but empty or blanks", fix: `pulumi config set --secret ${prefix}${key} <value> (or remove the key)` }));
  let config: StackConfig;
  try {
    config = validateStackConfig({ namespace, values, secretsPresent, otherKeys }, pulumi.getStack());
  } catch (e) {
    throw e instanceof ConfigError && blank.length ? new ConfigError([...blank, ...e.issues], e.stackName) : e;
  }
  if (blank.length) throw new ConfigError(blank, pulumi.getStack());

  const cfg = new pulumi.Config();
  const secrets: StackSecrets = {};
  for (const key of secretNames) {
    if (!secretsPresent.has(key)) continue;
    warnIfStoredInPlainText(namespace, key);
    secrets[key] = cfg.requireSecret(key);
  }
  return { config, secrets };
}

/**
 * The config keys the language host decrypted (PULUMI_CONFIG_SECRET_KEYS, which the CLI and the offline plan set,
 * `[]` when none was `secure:`); undefined when it gave no list, so nothing can be said. The runtime's own
 * isConfigSecret cannot tell "no list" from "not listed"; its store is read directly, tolerating its absence.
 */
function decryptedKeys(): string[] | undefined {
  const name = "PULUMI_CONFIG_SECRET_KEYS";
  let raw: string | undefined;
  try {
    raw = (require("@pulumi/pulumi/runtime/state") as { getStore(): { config: Record<string, string | undefined> } }).getStore().config[name];
  } catch {
    raw = undefined;
  }
  raw ??= process.env[name];
  try {
    const list = raw ? JSON.parse(raw) : undefined;
    return Array.isArray(list) ? list.map(String) : undefined;
  } catch {
    return undefined;
  }
}

function warnIfStoredInPlainText(namespace: string, key: string) {
  const listed = decryptedKeys();
  if (!listed || listed.includes(`${namespace}:${key}`) || listed.includes(`${namespace}:config:${key}`)) return;
  pulumi.log.warn(
    `${namespace}:${key} is stored in plain text in the stack file; it is still handled as a secret, but store it encrypted: pulumi config set --secret ${namespace}:${key} <value>`,
  );
}
