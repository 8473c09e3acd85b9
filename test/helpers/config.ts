import { RawStackConfig, StackConfig, validateStackConfig } from "../../lib/config/validate";

/** A valid raw config for one stack; override parts per test. */
export function rawConfig(overrides: {
  values?: Record<string, unknown>;
  secrets?: string[];
  drop?: string[];
} = {}): RawStackConfig {
  const values: Record<string, unknown> = {
    customer: "acme-dev",
    genesys: { region: "us-east-1", oauthClientId: "client-1" },
    hris: { kind: "bamboohr", companyDomain: "acme" },
    ...overrides.values,
  };
  for (const k of overrides.drop ?? []) delete values[k];
  return {
    namespace: "wfm-hris",
    values: Object.fromEntries(
      Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
    secretsPresent: new Set(overrides.secrets ?? ["hrisApiKey", "genesysOauthClientSecret"]),
  };
}

export function validConfig(overrides: Parameters<typeof rawConfig>[0] = {}): StackConfig {
  return validateStackConfig(rawConfig(overrides), "test");
}
