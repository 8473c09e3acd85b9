import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { VezaHrisProvider, VezaHrisProviderArgs } from "./components/veza";
import { WfmHris, WfmHrisArgs, dataActionCredential } from "./components/wfmHris";
import { AUTH_SECRET } from "./hris";
import { readStackConfig } from "./lib/config/pulumi";
import { resolveWfmIntegrationType } from "./lib/genesys/resolveWfmType";
import { isUserError } from "./lib/errors";
import { loadStackContent } from "./lib/stackContent";
import { vezaPayloadForStack } from "./lib/veza/stackPayload";

// Validate everything first: a bad config or definition fails before any resource is registered.
// RunError makes the CLI print the message alone, without a stack trace.
function validated<T>(load: () => T): T {
  try {
    return load();
  } catch (e) {
    throw isUserError(e) ? new pulumi.RunError((e as Error).message) : e;
  }
}
const { config, secrets } = validated(readStackConfig);
const content = validated(() => loadStackContent(config));

// Logical names are fixed, not derived from the customer slug: a stack is one customer, and a name that moved with
// the slug would make Pulumi create every object again (same display names) before deleting the old ones.
// `formerly` keeps stacks deployed before this rule: the engine matches the old names as aliases.
const formerly = (name: string) => ({ aliases: [{ name }] });
const provider = new genesyscloud.Provider(
  "genesyscloud",
  {
    awsRegion: config.genesys.region,
    // Without them the provider reads GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET.
    oauthclientId: config.genesys.oauthClientId,
    oauthclientSecret: secrets.genesysOauthClientSecret,
  },
  formerly(`${config.customer}-genesyscloud`),
);

// The one place the stack config becomes component args: the components know nothing of Pulumi config.
const authSecretKey = AUTH_SECRET[config.hris.auth.type];
const authSecret = secrets[authSecretKey];
if (!authSecret) throw new pulumi.RunError(`${authSecretKey} is required for hris.auth.type ${config.hris.auth.type}`);
const wfmHrisArgs: WfmHrisArgs = {
  integrationName: config.genesys.integrationName,
  integrationNotes: `WFM Time-off HRIS data actions for ${config.customer} (${config.hris.kind}); managed by Pulumi (wfm-hris).`,
  credential: dataActionCredential(config.genesys.credentialName, config.hris.auth, content, authSecret),
  content,
  wfm: {
    name: config.wfm.integrationName,
    notes: `Time-off sync with ${config.hris.kind} for ${config.customer}; managed by Pulumi (wfm-hris).`,
    enabled: config.wfm.enabled,
    typeInfo: resolveWfmIntegrationType(config, secrets),
    syncUserAccountIds: config.wfm.syncUserAccountIds,
    autoSyncUserAccountIds: config.wfm.autoSyncUserAccountIds,
    adoptIntegrationId: config.wfm.adoptIntegrationId,
    keepAdopted: config.wfm.keepAdoptedIntegration,
  },
};
const wfmHris = new WfmHris("wfm-hris", wfmHrisArgs, { providers: [provider], ...formerly(config.customer) });

export const customer = config.customer;
export const genesysRegion = config.genesys.region;
export const dataActionIntegrationId = wfmHris.integrationId;
export const dataActionCategory = wfmHris.category;
export const dataActionIds = wfmHris.actionIds;
export const workflowIds = wfmHris.flowIds;
export const wfmIntegrationId = wfmHris.wfmIntegrationId;
export const wfmTaskWorkflows = wfmHris.wfmTaskWorkflows;

// The HRIS in Veza, only for stacks with a veza section.
// Config validation requires vezaApiKey with a veza section.
const vezaArgs = (veza: NonNullable<typeof config.veza>): VezaHrisProviderArgs => ({
  connection: { url: veza.url, apiKey: secrets.vezaApiKey! },
  providerName: veza.providerName,
  dataSourceName: veza.dataSourceName,
  provisioning: veza.provisioning,
  keepAdopted: veza.keepAdopted,
  payload: vezaPayloadForStack(config, secrets),
});
const veza = config.veza ? new VezaHrisProvider("veza", vezaArgs(config.veza), formerly(`${config.customer}-veza`)) : undefined;
export const vezaSync = veza
  ? {
      providerId: veza.providerId,
      dataSourceId: veza.dataSourceId,
      payloadHash: veza.payloadHash,
      employeeCount: veza.employeeCount,
      groupCount: veza.groupCount,
      warnings: veza.warnings,
    }
  : "not configured (the stack has no veza section)";
