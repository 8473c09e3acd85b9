import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import type { StackConfig } from "../lib/config/validate";
import { isWireSecret, mockHex, promiseOf, recordResources, urnOf } from "./helpers/mocks";

const registered = recordResources();

const { DataActionLayer } = await import("../components/dataActionLayer");
const { WfmHris, dataActionCredential } = await import("../components/wfmHris");
const genesyscloud = await import("@pulumi/genesyscloud");
const { loadStackContent } = await import("../lib/stackContent");
const { validConfig } = await import("./helpers/config");

const oauthValues = {
  customer: "globex-prod",
  hris: {
    kind: "bamboohr",
    companyDomain: "globex",
    auth: { type: "oauth", clientId: "wfm-client", tokenUrl: "https://auth.globex.example/oauth/token", scope: "time_off" },
  },
};

const PROPERTIES = ["timeOffTypes", "timeOffBalances", "createTimeOffRequests", "updateTimeOffRequests", "userAccountIds"] as const;
const typeInfo = (format: "string" | "list", autoSyncPropertyKey?: string) => ({
  typeId: "wfm-time-off-hris",
  propertyFormats: Object.fromEntries(PROPERTIES.map((p) => [p, format])) as Record<(typeof PROPERTIES)[number], "string" | "list">,
  autoSyncPropertyKey,
});

/** The args index.ts maps a validated stack config to. */
function wfmHrisArgs(config: StackConfig, secret: pulumi.Input<string>, wfmIntegrationType: ReturnType<typeof typeInfo>) {
  const content = loadStackContent(config);
  return {
    integrationName: config.genesys.integrationName,
    credential: dataActionCredential(config.genesys.credentialName, config.hris.auth, content, secret),
    content,
    wfm: {
      name: config.wfm.integrationName,
      enabled: config.wfm.enabled,
      typeInfo: wfmIntegrationType,
      syncUserAccountIds: config.wfm.syncUserAccountIds,
      autoSyncUserAccountIds: config.wfm.autoSyncUserAccountIds,
      adoptIntegrationId: config.wfm.adoptIntegrationId,
      keepAdopted: config.wfm.keepAdoptedIntegration,
    },
  };
}

function apiKeyStack(name = "acme-dev", extra: Record<string, unknown> = {}) {
  const config = validConfig({ values: { customer: name, ...extra } });
  return new WfmHris(name, wfmHrisArgs(config, pulumi.secret("api-key-value"), typeInfo("string", "syncUserAccountIds")));
}

function oauthStack() {
  const config = validConfig({
    values: { ...oauthValues, wfm: { autoSyncUserAccountIds: true, adoptIntegrationId: "0f8fad5b-d9cb-469f-a165-70867728950e" } },
    secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"],
  });
  return new WfmHris("globex-prod", wfmHrisArgs(config, pulumi.secret("oauth-secret-value"), typeInfo("list", "syncUserAccountIds")));
}

const byName = async (name: string) => {
  await new Promise((r) => setTimeout(r, 0));
  const found = registered.find((r) => r.name === name);
  if (!found) throw new Error(`${name} was not registered; got ${registered.map((r) => r.name).join(", ")}`);
  return found;
};

describe("data-action layer", () => {
  const stack = apiKeyStack();

  it("creates a Web Services Data Actions integration, enabled, wired to the credential", async () => {
    const credentialId = await promiseOf(stack.dataActions.credentialId);
    const integration = await byName("acme-dev-data-actions-integration");
    expect(integration.type).toBe("genesyscloud:index/integration:Integration");
    expect(integration.inputs).toMatchObject({
      integrationType: "custom-rest-actions",
      intendedState: "ENABLED",
      config: { name: "acme-dev WFM HRIS Data Actions", credentials: { basicAuth: credentialId } },
    });
  });

  it("stores the BambooHR API key as a secret Basic Auth credential", async () => {
    const credential = await byName("acme-dev-data-actions-credential");
    expect(credential.type).toBe("genesyscloud:index/integrationCredential:IntegrationCredential");
    expect(credential.inputs.credentialTypeName).toBe("basicAuth");
    expect(credential.inputs.name).toBe("acme-dev-bamboohr");
    expect(isWireSecret(credential.inputs.fields)).toBe(true);
    expect(credential.inputs.fields.value).toEqual({ userName: "api-key-value", password: "x" });
    expect(await pulumi.isSecret(stack.dataActions.credential.fields)).toBe(true);
  });

  it("creates the five data actions with explicit names, the integration as category, and JSON contracts", async () => {
    const integrationId = await promiseOf(stack.integrationId);
    await promiseOf(stack.dataActions.actionNames);
    const actions = registered.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction" && r.name.startsWith("acme-dev-"));
    expect(actions.map((a) => a.inputs.name.replace(/-[0-9a-f]{8}$/, "")).sort()).toEqual([
      "Bamboo-Change-TimeOff-Request-Status",
      "Bamboo-Get-Agents",
      "Bamboo-Get-Balance",
      "Bamboo-Get-TimeOff-Types",
      "Bamboo-Put-TimeOff-Request",
    ]);
    for (const a of actions) {
      expect(a.inputs.category).toBe("acme-dev WFM HRIS Data Actions");
      expect(a.inputs.integrationId).toBe(integrationId);
      expect(JSON.parse(a.inputs.contractInput).type).toBe("object");
      expect(JSON.parse(a.inputs.contractOutput).type).toBe("object");
      expect(a.inputs.configRequest.headers).toEqual(expect.objectContaining({ Accept: "application/json" }));
    }
  });

  it("ends each action name with the hex of a RandomId kept by exactly the inputs Genesys cannot change in place", async () => {
    await promiseOf(stack.dataActions.actionNames);
    const actions = registered.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction" && r.name.startsWith("acme-dev-"));
    expect(actions).toHaveLength(5);
    for (const a of actions) {
      const identity = await byName(`${a.name}-identity`);
      expect(identity.type).toBe("random:index/randomId:RandomId");
      expect(a.inputs.name).toMatch(new RegExp(`-${mockHex(identity.name)}$`));
      // The keepers are what replaces the action (ForceNew in the provider): a new value, a new suffix, a new name.
      expect(identity.inputs.keepers).toEqual({
        integrationId: a.inputs.integrationId,
        secure: JSON.stringify(a.inputs.secure ?? null),
        contractInput: a.inputs.contractInput,
        contractOutput: a.inputs.contractOutput,
      });
    }
  });

  it("exposes the action ids by name", async () => {
    expect(await promiseOf(stack.actionIds)).toEqual({
      "Bamboo-Change-TimeOff-Request-Status": "acme-dev-data-actions-change-timeoff-request-status-id",
      "Bamboo-Get-Agents": "acme-dev-data-actions-get-agents-id",
      "Bamboo-Get-Balance": "acme-dev-data-actions-get-balance-id",
      "Bamboo-Get-TimeOff-Types": "acme-dev-data-actions-get-timeoff-types-id",
      "Bamboo-Put-TimeOff-Request": "acme-dev-data-actions-put-timeoff-request-id",
    });
  });

  it("parents every resource under the component tree", async () => {
    const layerUrn = await urnOf(stack.dataActions);
    expect(layerUrn).toMatch(/wfm-hris:index:WfmHris\$wfm-hris:genesys:DataActionLayer::acme-dev-data-actions$/);
    for (const r of [stack.dataActions.integration, stack.dataActions.credential, ...Object.values(stack.dataActions.actions)])
      expect(await urnOf(r)).toContain("wfm-hris:genesys:DataActionLayer$genesyscloud:index/");
  });

  it("creates no custom auth action for a Basic Auth credential", () => {
    expect(stack.dataActions.customAuthAction).toBeUndefined();
  });
});

describe("data-action layer with OAuth client credentials", () => {
  const stack = oauthStack();

  it("uses a User Defined (OAuth) credential with the client fields, secret", async () => {
    const credential = await byName("globex-prod-data-actions-credential");
    expect(credential.inputs.credentialTypeName).toBe("userDefinedOAuth");
    expect(isWireSecret(credential.inputs.fields)).toBe(true);
    expect(credential.inputs.fields.value).toEqual({
      clientId: "wfm-client",
      clientSecret: "oauth-secret-value",
      loginUrl: "https://auth.globex.example/oauth/token",
      scope: "time_off",
    });
  });

  it("configures the custom auth action to fetch a token with the credential fields", async () => {
    const auth = await byName("globex-prod-data-actions-custom-auth");
    expect(auth.type).toBe("genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction");
    expect(auth.inputs.integrationId).toBe(await promiseOf(stack.integrationId));
    expect(auth.inputs.name).toBe("globex-prod WFM HRIS Data Actions Custom Auth");
    expect(auth.inputs.configRequest).toMatchObject({ requestType: "POST", requestUrlTemplate: "${credentials.loginUrl}" });
    expect(auth.inputs.configResponse.translationMap).toEqual({ tokenValue: "$.access_token" });
  });

  it("sends the token from the auth response as a Bearer header on every action", async () => {
    const actions = registered.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction" && r.name.startsWith("globex-prod-"));
    expect(actions).toHaveLength(5);
    for (const a of actions) expect(a.inputs.configRequest.headers.Authorization).toBe("Bearer ${authResponse.token}");
  });

  it("rejects a custom auth action without a userDefinedOAuth credential", () => {
    expect(
      () =>
        new DataActionLayer("bad", {
          integrationName: "x",
          credential: { name: "c", type: "basicAuth", fields: {} },
          customAuthAction: { request: { requestType: "POST", requestUrlTemplate: "u", headers: {} }, response: { translationMap: {}, translationMapDefaults: {} } },
          actions: [],
        }),
    ).toThrow(/exactly when the credential type is userDefinedOAuth/);
  });
});

describe("WfmHris args", () => {
  it("refuses content built for another integration name, naming the workflow file and both names", () => {
    const config = validConfig({ values: { customer: "mismatch" } });
    const args = { ...wfmHrisArgs(config, "k", typeInfo("string")), integrationName: "Other Data Actions" };
    expect(() => new WfmHris("mismatch", args)).toThrow(/flows[\\/]get-agents\.yaml was built for the data action category "mismatch WFM HRIS Data Actions", not integrationName "Other Data Actions"/);
  });
});

describe("workflows", () => {
  const stack = apiKeyStack("wf");

  it("publishes the five workflows with explicit names, type WORKFLOW and project-relative files", async () => {
    await promiseOf(stack.flowIds);
    const flows = registered.filter((r) => r.type === "genesyscloud:index/flow:Flow" && r.name.startsWith("wf-"));
    expect(flows.map((f) => [f.inputs.filepath, f.inputs.name, f.inputs.type]).sort()).toEqual([
      ["flows/get-agents.yaml", "wf-HRIS-Get-Agents", "WORKFLOW"],
      ["flows/get-balance.yaml", "wf-HRIS-Get-Balance", "WORKFLOW"],
      ["flows/get-timeoff-types.yaml", "wf-HRIS-Get-TimeOff-Types", "WORKFLOW"],
      ["flows/insert-timeoff.yaml", "wf-HRIS-Insert-TimeOff", "WORKFLOW"],
      ["flows/update-timeoff.yaml", "wf-HRIS-Update-TimeOff", "WORKFLOW"],
    ]);
  });

  it("fills each flow's placeholders: its name, the category, the deployed names of the actions it calls, the HRIS capabilities", async () => {
    await promiseOf(stack.flowIds);
    const update = await byName("wf-workflows-update-timeoff");
    const deployed = (name: string, id: string) => `${name}-${mockHex(`wf-data-actions-${id}-identity`)}`;
    expect(update.inputs.substitutions).toEqual({
      action_change_timeoff_request_status: deployed("Bamboo-Change-TimeOff-Request-Status", "change-timeoff-request-status"),
      action_get_balance: deployed("Bamboo-Get-Balance", "get-balance"),
      action_put_timeoff_request: deployed("Bamboo-Put-TimeOff-Request", "put-timeoff-request"),
      data_action_category: "wf WFM HRIS Data Actions",
      division: "Home",
      flow_name: "wf-HRIS-Update-TimeOff",
      hours_per_day: "8",
      // BambooHR replaces the previous request itself and records denied requests (hris/bamboohr).
      hris_records_denied_requests: "true",
      hris_replaces_previous_request: "true",
    });
  });

  it("exposes the flow ids by WFM HRIS task", async () => {
    expect(await promiseOf(stack.flowIds)).toEqual({
      getAgents: "wf-workflows-get-agents-id",
      getTimeOffTypes: "wf-workflows-get-timeoff-types-id",
      getBalance: "wf-workflows-get-balance-id",
      insertTimeOff: "wf-workflows-insert-timeoff-id",
      updateTimeOff: "wf-workflows-update-timeoff-id",
    });
  });
});

describe("WFM Time-off HRIS integration", () => {
  it("maps every task to its workflow id, enabled, with the discovered type", async () => {
    const stack = apiKeyStack("wfmi");
    await promiseOf(stack.wfmIntegrationId);
    const integration = await byName("wfmi-wfm-integration");
    expect(integration.inputs.integrationType).toBe("wfm-time-off-hris");
    expect(integration.inputs.intendedState).toBe("ENABLED");
    expect(integration.inputs.config.name).toBe("wfmi WFM Time-off HRIS");
    expect(JSON.parse(integration.inputs.config.properties)).toEqual({
      createTimeOffRequests: "wfmi-workflows-insert-timeoff-id",
      syncUserAccountIds: false,
      timeOffBalances: "wfmi-workflows-get-balance-id",
      timeOffTypes: "wfmi-workflows-get-timeoff-types-id",
      updateTimeOffRequests: "wfmi-workflows-update-timeoff-id",
      userAccountIds: "wfmi-workflows-get-agents-id",
    });
  });

  it("puts flow ids in lists when the type wants lists, and turns on the 24-hour sync when asked", async () => {
    const stack = oauthStack();
    await promiseOf(stack.wfmIntegrationId);
    const props = JSON.parse((await byName("globex-prod-wfm-integration")).inputs.config.properties);
    expect(props.timeOffTypes).toEqual(["globex-prod-workflows-get-timeoff-types-id"]);
    expect(props.syncUserAccountIds).toBe(true);
  });

  it("adopts an integration installed by hand through a Pulumi import", async () => {
    expect((await byName("globex-prod-wfm-integration")).importId).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
  });

  it("leaves the optional userAccountIds task out when agent sync is off", async () => {
    const stack = apiKeyStack("nosync", { wfm: { syncUserAccountIds: false, enabled: false } });
    await promiseOf(stack.wfmIntegrationId);
    const integration = await byName("nosync-wfm-integration");
    const props = JSON.parse(integration.inputs.config.properties);
    expect(props).not.toHaveProperty("userAccountIds");
    expect(props.syncUserAccountIds).toBe(false);
    expect(integration.inputs.intendedState).toBe("DISABLED");
  });
});

describe("genesyscloud provider", () => {
  it("keeps the OAuth client secret secret", async () => {
    const provider = new genesyscloud.Provider("p", { awsRegion: "eu-west-1", oauthclientId: "id", oauthclientSecret: "top-secret" });
    const registeredProvider = await byName("p");
    expect(registeredProvider.type).toBe("pulumi:providers:genesyscloud");
    expect(isWireSecret(registeredProvider.inputs.oauthclientSecret)).toBe(true);
    expect(registeredProvider.inputs.awsRegion).toBe("eu-west-1");
    expect(await pulumi.isSecret(provider.oauthclientSecret)).toBe(true);
  });
});
