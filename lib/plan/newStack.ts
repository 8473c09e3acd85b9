import YAML from "yaml";
import { z } from "zod";
import { HrisAuthType, hrisAdapter } from "../../hris";
import { GENESYS_REGIONS, SECRET_KEYS, SecretKey } from "../config/schema";
import { ConfigError, validateStackConfig } from "../config/validate";
import { SAMPLE_PLACEHOLDER_PREFIX } from "./deployable";

/**
 * A new customer's stack file (`npm run new-customer`): every setting the config requires, with placeholders where
 * only the customer can say, so the stack plans offline at once. The HRIS section comes from the adapter's own config
 * schema (hris/<kind>/index.ts, built with hrisConfigSection), so a new adapter needs nothing here.
 */

/** The customer slug rule of the config schema (`customer`); the slug is also the stack name. */
export const SLUG = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;

/** What a secure value holds until `pulumi config set --secret` replaces it (lib/plan/deployable.ts refuses it). */
export const SECRET_PLACEHOLDER = `${SAMPLE_PLACEHOLDER_PREFIX}not-a-real-ciphertext-replace-with-pulumi-config-set-secret`;

/**
 * Placeholders a field's own schema cannot produce: a custom HRIS's `path` must be a folder of definitions that
 * exists, so it points at the worked example until the customer's folder is there (docs/custom-hris.md).
 */
const FIELD_PLACEHOLDERS: Record<string, Record<string, string>> = {
  custom: { path: "examples/custom-hris/hris" },
};

/** Settings every hris section has (hrisConfigSection), written apart from the adapter's own fields. */
const SHARED_HRIS_FIELDS = ["kind", "baseUrl", "hoursPerDay", "auth"];

export interface NewStackOptions {
  slug: string;
  kind: string;
  region: string;
  /** Auth type; the adapter's first (default) one when not given. */
  auth?: string;
  /** Veza tenant URL: adds the veza section. */
  vezaUrl?: string;
  /** A custom HRIS's definitions folder, relative to the project root. */
  hrisPath?: string;
}

export interface NewStack {
  /** The stack file's text. */
  text: string;
  /** Secret keys the file holds placeholders for, in the order to set them. */
  secrets: SecretKey[];
  /** Settings holding a placeholder only the customer can replace (`wfm-hris:hris.companyDomain`, …). */
  placeholders: string[];
}

export class NewStackError extends Error {}

const fieldDoc = (schema: z.ZodType) => (schema.meta() ?? {}) as { description?: string; example?: string };

/** The first candidate the field's schema accepts. */
function placeholderFor(schema: z.ZodType, candidates: (string | undefined)[]): string | undefined {
  return candidates.find((c) => c !== undefined && schema.safeParse(c).success);
}

/** Builds the stack file; throws a NewStackError for options the config would refuse. */
export function newStackFile(o: NewStackOptions): NewStack {
  if (!SLUG.test(o.slug))
    throw new NewStackError(`"${o.slug}" is not a customer slug: 2-40 characters, lowercase letters, digits and inner hyphens, starting with a letter (e.g. acme-corp)`);
  if (!GENESYS_REGIONS.includes(o.region)) throw new NewStackError(`--region ${o.region} is not a Genesys Cloud region; one of: ${GENESYS_REGIONS.join(", ")}`);
  const adapter = hrisAdapter(o.kind);
  const auth = (o.auth ?? adapter.authTypes[0]) as HrisAuthType;
  if (!adapter.authTypes.includes(auth)) throw new NewStackError(`--auth ${o.auth}: ${adapter.label} (${o.kind}) supports ${adapter.authTypes.join(", ")}`);
  if (o.hrisPath !== undefined && o.kind !== "custom") throw new NewStackError("--hris-path is for --hris custom (the folder of your data action definitions)");

  const placeholders: string[] = [];
  const comments = new Map<string, string>();
  const mark = (key: string, why: string) => {
    placeholders.push(key);
    comments.set(key, ` placeholder: ${why}`);
  };

  mark("genesys.oauthClientId", "the id of the Genesys OAuth client (client credentials) Pulumi uses");
  const hris: Record<string, unknown> = { kind: o.kind };
  const shape = (adapter.configSchema as z.ZodObject).shape as Record<string, z.ZodType>;
  if (!adapter.defaultBaseUrl) {
    hris.baseUrl = `https://hr.${o.slug}.example`;
    mark("hris.baseUrl", "the API origin of the customer's HRIS");
  }
  for (const [field, schema] of Object.entries(shape)) {
    if (SHARED_HRIS_FIELDS.includes(field) || schema.safeParse(undefined).success) continue; // optional or defaulted
    const given = field === "path" ? o.hrisPath : undefined;
    const value = placeholderFor(schema, [given, FIELD_PLACEHOLDERS[o.kind]?.[field], o.slug, o.slug.replace(/-/g, "").slice(0, 20), fieldDoc(schema).example]);
    if (value === undefined) throw new NewStackError(`no placeholder fits hris.${field} of ${o.kind}; set it by hand (${fieldDoc(schema).description ?? "see docs/config.md"})`);
    hris[field] = value;
    if (given === undefined) mark(`hris.${field}`, fieldDoc(schema).description ?? "the customer's value");
  }
  if (auth === "oauth") {
    hris.auth = { type: "oauth", clientId: `${o.slug}-genesys-wfm`, tokenUrl: o.kind === "personio" ? "https://api.personio.de/v1/auth" : `https://hr.${o.slug}.example/oauth/token` };
    mark("hris.auth.clientId", "the OAuth client id the HRIS issued");
    if (o.kind !== "personio") mark("hris.auth.tokenUrl", "the HRIS's OAuth token endpoint");
  } else hris.auth = { type: auth };

  const config: Record<string, unknown> = {
    "wfm-hris:customer": o.slug,
    "wfm-hris:genesys": { region: o.region, oauthClientId: "00000000-0000-4000-8000-000000000000", division: "Home" },
    "wfm-hris:hris": hris,
  };
  if (o.vezaUrl !== undefined) config["wfm-hris:veza"] = { url: o.vezaUrl };

  const secrets = neededSecrets(config);
  for (const s of secrets) config[`wfm-hris:${s}`] = { secure: SECRET_PLACEHOLDER };

  const doc = new YAML.Document({ config });
  doc.commentBefore =
    ` Customer ${o.slug}: Genesys Cloud in ${o.region}, ${adapter.label} (hris.kind ${o.kind}), written by npm run new-customer.\n` +
    ` It plans offline as it is (npm run plan -- --stack ${o.slug}). Before the first deploy, replace each value marked\n` +
    ` "placeholder", set the secrets with pulumi config set --secret (or import them from a Pulumi ESC environment,\n` +
    ` docs/fleet.md), then mark the stack deployable: wfm-hris:deployable: true.`;
  for (const [key, comment] of comments) {
    const [section, ...rest] = key.split(".");
    const node = doc.getIn(["config", `wfm-hris:${section}`, ...rest], true) as YAML.Scalar | undefined;
    if (node) node.comment = comment;
  }
  return { text: doc.toString({ lineWidth: 0 }), secrets, placeholders: placeholders.map((p) => `wfm-hris:${p}`) };
}

/** The secret keys this config needs: what the config validation reports missing when none is set. */
function neededSecrets(config: Record<string, unknown>): SecretKey[] {
  const values = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.slice("wfm-hris:".length), typeof v === "string" ? v : JSON.stringify(v)]));
  try {
    validateStackConfig({ namespace: "wfm-hris", values, secretsPresent: new Set() });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const secretKeys = Object.keys(SECRET_KEYS) as SecretKey[];
    const missing = e.issues.map((i) => i.key.slice("wfm-hris:".length)).filter((k): k is SecretKey => secretKeys.includes(k as SecretKey));
    const others = e.issues.filter((i) => !secretKeys.includes(i.key.slice("wfm-hris:".length) as SecretKey));
    if (others.length) throw new NewStackError(`the new stack's config would not be valid:\n${others.map((i) => `  - ${i.key}: ${i.problem}`).join("\n")}`);
    return secretKeys.filter((k) => missing.includes(k));
  }
}

/** The commands that replace the secret placeholders, with what each secret is. */
export function secretCommands(slug: string, secrets: SecretKey[]): string[] {
  return secrets.map((s) => `pulumi config set --secret --stack ${slug} wfm-hris:${s} '${SECRET_KEYS[s].example}'    # ${SECRET_KEYS[s].description}`);
}
