/**
 * A program of its own using the wfm-hris package: Initrode keeps its own names and composes the parts itself
 * (data actions, workflows, WFM integration) instead of the all-in-one WfmHris, under one genesyscloud provider.
 * It imports the package by name only, as any program would after `npm install wfm-hris@file:../..`.
 *
 *   pulumi config set wfmIntegrationTypeId <the org's WFM Time-off HRIS integration type id>
 *   pulumi config set --secret bambooApiKey <BambooHR API key>
 */
import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { DataActionLayer, WfmHrisIntegration, Workflows, dataActionCredential, loadWfmHrisContent, namedWfmIntegrationType, resolveWfmHrisSettings } from "wfm-hris";

const config = new pulumi.Config();

// The same settings and rules as a wfm-hris stack's config, given as values; defaults resolved, errors name the setting.
const settings = resolveWfmHrisSettings({
  customer: "initrode",
  genesys: { region: "eu-central-1", integrationName: "Initrode HR Data Actions", flowNamePrefix: "Initrode " },
  hris: { kind: "bamboohr", companyDomain: "initrode" },
});
// The BambooHR data actions and the workflows calling them, validated and rendered for these settings.
const content = loadWfmHrisContent(settings);

const genesys = new genesyscloud.Provider("genesys", { awsRegion: settings.genesys.region });

const dataActions = new DataActionLayer(
  "bamboohr-actions",
  {
    integrationName: settings.genesys.integrationName,
    notes: "Initrode's BambooHR, for WFM time off",
    credential: dataActionCredential("initrode-bamboohr", settings.hris.auth, content, config.requireSecret("bambooApiKey")),
    customAuthAction: content.auth.customAuthAction,
    actions: content.actions,
  },
  { providers: [genesys] },
);

const workflows = new Workflows(
  "time-off-workflows",
  {
    flows: content.flows,
    actions: dataActions.actions,
    actionNames: Object.fromEntries(Object.entries(dataActions.actions).map(([name, action]) => [name, action.name])),
  },
  { providers: [genesys] },
);

// Initrode does not sync agents from BambooHR: WFM gets the four time-off workflows only.
const wfm = new WfmHrisIntegration(
  "wfm-time-off",
  {
    name: "Initrode Time Off (BambooHR)",
    enabled: true,
    typeInfo: namedWfmIntegrationType(config.require("wfmIntegrationTypeId"), "string"),
    flowIds: {
      timeOffTypes: workflows.flows.getTimeOffTypes.id,
      timeOffBalances: workflows.flows.getBalance.id,
      createTimeOffRequests: workflows.flows.insertTimeOff.id,
      updateTimeOffRequests: workflows.flows.updateTimeOff.id,
    },
    autoSyncUserAccountIds: false,
  },
  { providers: [genesys] },
);

export const dataActionIds = dataActions.actionIds;
export const workflowIds = workflows.flowIds;
export const wfmIntegrationId = wfm.integrationId;
