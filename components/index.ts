/**
 * The wfm-hris package's public API (`import ... from "wfm-hris"`): the components and their args, the HRIS adapter
 * API, and the helpers that turn settings into validated content. docs/package.md says how the parts fit.
 */

// Components other languages use too (components/provider.ts hosts them): plain args, content loaded for you.
export { HrisTimeOffSync, VezaHrisSync } from "./crossLanguage";
export type { GenesysSettingsArgs, HrisSettingsArgs, HrisTimeOffSyncArgs, VezaHrisSyncArgs, VezaSettingsArgs, WfmSettingsArgs } from "./crossLanguage";

// The TypeScript components, composed from validated content.
export { WfmHris, dataActionCredential } from "./wfmHris";
export type { WfmHrisArgs, WfmIntegrationSettings } from "./wfmHris";
export { DataActionLayer } from "./dataActionLayer";
export type { DataActionCredentialArgs, DataActionLayerArgs } from "./dataActionLayer";
export { Workflows } from "./workflows";
export type { WorkflowsArgs } from "./workflows";
export { WfmHrisIntegration, wfmProperties } from "./wfmIntegration";
export type { WfmHrisIntegrationArgs } from "./wfmIntegration";
export { VezaCustomProvider, VezaDataSource, VezaHrisProvider, VezaPush } from "./veza";
export type { VezaConnectionArgs, VezaHrisProviderArgs } from "./veza";

// Settings and content.
export { WfmHrisSettingsError, loadWfmHrisContent, namedWfmIntegrationType, resolveWfmHrisSettings, vezaPayload } from "./settings";
export type { ResolvedWfmHrisSettings, WfmHrisSettings } from "./settings";
export type { DeployableDataAction, DeployableFlow, StackContent } from "../lib/stackContent";
export { discoverWfmIntegrationType, WFM_FLOW_PROPERTIES } from "../lib/genesys/wfmIntegrationType";
export type { WfmFlowProperty, WfmIntegrationTypeInfo } from "../lib/genesys/wfmIntegrationType";
export type { WorkflowTask } from "../lib/flows/contract";
export type { PayloadRef } from "../lib/veza/stackPayload";

// The HRIS adapter API (docs/custom-hris.md): register an adapter before resolving settings that use its kind.
export * from "../hris";
