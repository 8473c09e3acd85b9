import * as genesyscloud from "@pulumi/genesyscloud";
import { WfmHris } from "./components/wfmHris";
import { readStackConfig } from "./lib/config/pulumi";
import { loadStackContent } from "./lib/stackContent";

// Validate everything first: a bad config or definition fails before any resource is registered.
const { config, secrets } = readStackConfig();
const content = loadStackContent(config);

const provider = new genesyscloud.Provider(`${config.customer}-genesyscloud`, {
  awsRegion: config.genesys.region,
  // Without them the provider reads GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET.
  oauthclientId: config.genesys.oauthClientId,
  oauthclientSecret: secrets.genesysOauthClientSecret,
});

const wfmHris = new WfmHris(config.customer, { config, content, secrets }, { providers: [provider] });

export const customer = config.customer;
export const genesysRegion = config.genesys.region;
export const dataActionIntegrationId = wfmHris.integrationId;
export const dataActionCategory = wfmHris.category;
export const dataActionIds = wfmHris.actionIds;
