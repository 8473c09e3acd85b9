import { z } from "zod";
import {
  FieldDoc,
  BOOLEAN_KEYS,
  OBJECT_KEYS,
  ParsedStackConfig,
  SECRET_KEYS,
  SecretKey,
  stackConfigSchema,
  genesysApiDomain,
} from "./schema";
import { HIDDEN_VALUE, maskCredentials } from "./fields";
import { AUTH_SECRET, HrisAuthType, HrisSettings, hrisAdapter, hrisKinds, roleById } from "../../hris";
import { PROJECT_ROOT } from "../paths";
import { cachedValidation } from "./validationCache";

/** One configuration problem, phrased for the person who has to fix it. */
export interface ConfigIssue {
  /** Full config key, e.g. `wfm-hris:hris.companyDomain`. */
  key: string;
  /** What is wrong. */
  problem: string;
  /** The offending value, JSON-encoded and shortened; never set for secret keys. */
  value?: string;
  /** How to fix it, usually a `pulumi config` command. */
  fix: string;
}

export class ConfigError extends Error {
  constructor(
    readonly issues: ConfigIssue[],
    readonly stackName?: string,
  ) {
    super(formatIssues(issues, stackName));
    this.name = "ConfigError";
  }
}

export function formatIssues(issues: ConfigIssue[], stack?: string): string {
  const where = stack ? ` for stack "${stack}"` : "";
  const lines = issues.map((i) => {
    const value = i.value === undefined ? "" : ` (got ${i.value})`;
    return `  - ${i.key}: ${i.problem}${value}\n    fix: ${i.fix}`;
  });
  return `Invalid stack configuration${where}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n${lines.join("\n")}`;
}

/** What the program reads from Pulumi config, before validation. */
export interface RawStackConfig {
  /** Config namespace (the Pulumi project name). */
  namespace: string;
  /** Non-secret values of this namespace, as Pulumi hands them over (strings; objects as JSON text). */
  values: Record<string, string>;
  /** Secret keys of this namespace that are set; their values are never looked at here. */
  secretsPresent: ReadonlySet<string>;
  /** Config keys of other namespaces (`wfm_hris:customer`), to catch a misspelt namespace; values not needed. */
  otherKeys?: readonly string[];
}

/** Validated configuration with every default resolved; what components receive. */
export interface StackConfig {
  /** CI previews and deploys the stack (samples are plan-only). */
  deployable: boolean;
  customer: string;
  genesys: {
    region: string;
    /** API domain of the region, e.g. mypurecloud.com. */
    apiDomain: string;
    oauthClientId?: string;
    division: string;
    integrationName: string;
    credentialName: string;
    actionNamePrefix: string;
    flowNamePrefix: string;
    actionTimeoutSeconds?: number;
  };
  /** The hris section with the adapter's defaults resolved; adapter-specific fields as the adapter parsed them. */
  hris: HrisSettings;
  wfm: ParsedStackConfig["wfm"] & { integrationName: string; syncUserAccountIds: boolean };
  veza?: Omit<NonNullable<ParsedStackConfig["veza"]>, "providerName" | "dataSourceName"> & {
    providerName: string;
    dataSourceName: string;
  };
}

const MAX_VALUE_CHARS = 80;

function show(value: unknown): string {
  const text = maskCredentials(JSON.stringify(value) ?? String(value));
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** The doc attached to the schema node at `path`, following the input to pick union members. */
function docAt(path: PropertyKey[], input: unknown): FieldDoc | undefined {
  let node: any = stackConfigSchema();
  let value: any = input;
  let found: FieldDoc | undefined;
  const remember = (n: any) => (found = (z.globalRegistry.get(n) as FieldDoc | undefined) ?? found);
  const unwrap = () => {
    for (;;) {
      remember(node);
      const def = node?._zod?.def;
      if (!def) return;
      if (["optional", "default", "nullable", "prefault", "readonly", "catch"].includes(def.type)) node = def.innerType;
      else if (def.type === "pipe") node = def.in;
      else if (def.type === "union" && def.discriminator) {
        const pick = def.options.find((o: any) => o._zod.def.shape?.[def.discriminator]?._zod.def.values?.includes(value?.[def.discriminator]));
        if (!pick) return;
        node = pick;
      } else return;
    }
  };
  unwrap();
  for (const segment of path) {
    found = undefined;
    const def = node?._zod?.def;
    if (def?.type === "object") node = def.shape[segment as string];
    else if (def?.type === "array") node = def.element;
    else return undefined;
    value = value?.[segment as any];
    unwrap();
  }
  return found;
}

function closest(word: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    return d[a.length][b.length];
  };
  const best = candidates.map((c) => ({ c, d: distance(word, c) })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.c : undefined;
}

function setCommand(namespace: string, path: PropertyKey[], example = "<value>"): string {
  const key = `${namespace}:${path.join(".")}`;
  const quoted = /^[\w.:/@-]+$/.test(example) ? example : `'${example}'`;
  return path.length > 1 ? `pulumi config set --path '${key}' ${quoted}` : `pulumi config set ${key} ${quoted}`;
}

function shapeKeys(path: PropertyKey[], input: unknown): string[] {
  let node: any = stackConfigSchema();
  let value: any = input;
  for (const segment of [...path, undefined]) {
    for (;;) {
      const def = node?._zod?.def;
      if (!def) return [];
      if (["optional", "default", "nullable", "prefault"].includes(def.type)) node = def.innerType;
      else if (def.type === "union" && def.discriminator) {
        node = def.options.find((o: any) => o._zod.def.shape?.[def.discriminator]?._zod.def.values?.includes(value?.[def.discriminator])) ?? def.options[0];
      } else break;
    }
    if (segment === undefined) return Object.keys(node._zod.def.shape ?? {});
    node = node._zod.def.shape?.[segment as string];
    value = value?.[segment as any];
  }
  return [];
}

function zodIssues(error: z.ZodError, namespace: string, input: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = shapeKeys(issue.path, input);
      for (const k of issue.keys) {
        const path = [...issue.path, k];
        const suggestion = closest(k, known);
        issues.push({
          key: `${namespace}:${path.join(".")}`,
          problem: "is not a known setting",
          fix: suggestion ? `rename it to \`${suggestion}\`` : `remove it; known settings here: ${known.join(", ")}`,
        });
      }
      continue;
    }
    const discriminator: string | undefined = issue.code === "invalid_union" ? (issue as any).discriminator : undefined;
    if (discriminator) {
      // An unknown `kind`/`type`: report the discriminator itself with the values it may take.
      const expected: string[] = (issue as any).options ?? [];
      const path = issue.path.at(-1) === discriminator ? issue.path : [...issue.path, discriminator];
      const given = (issue.input as Record<string, unknown> | undefined)?.[discriminator];
      issues.push({
        key: `${namespace}:${path.join(".")}`,
        problem: given === undefined ? `is required; expected one of: ${expected.join(", ")}` : `must be one of: ${expected.join(", ")}`,
        value: given === undefined ? undefined : show(given),
        fix: setCommand(namespace, path, String(expected[0] ?? "<value>")),
      });
      continue;
    }
    const fieldDoc = docAt(issue.path, input);
    const missing = issue.input === undefined;
    // A record key that fails its rule: zod says "Invalid key in record" and keeps the rule's message inside.
    const keyMessage = issue.code === "invalid_key" ? (issue as { issues?: { message: string }[] }).issues?.[0]?.message : undefined;
    const problem = missing ? "is required but not set" : (keyMessage ?? issue.message);
    issues.push({
      key: `${namespace}:${issue.path.join(".")}`,
      problem: fieldDoc && missing ? `${problem} (${fieldDoc.description})` : problem,
      value: missing || issue.input === HIDDEN_VALUE ? undefined : show(issue.input),
      fix: fieldDoc?.fix ?? setCommand(namespace, issue.path, fieldDoc?.example),
    });
  }
  return issues;
}

function secretIssue(namespace: string, key: SecretKey, why: string): ConfigIssue {
  return {
    key: `${namespace}:${key}`,
    problem: `is required ${why} but not set (${SECRET_KEYS[key].description})`,
    fix: `pulumi config set --secret ${namespace}:${key} '${SECRET_KEYS[key].example}'`,
  };
}

/**
 * Validates the raw config of one stack. Returns the resolved config, or throws a ConfigError listing
 * every problem at once. Secret values are never inspected, only whether they are set. The compiled tools keep
 * configs that pass for their next start (lib/config/validationCache.ts).
 */
export function validateStackConfig(raw: RawStackConfig, stack?: string): StackConfig {
  let kind: unknown;
  try {
    kind = (JSON.parse(raw.values.hris ?? "null") as { kind?: unknown } | null)?.kind;
  } catch {
    kind = undefined; // not an object: reported by the validation
  }
  // What the result depends on besides the code. A secret set in plain text counts by its presence alone, as in
  // the validation: its value is not part of the key.
  const secretNames = Object.keys(SECRET_KEYS);
  const values = Object.fromEntries(Object.entries(raw.values).map(([k, v]) => [k, secretNames.includes(k) ? true : v]));
  const input = [raw.namespace, values, [...raw.secretsPresent].sort(), raw.otherKeys ?? null, stack ?? null, PROJECT_ROOT];
  return cachedValidation(input, kind, () => validate(raw, stack));
}

function validate(raw: RawStackConfig, stack?: string): StackConfig {
  const { namespace } = raw;
  const issues: ConfigIssue[] = [];
  const input: Record<string, unknown> = {};
  const secretNames = Object.keys(SECRET_KEYS);

  for (const [key, text] of Object.entries(raw.values)) {
    if (secretNames.includes(key)) continue; // set without --secret: still treated as a secret, never shown
    if ((OBJECT_KEYS as readonly string[]).includes(key)) {
      try {
        input[key] = JSON.parse(text);
      } catch {
        issues.push({
          key: `${namespace}:${key}`,
          problem: "must be an object (YAML map), not a plain string",
          value: show(text),
          fix: `write it as a map under \`${namespace}:${key}:\` in Pulumi.<stack>.yaml, or use \`pulumi config set --path '${namespace}:${key}.<field>' <value>\``,
        });
      }
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key) && (text === "true" || text === "false")) {
      input[key] = text === "true";
    } else {
      input[key] = text;
    }
  }

  const hris = input.hris as { kind?: unknown; auth?: { type?: string } } | undefined;
  const kind = hris && typeof hris === "object" && typeof hris.kind === "string" && hrisKinds().includes(hris.kind) ? hris.kind : undefined;
  issues.push(...misspeltNamespaceIssues(raw, kind));
  // The schema of the stack's HRIS kind only (one adapter loaded); a config it refuses is parsed again with the
  // full schema, whose issues are the ones reported (the same whatever the stack's kind).
  let parsed = stackConfigSchema(kind).safeParse(input, { reportInput: true });
  if (!parsed.success && kind !== undefined) parsed = stackConfigSchema().safeParse(input, { reportInput: true });
  if (!parsed.success) issues.push(...zodIssues(parsed.error, namespace, input));

  const has = (k: SecretKey) => raw.secretsPresent.has(k) || k in raw.values;
  const value = parsed.success ? parsed.data : undefined;
  // The secret the chosen auth type needs (the adapter's first auth type when none is set), also when other
  // settings are wrong, so every problem is reported at once.
  const adapter = kind === undefined ? undefined : hrisAdapter(kind);
  const authType = adapter && (hris!.auth?.type ?? adapter.authTypes[0]);
  const authSecret = authType && AUTH_SECRET[authType as HrisAuthType];
  if (authSecret && !has(authSecret)) issues.push(secretIssue(namespace, authSecret, `when hris.auth.type is ${authType}`));
  if (input.veza !== undefined && !has("vezaApiKey")) issues.push(secretIssue(namespace, "vezaApiKey", "when the veza section is set"));
  const genesysInput = (input.genesys ?? {}) as { oauthClientId?: unknown };
  if (genesysInput.oauthClientId !== undefined && !has("genesysOauthClientSecret"))
    issues.push(secretIssue(namespace, "genesysOauthClientSecret", "when genesys.oauthClientId is set"));
  if (genesysInput.oauthClientId === undefined && has("genesysOauthClientSecret"))
    issues.push({
      key: `${namespace}:genesys.oauthClientId`,
      problem: "is required when genesysOauthClientSecret is set (a secret without its client id cannot be used)",
      fix: setCommand(namespace, ["genesys", "oauthClientId"], "<client id>"),
    });

  if (value) issues.push(...userAccountIdsIssues(value, namespace), ...vezaDirectoryIssues(value, namespace));
  if (issues.length > 0 || !value) throw new ConfigError(issues, stack);
  return resolveDefaults(value);
}

/**
 * A key of this program's under another namespace (`wfm_hris:customer`, `wfmhris:hris`): Pulumi keeps it, the program
 * never reads it, and the only symptom would be "customer is required". Other namespaces (providers' own config such
 * as `genesyscloud:region`) are left alone: only this program's key names are looked for.
 */
function misspeltNamespaceIssues(raw: RawStackConfig, kind: string | undefined): ConfigIssue[] {
  // The top-level keys: the same in the schema of every HRIS kind.
  const ours = new Set([...Object.keys(stackConfigSchema(kind).shape), ...Object.keys(SECRET_KEYS)]);
  const issues: ConfigIssue[] = [];
  for (const full of raw.otherKeys ?? []) {
    const colon = full.indexOf(":");
    if (colon < 0) continue;
    const [ns, key] = [full.slice(0, colon), full.slice(colon + 1).replace(/^config:/, "")];
    if (ns === raw.namespace || !ours.has(key.split(".")[0])) continue;
    issues.push({
      key: full,
      problem: `is in the namespace "${ns}", but this program reads "${raw.namespace}" (the project name in Pulumi.yaml), so it is ignored`,
      fix: `rename the key to ${raw.namespace}:${key} in the stack file`,
    });
  }
  return issues;
}

/** Whether the stack's HRIS adapter serves the optional get-agents role (built-ins and custom folders alike). */
const servesAgents = (hris: ParsedStackConfig["hris"]) =>
  "get-agents" in hrisAdapter(String(hris.kind)).definitions(hris as HrisSettings, PROJECT_ROOT).roleFiles;

function userAccountIdsIssues(c: ParsedStackConfig, namespace: string): ConfigIssue[] {
  if (c.wfm.syncUserAccountIds !== true && !c.wfm.autoSyncUserAccountIds) return [];
  if (servesAgents(c.hris)) return [];
  const key = c.wfm.syncUserAccountIds === true ? "syncUserAccountIds" : "autoSyncUserAccountIds";
  return [
    {
      key: `${namespace}:wfm.${key}`,
      problem: `needs a get-agents data action, which the ${hrisAdapter(String(c.hris.kind)).label} adapter does not have (${roleById("get-agents")!.optional})`,
      value: "true",
      fix: `pulumi config rm --path '${namespace}:wfm.${key}'`,
    },
  ];
}

/** A Veza section needs an HRIS whose adapter (or custom folder) can read the directory. */
function vezaDirectoryIssues(c: ParsedStackConfig, namespace: string): ConfigIssue[] {
  if (!c.veza) return [];
  const adapter = hrisAdapter(String(c.hris.kind));
  if (adapter.directory?.(c.hris as HrisSettings, PROJECT_ROOT)) return [];
  return [
    {
      key: `${namespace}:veza`,
      problem: `is set, but the ${adapter.label} adapter (hris.kind ${adapter.kind}) cannot read the directory Veza needs`,
      fix: `remove it (pulumi config rm ${namespace}:veza), or give the HRIS a directory reader (for hris.kind custom: \`directory\` in wfm-hris.json, docs/custom-hris.md)`,
    },
  ];
}

function resolveDefaults(c: ParsedStackConfig): StackConfig {
  const adapter = hrisAdapter(String(c.hris.kind));
  const hris = { ...c.hris, baseUrl: c.hris.baseUrl ?? adapter.defaultBaseUrl } as HrisSettings;
  const label = adapter.label;
  const providerName = c.veza?.providerName ?? `${c.customer} ${label}`;
  return {
    deployable: c.deployable,
    customer: c.customer,
    genesys: {
      ...c.genesys,
      apiDomain: genesysApiDomain(c.genesys.region),
      integrationName: c.genesys.integrationName ?? `${c.customer} WFM HRIS Data Actions`,
      credentialName: c.genesys.credentialName ?? `${c.customer}-${c.hris.kind}`,
      flowNamePrefix: c.genesys.flowNamePrefix ?? `${c.customer}-`,
    },
    wfm: { ...c.wfm, integrationName: c.wfm.integrationName ?? `${c.customer} WFM Time-off HRIS`, syncUserAccountIds: c.wfm.syncUserAccountIds ?? servesAgents(c.hris) },
    hris,
    veza: c.veza && {
      ...c.veza,
      providerName,
      dataSourceName: c.veza.dataSourceName ?? `${providerName} - ${adapter.instanceName(hris)}`,
    },
  };
}
