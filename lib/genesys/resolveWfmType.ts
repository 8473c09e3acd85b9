import * as pulumi from "@pulumi/pulumi";
import type { StackSecrets } from "../config/pulumi";
import type { StackConfig } from "../config/validate";
import { WFM_FLOW_PROPERTIES, WfmFlowProperty, WfmIntegrationTypeInfo, discoverWfmIntegrationType } from "./wfmIntegrationType";

/** Set by the offline plan: nothing may be fetched, so discovered values stay "known after apply". */
export const OFFLINE_PLAN_ENV = "WFM_HRIS_OFFLINE_PLAN";

/** The config properties this stack maps: userAccountIds only when agent sync is on. */
export function mappedProperties(config: StackConfig): WfmFlowProperty[] {
  return WFM_FLOW_PROPERTIES.filter((p) => p !== "userAccountIds" || config.wfm.syncUserAccountIds);
}

/**
 * The WFM Time-off HRIS integration type for this stack: from config when it names everything, else discovered
 * from the org with the deployment's Genesys OAuth client (during preview too, so the diff is real).
 */
export function resolveWfmIntegrationType(config: StackConfig, secrets: StackSecrets, env: NodeJS.ProcessEnv = process.env): pulumi.Output<WfmIntegrationTypeInfo> {
  const { wfm } = config;
  if (wfm.integrationTypeId && wfm.flowPropertyFormat && (!wfm.autoSyncUserAccountIds || wfm.autoSyncPropertyKey)) {
    const format = wfm.flowPropertyFormat;
    return pulumi.output({
      typeId: wfm.integrationTypeId,
      propertyFormats: Object.fromEntries(WFM_FLOW_PROPERTIES.map((p) => [p, format])) as WfmIntegrationTypeInfo["propertyFormats"],
      autoSyncPropertyKey: wfm.autoSyncPropertyKey,
    });
  }
  if (env[OFFLINE_PLAN_ENV] === "1") return pulumi.output(pulumi.unknown) as unknown as pulumi.Output<WfmIntegrationTypeInfo>;

  const clientId = config.genesys.oauthClientId ?? env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = secrets.genesysOauthClientSecret ?? (env.GENESYSCLOUD_OAUTHCLIENT_SECRET ? pulumi.secret(env.GENESYSCLOUD_OAUTHCLIENT_SECRET) : undefined);
  if (!clientId || !clientSecret)
    throw new pulumi.RunError(
      "Discovering the WFM Time-off HRIS integration type needs Genesys credentials: set genesys.oauthClientId and genesysOauthClientSecret " +
        "(or GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET), or name the type in config: wfm.integrationTypeId and wfm.flowPropertyFormat.",
    );
  // The result is not secret, though it is derived from the client secret.
  return pulumi.unsecret(
    pulumi.output(clientSecret).apply((secret) =>
      discoverWfmIntegrationType({
        region: config.genesys.region,
        clientId,
        clientSecret: secret,
        typeName: wfm.integrationTypeName,
        typeId: wfm.integrationTypeId,
        propertyFormat: wfm.flowPropertyFormat,
        autoSyncPropertyKey: wfm.autoSyncPropertyKey,
        requiredProperties: mappedProperties(config),
        needAutoSync: wfm.autoSyncUserAccountIds,
      }),
    ),
  );
}
