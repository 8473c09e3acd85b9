import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, ConfigIssue, StackConfig, formatIssues, validateStackConfig } from "../lib/config/validate";
import { WFM_FLOW_PROPERTIES, WfmIntegrationTypeInfo } from "../lib/genesys/wfmIntegrationType";
import { PROJECT_ROOT } from "../lib/paths";
import { StackContent, loadStackContent } from "../lib/stackContent";
import type { StackSecrets } from "../lib/config/pulumi";
import { vezaPayloadForStack, PayloadRef } from "../lib/veza/stackPayload";

/**
 * Settings for programs that use the package: the same sections as a stack's config (docs/config-reference.md),
 * given as values instead of Pulumi config, validated by the same rules and resolved with the same defaults.
 */
export interface WfmHrisSettings {
  /** Customer slug (2-40 lowercase letters, digits, inner hyphens); default names derive from it. */
  customer: string;
  /** Genesys Cloud settings: `region`, and optional names, prefixes and division. */
  genesys: { region: string; [field: string]: unknown };
  /** The HRIS: `kind` (bamboohr, personio, custom or a registered adapter), its fields and `auth`. */
  hris: { kind: string; [field: string]: unknown };
  /** WFM Time-off HRIS integration settings (all optional). */
  wfm?: Record<string, unknown>;
  /** Veza OAA provider settings: `url` and optional names (only to build a Veza payload). */
  veza?: { url: string; [field: string]: unknown };
}

/** Settings with every default resolved (names, prefixes, the adapter's base URL). */
export type ResolvedWfmHrisSettings = StackConfig;

/** Thrown for invalid settings: every problem at once, each naming the setting (e.g. `hris.companyDomain`) and the fix. */
export class WfmHrisSettingsError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(formatIssues(issues).replace(/^Invalid stack configuration/, "Invalid wfm-hris settings"));
    this.name = "WfmHrisSettingsError";
  }
}

const NAMESPACE = "wfm-hris";
/** Secrets a program is assumed to hold unless it says otherwise: the HRIS's and Veza's, which it passes to the components. */
const HELD_SECRETS: readonly string[] = ["hrisApiKey", "hrisOauthClientSecret", "vezaApiKey"];

/** Config issues phrased for settings: `hris.companyDomain` instead of `wfm-hris:hris.companyDomain`, no `pulumi config` fixes. */
function settingsIssues(e: ConfigError, rename: (key: string) => string): ConfigIssue[] {
  return e.issues.map((i) => {
    const key = rename(i.key.startsWith(`${NAMESPACE}:`) ? i.key.slice(NAMESPACE.length + 1) : i.key);
    return { ...i, key, fix: /pulumi config|Pulumi\.<stack>\.yaml/.test(i.fix) ? `set ${key} in the settings (see docs/config-reference.md for its values)` : i.fix };
  });
}

/**
 * Validates settings and resolves their defaults, with the rules of the stack config. `secretsSet` names the secrets
 * the caller holds (their values are never needed here); `rename` maps a setting's path to the caller's own name.
 */
export function resolveWfmHrisSettings(settings: WfmHrisSettings, secretsSet: readonly string[] = HELD_SECRETS, rename: (key: string) => string = (k) => k): ResolvedWfmHrisSettings {
  const values: Record<string, string> = { customer: settings.customer };
  for (const key of ["genesys", "hris", "wfm", "veza"] as const) if (settings[key] !== undefined) values[key] = JSON.stringify(settings[key]);
  try {
    return validateStackConfig({ namespace: NAMESPACE, values, secretsPresent: new Set(secretsSet) });
  } catch (e) {
    if (e instanceof ConfigError) throw new WfmHrisSettingsError(settingsIssues(e, rename));
    throw e;
  }
}

/**
 * Loads, validates and renders the content for settings: the HRIS adapter's data actions and auth profile, and the
 * workflows calling them. Workflow files are given relative to `cwd` (where Pulumi runs the program), since the
 * Flow resource reads them from there.
 */
export function loadWfmHrisContent(settings: ResolvedWfmHrisSettings, cwd = process.cwd()): StackContent {
  const content = loadStackContent(settings, PROJECT_ROOT);
  return { ...content, flows: content.flows.map((f) => ({ ...f, file: path.relative(cwd, path.resolve(PROJECT_ROOT, f.file)) })) };
}

/** The WFM Time-off HRIS integration type named in full (no discovery): its id and how its properties hold flow ids. */
export function namedWfmIntegrationType(typeId: string, flowPropertyFormat: "string" | "list", autoSyncPropertyKey?: string): WfmIntegrationTypeInfo {
  return { typeId, propertyFormats: Object.fromEntries(WFM_FLOW_PROPERTIES.map((p) => [p, flowPropertyFormat])) as WfmIntegrationTypeInfo["propertyFormats"], autoSyncPropertyKey };
}

/**
 * The HRIS payload for Veza, built from the HRIS while the program runs (unknown in an offline plan). The payload
 * file is given relative to `cwd`, where the push reads it.
 */
export function vezaPayload(settings: ResolvedWfmHrisSettings, hrisSecret: pulumi.Input<string>, cwd = process.cwd()): pulumi.Output<PayloadRef> {
  const secret = pulumi.secret(hrisSecret);
  const secrets: StackSecrets = settings.hris.auth.type === "apiKey" ? { hrisApiKey: secret } : { hrisOauthClientSecret: secret };
  return vezaPayloadForStack(settings, secrets).apply((p) => ({ ...p, file: path.relative(cwd, path.resolve(PROJECT_ROOT, p.file)) }));
}
