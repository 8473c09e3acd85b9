import * as pulumi from "@pulumi/pulumi";
import { AUTH_SECRET, credentialFields } from "../hris";
import type { StackSecrets } from "../lib/config/pulumi";
import type { StackConfig } from "../lib/config/validate";
import type { WorkflowTask } from "../lib/flows/contract";
import { mappedProperties } from "../lib/genesys/resolveWfmType";
import type { WfmFlowProperty, WfmIntegrationTypeInfo } from "../lib/genesys/wfmIntegrationType";
import type { StackContent } from "../lib/stackContent";
import { DataActionLayer, DataActionCredentialArgs } from "./dataActionLayer";
import { WfmHrisIntegration } from "./wfmIntegration";
import { Workflows } from "./workflows";

export interface WfmHrisArgs {
  /** Validated stack configuration (lib/config). */
  config: StackConfig;
  /** Validated data actions and auth profile (lib/stackContent). */
  content: StackContent;
  /** Secret config values. */
  secrets: StackSecrets;
  /** The WFM Time-off HRIS integration type (lib/genesys/resolveWfmType). */
  wfmIntegrationType: pulumi.Input<WfmIntegrationTypeInfo>;
}

/** The integration credential for the configured HRIS authentication; secrets stay Pulumi secrets. */
export function credentialFor(config: StackConfig, content: StackContent, secrets: StackSecrets): DataActionCredentialArgs {
  const key = AUTH_SECRET[config.hris.auth.type];
  const secret = secrets[key];
  if (!secret) throw new Error(`${key} is required for hris.auth.type ${config.hris.auth.type}`);
  return { name: config.genesys.credentialName, type: content.auth.credentialType, fields: credentialFields(config.hris.auth, secret) };
}

/**
 * Everything one customer environment needs for WFM Time-off HRIS sync in Genesys Cloud: the data-action layer,
 * the five workflows calling it, and the WFM Time-off HRIS integration pointing at the workflows.
 */
export class WfmHris extends pulumi.ComponentResource {
  declare public readonly integrationId: pulumi.Output<string>;
  declare public readonly category: pulumi.Output<string>;
  declare public readonly actionIds: pulumi.Output<Record<string, string>>;
  declare public readonly flowIds: pulumi.Output<Record<WorkflowTask, string>>;
  declare public readonly wfmIntegrationId: pulumi.Output<string>;
  /** Which workflow (by name) serves each WFM integration property. */
  declare public readonly wfmTaskWorkflows: pulumi.Output<Partial<Record<WfmFlowProperty, string>>>;

  public readonly dataActions: DataActionLayer;
  public readonly workflows: Workflows;
  public readonly wfmIntegration: WfmHrisIntegration;

  constructor(name: string, args: WfmHrisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:index:WfmHris", name, {}, opts);
    const { config, content, secrets } = args;

    this.dataActions = new DataActionLayer(
      `${name}-data-actions`,
      {
        integrationName: config.genesys.integrationName,
        notes: `WFM Time-off HRIS data actions for ${config.customer} (${config.hris.kind}); managed by Pulumi (wfm-hris).`,
        credential: credentialFor(config, content, secrets),
        customAuthAction: content.auth.customAuthAction,
        actions: content.actions,
      },
      { parent: this },
    );

    this.workflows = new Workflows(
      `${name}-workflows`,
      {
        flows: content.flows,
        actions: this.dataActions.actions,
        actionNames: Object.fromEntries(Object.entries(this.dataActions.actions).map(([n, a]) => [n, a.name])),
      },
      { parent: this },
    );

    const mapped = mappedProperties(config);
    const byProperty = (pick: (task: WorkflowTask) => pulumi.Input<string>) =>
      Object.fromEntries(content.flows.filter((f) => mapped.includes(f.spec.wfmProperty as WfmFlowProperty)).map((f) => [f.spec.wfmProperty, pick(f.spec.task)]));
    this.wfmIntegration = new WfmHrisIntegration(
      `${name}-wfm`,
      {
        name: config.wfm.integrationName,
        notes: `Time-off sync with ${config.hris.kind} for ${config.customer}; managed by Pulumi (wfm-hris).`,
        enabled: config.wfm.enabled,
        typeInfo: args.wfmIntegrationType,
        flowIds: byProperty((task) => this.workflows.flows[task].id),
        autoSyncUserAccountIds: config.wfm.autoSyncUserAccountIds,
        adoptIntegrationId: config.wfm.adoptIntegrationId,
        keepAdopted: config.wfm.keepAdoptedIntegration,
      },
      { parent: this },
    );

    this.integrationId = this.dataActions.integrationId;
    this.category = this.dataActions.category;
    this.actionIds = this.dataActions.actionIds;
    this.flowIds = this.workflows.flowIds;
    this.wfmIntegrationId = this.wfmIntegration.integrationId;
    this.wfmTaskWorkflows = pulumi.output(byProperty((task) => content.flows.find((f) => f.spec.task === task)!.name));
    this.registerOutputs({
      integrationId: this.integrationId,
      category: this.category,
      actionIds: this.actionIds,
      flowIds: this.flowIds,
      wfmIntegrationId: this.wfmIntegrationId,
      wfmTaskWorkflows: this.wfmTaskWorkflows,
    });
  }
}
