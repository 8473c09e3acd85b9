import * as genesyscloud from "@pulumi/genesyscloud";
import * as pulumi from "@pulumi/pulumi";
import { VezaHrisProvider } from "./components/veza";
import { WfmHris } from "./components/wfmHris";
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

const wfmIntegrationType = resolveWfmIntegrationType(config, secrets);
const wfmHris = new WfmHris("wfm-hris", { config, content, secrets, wfmIntegrationType }, { providers: [provider], ...formerly(config.customer) });

export const customer = config.customer;
export const genesysRegion = config.genesys.region;
export const dataActionIntegrationId = wfmHris.integrationId;
export const dataActionCategory = wfmHris.category;
export const dataActionIds = wfmHris.actionIds;
export const workflowIds = wfmHris.flowIds;
export const wfmIntegrationId = wfmHris.wfmIntegrationId;
export const wfmTaskWorkflows = wfmHris.wfmTaskWorkflows;

// The HRIS in Veza, only for stacks with a veza section.
const veza = config.veza
  ? new VezaHrisProvider("veza", { veza: config.veza, apiKey: secrets.vezaApiKey, payload: vezaPayloadForStack(config, secrets) }, formerly(`${config.customer}-veza`))
  : undefined;
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
