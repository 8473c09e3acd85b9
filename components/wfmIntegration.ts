import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import type { WfmFlowProperty, WfmIntegrationTypeInfo } from "../lib/genesys/wfmIntegrationType";

export interface WfmHrisIntegrationArgs {
  /** Integration name shown in Genesys. */
  name: string;
  notes?: string;
  /** ENABLED when true, DISABLED otherwise. */
  enabled: boolean;
  /** Type id and property shapes, discovered from the org or configured (lib/genesys/wfmIntegrationType). */
  typeInfo: pulumi.Input<WfmIntegrationTypeInfo>;
  /** Flow id per config property; `userAccountIds` is optional. */
  flowIds: Partial<Record<WfmFlowProperty, pulumi.Input<string>>>;
  /** Turn on the automatic 24-hour sync of user account ids (needs `userAccountIds`). */
  autoSyncUserAccountIds: boolean;
  /** Adopt an integration installed by hand (Pulumi import) instead of creating one. */
  adoptIntegrationId?: string;
  /** Leave an adopted integration in the org when the stack deletes it (default true). */
  keepAdopted?: boolean;
}

/** The JSON of `config.properties`: each task's flow id in the shape the type expects, keys sorted. */
export function wfmProperties(info: WfmIntegrationTypeInfo, flowIds: Partial<Record<WfmFlowProperty, string>>, autoSync: boolean): string {
  const props: Record<string, unknown> = {};
  for (const [key, id] of Object.entries(flowIds) as [WfmFlowProperty, string][]) props[key] = info.propertyFormats[key] === "list" ? [id] : id;
  if (info.autoSyncPropertyKey) props[info.autoSyncPropertyKey] = autoSync && "userAccountIds" in flowIds;
  return JSON.stringify(Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1))));
}

/** The WFM Time-off HRIS integration: which workflow serves each WFM task. */
export class WfmHrisIntegration extends pulumi.ComponentResource {
  declare public readonly integrationId: pulumi.Output<string>;
  declare public readonly integrationType: pulumi.Output<string>;

  public readonly integration: genesyscloud.Integration;

  constructor(name: string, args: WfmHrisIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:genesys:WfmHrisIntegration", name, {}, opts);
    if (args.autoSyncUserAccountIds && !args.flowIds.userAccountIds)
      throw new Error(`WfmHrisIntegration ${name}: the automatic user account id sync needs a userAccountIds workflow`);
    const info = pulumi.output(args.typeInfo);
    const flowIds = pulumi.all(args.flowIds as Record<string, pulumi.Input<string>>) as pulumi.Output<Partial<Record<WfmFlowProperty, string>>>;
    this.integration = new genesyscloud.Integration(
      `${name}-integration`,
      {
        integrationType: info.typeId,
        intendedState: args.enabled ? "ENABLED" : "DISABLED",
        config: {
          name: args.name,
          notes: args.notes,
          properties: pulumi.all([info, flowIds]).apply(([i, ids]) => wfmProperties(i, ids, args.autoSyncUserAccountIds)),
        },
      },
      // An adopted integration was there before the stack: destroying the stack, or dropping adoptIntegrationId,
      // leaves it in the org (retainOnDelete) unless the stack config says the stack may delete it.
      { parent: this, import: args.adoptIntegrationId, retainOnDelete: args.adoptIntegrationId ? (args.keepAdopted ?? true) : undefined },
    );
    this.integrationId = this.integration.id;
    this.integrationType = info.typeId;
    this.registerOutputs({ integrationId: this.integrationId, integrationType: this.integrationType });
  }
}
