import { GenesysApiError, GenesysApiOptions, apiGet, apiGetAll, getAccessToken } from "./api";

/**
 * The WFM Time-off HRIS integration type is not documented: its id and the shape of its config properties are
 * discovered from the org (GET /api/v2/integrations/types, then its `properties` config schema).
 */

/** The properties that point at the five workflows (names from the Terraform provider's exporter). */
export const WFM_FLOW_PROPERTIES = ["timeOffTypes", "timeOffBalances", "createTimeOffRequests", "updateTimeOffRequests", "userAccountIds"] as const;
export type WfmFlowProperty = (typeof WFM_FLOW_PROPERTIES)[number];

export interface WfmIntegrationTypeInfo {
  typeId: string;
  /** Whether each flow property holds the flow id as a string or as a list of one. */
  propertyFormats: Record<WfmFlowProperty, "string" | "list">;
  /** The boolean property that switches on the automatic 24-hour sync of user account ids, when known. */
  autoSyncPropertyKey?: string;
}

export class WfmDiscoveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WfmDiscoveryError";
  }
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

export interface DiscoveryOptions extends GenesysApiOptions {
  /** Type name to match (case and punctuation ignored). */
  typeName: string;
  /** Known already: skip the type lookup. */
  typeId?: string;
  /** Known already: skip reading the config schema for formats. */
  propertyFormat?: "string" | "list";
  autoSyncPropertyKey?: string;
  /** Properties that must exist (userAccountIds only when it is mapped). */
  requiredProperties: readonly WfmFlowProperty[];
  /** Whether the auto-sync toggle is needed. */
  needAutoSync: boolean;
}

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema & { title?: string; description?: string }>; items?: JsonSchema };

async function findType(opts: DiscoveryOptions, token: string): Promise<string> {
  const types = await apiGetAll<{ id: string; name: string }>(opts, token, "/api/v2/integrations/types", "Listing Genesys integration types");
  const matches = types.filter((t) => normalise(t.name ?? "") === normalise(opts.typeName));
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1)
    throw new WfmDiscoveryError(
      `Several Genesys integration types are named "${opts.typeName}": ${matches.map((t) => `${t.id} (${t.name})`).join(", ")}. Set wfm.integrationTypeId to the right one.`,
    );
  const near = types.filter((t) => /wfm|hris|time.?off/i.test(`${t.id} ${t.name}`)).map((t) => `${t.id} (${t.name})`);
  throw new WfmDiscoveryError(
    `No Genesys integration type is named "${opts.typeName}" among the ${types.length} types of the org` +
      (near.length ? `; similar: ${near.join(", ")}` : "") +
      ". Check that WFM Time-off HRIS is available to the org, or set wfm.integrationTypeName / wfm.integrationTypeId.",
  );
}

function formatsFrom(schema: JsonSchema, opts: DiscoveryOptions, typeId: string): Pick<WfmIntegrationTypeInfo, "propertyFormats" | "autoSyncPropertyKey"> {
  const props = schema.properties ?? {};
  const missing = opts.requiredProperties.filter((k) => !(k in props));
  if (missing.length)
    throw new WfmDiscoveryError(
      `The config schema of integration type ${typeId} has no ${missing.join(", ")} (it has: ${Object.keys(props).join(", ") || "nothing"}). ` +
        "Set wfm.integrationTypeId if this is not the WFM Time-off HRIS type.",
    );
  const isList = (p?: JsonSchema) => !!p && (p.type === "array" || (Array.isArray(p.type) && p.type.includes("array")));
  const propertyFormats = Object.fromEntries(
    WFM_FLOW_PROPERTIES.map((k) => [k, opts.propertyFormat ?? (isList(props[k]) ? "list" : "string")]),
  ) as WfmIntegrationTypeInfo["propertyFormats"];
  let autoSyncPropertyKey = opts.autoSyncPropertyKey;
  if (!autoSyncPropertyKey) {
    const toggles = Object.entries(props).filter(
      ([k, p]) => (p.type === "boolean" || (Array.isArray(p.type) && p.type.includes("boolean"))) && /sync/i.test(`${k} ${p.title ?? ""} ${p.description ?? ""}`),
    );
    if (toggles.length === 1) autoSyncPropertyKey = toggles[0][0];
    else if (opts.needAutoSync)
      throw new WfmDiscoveryError(
        `Cannot tell which property of integration type ${typeId} turns on the automatic user account id sync ` +
          (toggles.length ? `(candidates: ${toggles.map(([k]) => k).join(", ")})` : "(no boolean property mentions sync)") +
          ". Set wfm.autoSyncPropertyKey.",
      );
  }
  return { propertyFormats, autoSyncPropertyKey };
}

/** Finds the WFM Time-off HRIS type and reads how its properties hold flow ids. */
export async function discoverWfmIntegrationType(opts: DiscoveryOptions): Promise<WfmIntegrationTypeInfo> {
  try {
    const token = await getAccessToken(opts);
    const typeId = opts.typeId ?? (await findType(opts, token));
    // Read even when formats are configured: it proves the type has the properties the flows are mapped to.
    const schema = (await apiGet(
      opts,
      token,
      `/api/v2/integrations/types/${encodeURIComponent(typeId)}/configschemas/properties`,
      `Reading the config schema of integration type ${typeId}`,
    )) as JsonSchema;
    return { typeId, ...formatsFrom(schema, opts, typeId) };
  } catch (e) {
    if (e instanceof GenesysApiError || e instanceof WfmDiscoveryError)
      throw new WfmDiscoveryError(`Discovering the WFM Time-off HRIS integration type failed. ${e.message}`);
    throw e;
  }
}
