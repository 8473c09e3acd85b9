import { z } from "zod";
import regionDomains from "../genesys/regions.json";
import { hrisAdapter, hrisAdapters, registryVersion } from "../../hris";
import { IDP_PROVIDERS } from "../veza/payload";
import { FLOW_SAFE, FLOW_SAFE_MESSAGE, FieldDoc, builtOnFirstRead, derived, displayName, doc, flowSafeName, httpsUrl, mapDoc } from "./fields";

export type { FieldDoc };

/** Genesys Cloud regions the Terraform provider accepts, with their API domains. */
export const GENESYS_REGIONS = Object.keys(regionDomains).filter((k) => !k.startsWith("$")) as [string, ...string[]];

export function genesysApiDomain(region: string): string {
  return (regionDomains as Record<string, string>)[region];
}

/** The hris section: one schema per registered adapter (or only `kind`'s), told apart by `kind`. */
function hrisConfigSchema(kind?: string) {
  const [first, ...rest] = (kind === undefined ? hrisAdapters() : [hrisAdapter(kind)]).map((a) => a.configSchema) as [z.ZodObject, ...z.ZodObject[]];
  return z.discriminatedUnion("kind", [first, ...rest]);
}

/** Built on first use (builtOnFirstRead), with the whole schema. */
const GenesysConfig = builtOnFirstRead(() =>
  z.strictObject({
    region: z
      .enum(GENESYS_REGIONS, { message: `must be one of the Genesys Cloud regions: ${GENESYS_REGIONS.join(", ")}` })
      .meta(doc("AWS region of the Genesys Cloud org.", "us-east-1")),
    oauthClientId: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .meta(doc("Client id of the Genesys OAuth client (client credentials) used by Pulumi. Omit to use GENESYSCLOUD_OAUTHCLIENT_ID.", "00000000-0000-0000-0000-000000000000"))
      .optional()
      .meta(derived("GENESYSCLOUD_OAUTHCLIENT_ID")),
    division: flowSafeName("Architect division of the workflows", "Home").default("Home"),
    integrationName: flowSafeName("Name of the Web Services Data Actions integration (also the data-action category)", "Acme WFM HRIS Data Actions")
      .optional()
      .meta(derived("`<customer> WFM HRIS Data Actions`")),
    credentialName: displayName("Name of the integration credential", "acme-bamboohr").optional().meta(derived("`<customer>-<hris.kind>`")),
    actionNamePrefix: z
      .string()
      .max(64, "must be at most 64 characters")
      .regex(/^[^/]*$/, "must not contain '/'")
      .regex(FLOW_SAFE, FLOW_SAFE_MESSAGE)
      .default("")
      .meta(doc("Prefix put before every data action name (flows call actions by name).", "Acme-")),
    flowNamePrefix: z
      .string()
      .max(60, "must be at most 60 characters")
      .regex(/^[^/]*$/, "must not contain '/'")
      .regex(FLOW_SAFE, FLOW_SAFE_MESSAGE)
      .meta(doc("Prefix put before every workflow name.", "Acme-"))
      .optional()
      .meta(derived("`<customer>-`")),
    actionTimeoutSeconds: z
      .number()
      .int("must be a whole number of seconds")
      .min(1, "must be between 1 and 60")
      .max(60, "must be between 1 and 60")
      .meta(doc("Timeout Genesys enforces on each data action (1-60 s).", "20"))
      .optional()
      .meta(derived("Genesys' default")),
  }),
);

/** Built on first use (builtOnFirstRead), with the whole schema. */
const WfmConfig = builtOnFirstRead(() =>
  z
    .strictObject({
      integrationName: displayName("Name of the WFM Time-off HRIS integration", "Acme WFM Time-off HRIS").optional().meta(derived("`<customer> WFM Time-off HRIS`")),
      enabled: z.boolean().default(true).meta(doc("Whether the WFM Time-off HRIS integration is ENABLED (or left DISABLED).", "true")),
      syncUserAccountIds: z
        .boolean()
        .meta(doc("Map the optional userAccountIds task to the get-agents workflow, so WFM can link HRIS ids to users (needs an HRIS adapter with a get-agents action).", "true"))
        .optional()
        .meta(derived("`true` when the HRIS adapter has a get-agents action")),
      autoSyncUserAccountIds: z
        .boolean()
        .default(false)
        .meta(doc("Turn on WFM's automatic 24-hour sync of user account ids (needs syncUserAccountIds).", "false")),
      integrationTypeName: z
        .string()
        .trim()
        .min(1, "must not be empty")
        .default("WFM Time-off HRIS")
        .meta(doc("Name of the integration type to look up in GET /api/v2/integrations/types.", "WFM Time-off HRIS")),
      integrationTypeId: z
        .string()
        .regex(/^[A-Za-z0-9_.-]+$/, "must be an integration type id (letters, digits, '-', '_', '.')")
        .meta(doc("Integration type id of WFM Time-off HRIS; skips discovering it from the org.", "wfm-hris"))
        .optional()
        .meta(derived("discovered from the org")),
      flowPropertyFormat: z
        .enum(["string", "list"], { message: "must be string or list" })
        .meta(doc("How the integration's config properties hold a flow id (a string or a list of one); skips reading the config schema.", "string"))
        .optional()
        .meta(derived("discovered from the org")),
      autoSyncPropertyKey: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9_]*$/, "must be a property name")
        .meta(doc("Config property of the 24-hour sync toggle; skips finding it in the config schema.", "syncUserAccountIdsAutomatically"))
        .optional()
        .meta(derived("discovered from the org")),
      adoptIntegrationId: z
        .string()
        .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be the id (a GUID) of an existing WFM Time-off HRIS integration")
        .optional()
        .meta(doc("Adopt an integration installed by hand (Pulumi import) instead of creating one.", "00000000-0000-0000-0000-000000000000")),
      keepAdoptedIntegration: z
        .boolean()
        .default(true)
        .meta(
          doc(
            "Leave the adopted integration (adoptIntegrationId) in the org when the stack lets go of it (pulumi destroy, or removing the key); false lets the stack delete it (run pulumi up once after changing it).",
            "true",
          ),
        ),
    })
    .refine((w) => !w.autoSyncUserAccountIds || w.syncUserAccountIds !== false, {
      message: "autoSyncUserAccountIds needs syncUserAccountIds: the automatic sync runs the get-agents workflow",
      path: ["autoSyncUserAccountIds"],
    }),
);

/** Built on first use (builtOnFirstRead), with the whole schema. */
const VezaConfig = builtOnFirstRead(() =>
  z.strictObject({
    url: httpsUrl().meta(doc("Veza tenant URL.", "https://acme.vezacloud.com")),
    providerName: displayName("Name of the Veza OAA custom provider", "Acme BambooHR").optional().meta(derived("`<customer> <HRIS label>`, e.g. `acme BambooHR`")),
    dataSourceName: displayName("Name of the Veza data source under the provider", "Acme BambooHR - acme").optional().meta(derived("`<providerName> - <HRIS instance>` (the company domain for BambooHR)")),
    provisioning: z.boolean().default(false).meta(doc("Enable Veza Lifecycle Management provisioning on the provider.", "false")),
    idpProviders: z
      .array(z.enum(IDP_PROVIDERS, { message: `must be one of ${IDP_PROVIDERS.join(", ")}` }))
      .refine((list) => new Set(list).size === list.length, "lists an identity provider twice; give each once")
      .default([])
      .meta(doc("Identity providers whose users Veza links to HRIS employees (system.idp_providers).", "[\"okta\"]")),
    idpIdField: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .optional()
      .meta(doc("HRIS field holding each employee's IdP login, sent as idp_id; without it Veza matches employees by work email.", "customOktaLogin")),
    employeeProperties: z
      .record(z.string().regex(/^[a-z][a-z_]*$/, "property names must be lowercase letters and _, starting with a letter"), z.string().min(1))
      .default({})
      .meta(doc("Extra HRIS fields sent as Veza custom employee properties: property name → HRIS field id.", "{\"cost_center_code\":\"customCostCenter\"}")),
    keepAdopted: z
      .boolean()
      .default(true)
      .meta(
        doc(
          "Leave a provider or data source the stack adopted (found by name instead of creating it) in Veza when the stack deletes or replaces it; false lets the stack delete it (run pulumi up once after changing it).",
          "true",
        ),
      ),
  }),
);

const buildStackConfigSchema = (kind?: string) =>
  z.strictObject({
  deployable: z
    .boolean()
    .default(false)
    .meta(doc("CI previews and deploys this stack against the Pulumi backend (its secrets are real). Samples leave it unset and are only planned offline.", "true")),
  customer: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,38}[a-z0-9]$/, "must be a slug of 2-40 characters: lowercase letters, digits and inner hyphens, starting with a letter")
    .meta(doc("Customer slug; prefixes resource names.", "acme-dev")),
  genesys: GenesysConfig().meta(
    mapDoc("Genesys Cloud settings (a map).", "add the map, e.g. `pulumi config set --path 'wfm-hris:genesys.region' us-east-1`"),
  ),
  hris: hrisConfigSchema(kind).meta(
    mapDoc(
      "The HRIS to connect (a map with `kind`).",
      // Shown when the section is missing: the full schema's (a schema for one kind is only used for configs that pass).
      kind === undefined ? `add the map, e.g. ${hrisAdapters()[0].configExample}` : "",
    ),
  ),
  wfm: WfmConfig().default({
    enabled: true,
    autoSyncUserAccountIds: false,
    integrationTypeName: "WFM Time-off HRIS",
    keepAdoptedIntegration: true,
  }).meta(
    mapDoc("WFM Time-off HRIS integration settings (a map; all optional).", "e.g. `pulumi config set --path 'wfm-hris:wfm.autoSyncUserAccountIds' true`"),
  ),
  veza: VezaConfig().optional().meta(
    mapDoc("Optional Veza OAA provider settings (a map).", "add the map, e.g. `pulumi config set --path 'wfm-hris:veza.url' https://acme.vezacloud.com`"),
  ),
});

let cached: { version: number; schemas: Map<string | undefined, ReturnType<typeof buildStackConfigSchema>> } | undefined;
/**
 * The stack config schema for the HRIS adapters registered now (hris/registry.ts). With `kind` (a registered one),
 * the same schema with only that adapter's hris section: it accepts exactly the configs of that kind the full one
 * accepts, with the same result, and builds (and loads) one adapter instead of all. Messages come from the full one.
 */
export function stackConfigSchema(kind?: string) {
  if (cached?.version !== registryVersion()) cached = { version: registryVersion(), schemas: new Map() };
  let schema = cached.schemas.get(kind);
  if (!schema) cached.schemas.set(kind, (schema = buildStackConfigSchema(kind)));
  return schema;
}

export type StackConfigInput = z.input<ReturnType<typeof stackConfigSchema>>;
export type ParsedStackConfig = z.output<ReturnType<typeof stackConfigSchema>>;

/** Secret config keys: never parsed by zod, never printed; read with requireSecret. */
export const SECRET_KEYS = {
  genesysOauthClientSecret: doc("Secret of the Genesys OAuth client used by Pulumi. Omit (with genesys.oauthClientId) to use GENESYSCLOUD_OAUTHCLIENT_SECRET.", "<client secret>"),
  hrisApiKey: doc("HRIS API key (hris.auth.type apiKey).", "<HRIS API key>"),
  hrisOauthClientSecret: doc("OAuth client secret for the HRIS (hris.auth.type oauth).", "<OAuth client secret>"),
  vezaApiKey: doc("Veza API key (when the veza section is set).", "<Veza API key>"),
} as const;
export type SecretKey = keyof typeof SECRET_KEYS;

/** Top-level keys whose values are objects (Pulumi passes them as JSON text). */
export const OBJECT_KEYS = ["genesys", "hris", "wfm", "veza"] as const;
/** Top-level keys whose values are booleans (Pulumi passes them as the text `true` / `false`). */
export const BOOLEAN_KEYS = ["deployable"] as const;
