import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { isWireSecret, promiseOf, recordResources, urnOf } from "./helpers/mocks";

const registered = recordResources();

const { DataActionLayer } = await import("../components/dataActionLayer");
const { WfmHris } = await import("../components/wfmHris");
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

function apiKeyStack(name = "acme-dev") {
  const config = validConfig({ values: { customer: name } });
  const secrets = { hrisApiKey: pulumi.secret("api-key-value") };
  return new WfmHris(name, { config, content: loadStackContent(config), secrets });
}

function oauthStack() {
  const config = validConfig({ values: oauthValues, secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"] });
  const secrets = { hrisOauthClientSecret: pulumi.secret("oauth-secret-value") };
  return new WfmHris("globex-prod", { config, content: loadStackContent(config), secrets });
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
    const actions = registered.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction" && r.name.startsWith("acme-dev-"));
    expect(actions.map((a) => a.inputs.name).sort()).toEqual([
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
