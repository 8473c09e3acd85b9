import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OFFLINE_PLAN_ENV, resolveWfmIntegrationType } from "../lib/genesys/resolveWfmType";
import { DiscoveryOptions, WfmDiscoveryError, discoverWfmIntegrationType } from "../lib/genesys/wfmIntegrationType";
import { FAKE_WFM_TYPE, FakeGenesys } from "./fakes/genesys";
import { validConfig } from "./helpers/config";
import { rejectionOf } from "./helpers/rejection";

const fake = new FakeGenesys();
let opts: DiscoveryOptions;
beforeAll(async () => {
  const url = await fake.start();
  opts = {
    apiBaseUrl: url,
    loginBaseUrl: url,
    clientId: "genesys-client",
    clientSecret: "genesys-secret",
    typeName: "WFM Time-off HRIS",
    requiredProperties: ["timeOffTypes", "timeOffBalances", "createTimeOffRequests", "updateTimeOffRequests", "userAccountIds"],
    needAutoSync: false,
  };
});
afterAll(() => fake.stop());

const failureOf = async (o: Partial<DiscoveryOptions>) => (await rejectionOf(discoverWfmIntegrationType({ ...opts, ...o }), WfmDiscoveryError, "discovery to fail")).message;

describe("WFM Time-off HRIS type discovery", () => {
  it("finds the type by name across pages and reads how its properties hold flow ids", async () => {
    const info = await discoverWfmIntegrationType(opts);
    expect(info).toEqual({
      typeId: "wfm-time-off-hris",
      propertyFormats: { timeOffTypes: "string", timeOffBalances: "string", createTimeOffRequests: "string", updateTimeOffRequests: "string", userAccountIds: "string" },
      autoSyncPropertyKey: "syncUserAccountIds",
    });
    // 131 types at 100 a page: two pages.
    expect(fake.requests.filter((r) => r.path.startsWith("/api/v2/integrations/types?")).length).toBe(2);
  });

  it("matches the name ignoring case and punctuation", async () => {
    expect((await discoverWfmIntegrationType({ ...opts, typeName: "wfm time off hris" })).typeId).toBe("wfm-time-off-hris");
  });

  it("reads list-shaped properties as lists", async () => {
    const listType = structuredClone(FAKE_WFM_TYPE);
    const props = (listType.propertiesSchema as { properties: Record<string, unknown> }).properties;
    for (const k of ["timeOffTypes", "timeOffBalances", "createTimeOffRequests", "updateTimeOffRequests", "userAccountIds"]) props[k] = { type: "array", items: { type: "string" } };
    listType.id = "wfm-list";
    listType.name = "WFM Time-off HRIS (lists)";
    fake.integrationTypes.push(listType);
    const info = await discoverWfmIntegrationType({ ...opts, typeName: "WFM Time-off HRIS (lists)" });
    expect(info.propertyFormats.timeOffTypes).toBe("list");
  });

  it("uses a configured type id without listing types", async () => {
    const before = fake.requests.length;
    expect((await discoverWfmIntegrationType({ ...opts, typeId: "wfm-time-off-hris" })).typeId).toBe("wfm-time-off-hris");
    expect(fake.requests.slice(before).some((r) => r.path.startsWith("/api/v2/integrations/types?"))).toBe(false);
  });

  it("names the type it looked for, and similar ones, when none matches", async () => {
    const message = await failureOf({ typeName: "WFM Time-off HRIS v2" });
    expect(message).toMatch(/No Genesys integration type is named "WFM Time-off HRIS v2" among the \d+ types/);
    expect(message).toContain("similar: wfm-time-off-hris (WFM Time-off HRIS)");
    expect(message).toContain("wfm.integrationTypeId");
  });

  it("lists the candidates when several types match", async () => {
    fake.integrationTypes.push({ ...FAKE_WFM_TYPE, id: "wfm-time-off-hris-beta" });
    try {
      expect(await failureOf({})).toContain("Several Genesys integration types are named \"WFM Time-off HRIS\": wfm-time-off-hris (WFM Time-off HRIS), wfm-time-off-hris-beta");
    } finally {
      fake.integrationTypes.pop();
    }
  });

  it("explains rejected credentials, naming the login URL", async () => {
    const message = await failureOf({ clientSecret: "CANARY-not-the-secret" });
    expect(message).toContain(`${fake.url}/oauth/token answered HTTP 401: client not found or wrong secret`);
    expect(message).toContain("genesysOauthClientSecret");
    expect(message).not.toContain("CANARY-not-the-secret");
  });

  it("explains a missing permission", async () => {
    fake.permitted = false;
    try {
      expect(await failureOf({})).toMatch(/integrations\/types\?pageSize=100&pageNumber=1 answered HTTP 403: .*Integrations > Integration > View/);
    } finally {
      fake.permitted = true;
    }
  });

  it("names the URL it could not reach", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    expect(await failureOf({ loginBaseUrl: `http://127.0.0.1:${port}` })).toContain(`could not reach http://127.0.0.1:${port}/oauth/token: ECONNREFUSED`);
  });

  it("reports properties the type's config schema lacks", async () => {
    fake.integrationTypes.push({ id: "hollow", name: "Hollow", propertiesSchema: { type: "object", properties: { timeOffTypes: { type: "string" } } } });
    const message = await failureOf({ typeId: "hollow" });
    expect(message).toContain("The config schema of integration type hollow has no timeOffBalances, createTimeOffRequests, updateTimeOffRequests, userAccountIds (it has: timeOffTypes)");
  });

  it("asks for the sync property when it cannot be found and the sync is wanted", async () => {
    fake.integrationTypes.push({ id: "nosync", name: "No Sync", propertiesSchema: { type: "object", properties: Object.fromEntries(opts.requiredProperties.map((k) => [k, { type: "string" }])) } });
    expect(await failureOf({ typeId: "nosync", needAutoSync: true })).toContain("Set wfm.autoSyncPropertyKey");
  });
});

describe("resolving the type for a stack", () => {
  const isKnown = (o: pulumi.Output<unknown>) => (o as unknown as { isKnown: Promise<boolean> }).isKnown;

  it("takes it from config without contacting the org when config names everything", async () => {
    const config = validConfig({ values: { wfm: { integrationTypeId: "wfm-time-off-hris", flowPropertyFormat: "list" } } });
    const out = resolveWfmIntegrationType(config, {}, {});
    expect(await new Promise((r) => out.apply(r))).toMatchObject({ typeId: "wfm-time-off-hris", propertyFormats: { timeOffTypes: "list" } });
  });

  it("leaves it unknown in the offline plan", async () => {
    const out = resolveWfmIntegrationType(validConfig(), {}, { [OFFLINE_PLAN_ENV]: "1" });
    expect(await isKnown(out)).toBe(false);
  });

  it("requires credentials to discover it", () => {
    const config = validConfig({ values: { genesys: { region: "us-east-1" } }, secrets: ["hrisApiKey"] });
    expect(() => resolveWfmIntegrationType(config, {}, {})).toThrow(/needs Genesys credentials: set genesys.oauthClientId and genesysOauthClientSecret/);
  });
});
