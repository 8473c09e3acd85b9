import * as pulumi from "@pulumi/pulumi";
import { credentialFields } from "../hris";
import type { HrisAuth } from "../hris";
import type { WorkflowTask } from "../lib/flows/contract";
import { WFM_FLOW_PROPERTIES } from "../lib/genesys/wfmIntegrationType";
import type { WfmFlowProperty, WfmIntegrationTypeInfo } from "../lib/genesys/wfmIntegrationType";
import type { StackContent } from "../lib/stackContent";
import { DataActionLayer, DataActionCredentialArgs } from "./dataActionLayer";
import { WfmHrisIntegration } from "./wfmIntegration";
import { Workflows } from "./workflows";

/** The WFM Time-off HRIS integration that points WFM at the workflows. */
export interface WfmIntegrationSettings {
  /** Integration name shown in Genesys. */
  name: string;
  /** Notes shown on the integration. */
  notes?: string;
  /** ENABLED when true, DISABLED otherwise. */
  enabled: boolean;
  /** Type id and property shapes of the WFM Time-off HRIS integration type, named or discovered from the org (lib/genesys). */
  typeInfo: pulumi.Input<WfmIntegrationTypeInfo>;
  /** Point WFM's optional userAccountIds property at the get-agents workflow (agent sync); needs that workflow. */
  syncUserAccountIds: boolean;
  /** Turn on the automatic 24-hour sync of user account ids (needs syncUserAccountIds). */
  autoSyncUserAccountIds: boolean;
  /** Adopt an integration installed by hand (Pulumi import) instead of creating one. */
  adoptIntegrationId?: string;
  /** Leave an adopted integration in the org when the stack lets go of it (default true). */
  keepAdopted?: boolean;
}

export interface WfmHrisArgs {
  /** Name of the Web Services Data Actions integration; also the category under which the workflows find the actions. */
  integrationName: string;
  /** Notes shown on the Web Services Data Actions integration. */
  integrationNotes?: string;
  /** The integration credential the data actions authenticate to the HRIS with (see dataActionCredential). */
  credential: DataActionCredentialArgs;
  /**
   * Validated content for one HRIS: its data actions, auth profile and the workflows calling them
   * (loadStackContent, or loadWfmHrisContent from the package). Built for the same integration name.
   */
  content: Pick<StackContent, "actions" | "auth" | "flows">;
  /** The WFM Time-off HRIS integration. */
  wfm: WfmIntegrationSettings;
}

/**
 * The integration credential for an HRIS auth setting: a Basic Auth credential for an API key, a User Defined (OAuth)
 * one for client credentials. The secret stays a Pulumi secret.
 */
export function dataActionCredential(name: string, auth: HrisAuth, content: Pick<StackContent, "auth">, secret: pulumi.Input<string>): DataActionCredentialArgs {
  return { name, type: content.auth.credentialType, fields: credentialFields(auth, secret) };
}

/**
 * Everything one customer environment needs for WFM Time-off HRIS sync in Genesys Cloud: the data-action layer,
 * the workflows calling it, and the WFM Time-off HRIS integration pointing at the workflows.
 */
export class WfmHris extends pulumi.ComponentResource {
  /** Id of the Web Services Data Actions integration. */
  declare public readonly integrationId: pulumi.Output<string>;
  /** Category under which the workflows find the data actions (the integration name). */
  declare public readonly category: pulumi.Output<string>;
  /** Data action ids by action name. */
  declare public readonly actionIds: pulumi.Output<Record<string, string>>;
  /** Workflow ids by WFM HRIS task (getAgents, getTimeOffTypes, ...). */
  declare public readonly flowIds: pulumi.Output<Record<WorkflowTask, string>>;
  /** Id of the WFM Time-off HRIS integration. */
  declare public readonly wfmIntegrationId: pulumi.Output<string>;
  /** Which workflow (by name) serves each WFM integration property. */
  declare public readonly wfmTaskWorkflows: pulumi.Output<Partial<Record<WfmFlowProperty, string>>>;

  public readonly dataActions: DataActionLayer;
  public readonly workflows: Workflows;
  public readonly wfmIntegration: WfmHrisIntegration;

  constructor(name: string, args: WfmHrisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("wfm-hris:index:WfmHris", name, {}, opts);
    const { content, wfm } = args;
    // The workflows name the category they call; content built for another integration would call nothing.
    for (const flow of content.flows) {
      const category = flow.substitutions.data_action_category;
      if (category !== undefined && category !== args.integrationName)
        throw new Error(`WfmHris ${name}: ${flow.file} was built for the data action category "${category}", not integrationName "${args.integrationName}"; build the content with the same integration name`);
    }

    this.dataActions = new DataActionLayer(
      `${name}-data-actions`,
      {
        integrationName: args.integrationName,
        notes: args.integrationNotes,
        credential: args.credential,
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

    const mapped = WFM_FLOW_PROPERTIES.filter((p) => p !== "userAccountIds" || wfm.syncUserAccountIds);
    const byProperty = (pick: (task: WorkflowTask) => pulumi.Input<string>) =>
      Object.fromEntries(content.flows.filter((f) => mapped.includes(f.spec.wfmProperty as WfmFlowProperty)).map((f) => [f.spec.wfmProperty, pick(f.spec.task)]));
    this.wfmIntegration = new WfmHrisIntegration(
      `${name}-wfm`,
      {
        name: wfm.name,
        notes: wfm.notes,
        enabled: wfm.enabled,
        typeInfo: wfm.typeInfo,
        flowIds: byProperty((task) => this.workflows.flows[task].id),
        autoSyncUserAccountIds: wfm.autoSyncUserAccountIds,
        adoptIntegrationId: wfm.adoptIntegrationId,
        keepAdopted: wfm.keepAdopted,
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
