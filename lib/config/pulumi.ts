import * as pulumi from "@pulumi/pulumi";
import { SECRET_KEYS, SecretKey } from "./schema";
import { StackConfig, validateStackConfig } from "./validate";

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
  for (const [fullKey, value] of Object.entries(all)) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if ((secretNames as string[]).includes(key)) secretsPresent.add(key);
    else values[key] = value;
  }
  const config = validateStackConfig({ namespace, values, secretsPresent }, pulumi.getStack());

  const cfg = new pulumi.Config();
  const secrets: StackSecrets = {};
  for (const key of secretNames) {
    if (!secretsPresent.has(key)) continue;
    warnIfStoredInPlainText(namespace, key);
    secrets[key] = cfg.requireSecret(key);
  }
  return { config, secrets };
}

function warnIfStoredInPlainText(namespace: string, key: string) {
  // The language host lists the keys it decrypted; the helper is internal, so tolerate its absence.
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  const listed = (k: string) => runtime.isConfigSecret?.(k) ?? true;
  const anySecretListed = Object.keys(SECRET_KEYS).some((k) => listed(`${namespace}:${k}`) || listed(`${namespace}:config:${k}`));
  if (anySecretListed && !listed(`${namespace}:${key}`) && !listed(`${namespace}:config:${key}`))
    pulumi.log.warn(
      `${namespace}:${key} is stored in plain text in the stack file; it is still handled as a secret, but store it encrypted: pulumi config set --secret ${namespace}:${key} <value>`,
    );
}
