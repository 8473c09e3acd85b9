/**
 * The package as other languages see it: the schema Pulumi's own component analyzer (@pulumi/pulumi
 * provider/experimental, the one `pulumi package add` runs through the plugin) makes of the cross-language components,
 * and what those components do with the args a Python, Go, .NET or YAML program sends.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWireSecret, promiseOf, recordResources } from "./helpers/mocks";
import { runShared } from "./helpers/processes";
import { TYPE_CHECKS } from "./helpers/typeChecks";

const registered = recordResources();
const { SECRET_INPUTS } = await import("../components/componentProvider");
const { HrisTimeOffSync, VezaHrisSync } = await import("../components/crossLanguage");
const { OFFLINE_PLAN_ENV } = await import("../lib/genesys/resolveWfmType");
const { PROJECT_ROOT } = await import("../lib/paths");

type Property = { type?: string; $ref?: string; secret?: boolean; plain?: boolean; description?: string; items?: Property; additionalProperties?: Property };
type Schema = {
  name: string;
  resources: Record<string, { isComponent: boolean; inputProperties: Record<string, Property>; requiredInputs: string[]; properties: Record<string, Property>; description?: string }>;
  types: Record<string, { properties: Record<string, Property> }>;
};
// WfmHrisComponentProvider.getSchema(): the analyzer builds a TypeScript program of the whole project, once, in the
// process that type-checks the package and its consumer (test/helpers/tscProjects.cjs, shared with
// test/packageConsumer.test.ts), where the libraries' declarations are already parsed.
const typeChecks = await runShared(TYPE_CHECKS);
if (typeChecks.status !== 0) throw new Error(`the component schema could not be made:\n${typeChecks.stderr}`);
const schema: Schema = JSON.parse((JSON.parse(typeChecks.stdout) as { componentSchema: string }).componentSchema);
const resource = (name: string) => schema.resources[`wfm-hris:index:${name}`];
const type = (name: string) => schema.types[`wfm-hris:index:${name}`];

describe("the schema Pulumi's analyzer produces", () => {
  it("names the package wfm-hris and has exactly the two cross-language components", () => {
    expect(schema.name).toBe("wfm-hris");
    expect(Object.keys(schema.resources).sort()).toEqual(["wfm-hris:index:HrisTimeOffSync", "wfm-hris:index:VezaHrisSync"]);
    for (const r of Object.values(schema.resources)) expect(r.isComponent).toBe(true);
  });

  it("gives HrisTimeOffSync every input, the settings as typed objects, and the required ones", () => {
    const r = resource("HrisTimeOffSync");
    expect(Object.keys(r.inputProperties).sort()).toEqual(["customer", "genesys", "genesysOauthClientSecret", "hris", "hrisSecret", "wfm"]);
    expect(r.requiredInputs).toEqual(["customer", "genesys", "hris", "hrisSecret"]);
    expect(r.inputProperties.genesys.$ref).toBe("#/types/wfm-hris:index:GenesysSettingsArgs");
    expect(r.inputProperties.hris.$ref).toBe("#/types/wfm-hris:index:HrisSettingsArgs");
    expect(r.inputProperties.wfm.$ref).toBe("#/types/wfm-hris:index:WfmSettingsArgs");
    expect(Object.keys(type("HrisSettingsArgs").properties).sort()).toEqual(["authType", "baseUrl", "hoursPerDay", "kind", "oauthClientId", "oauthScope", "oauthTokenUrl", "settings"]);
    expect(type("HrisSettingsArgs").properties.settings).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(type("GenesysSettingsArgs").properties.actionTimeoutSeconds.type).toBe("number");
  });

  it("gives HrisTimeOffSync every output, ids as strings and maps of strings", () => {
    const p = resource("HrisTimeOffSync").properties;
    expect(Object.keys(p).sort()).toEqual(["actionIds", "category", "flowIds", "integrationId", "wfmIntegrationId", "wfmTaskWorkflows"]);
    expect(p.integrationId.type).toBe("string");
    for (const map of ["actionIds", "flowIds", "wfmTaskWorkflows"]) expect(p[map]).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
  });

  it("gives VezaHrisSync every input and output", () => {
    const r = resource("VezaHrisSync");
    expect(Object.keys(r.inputProperties).sort()).toEqual(["customer", "hris", "hrisSecret", "veza", "vezaApiKey"]);
    expect(r.requiredInputs).toEqual(["customer", "hris", "hrisSecret", "veza", "vezaApiKey"]);
    expect(Object.keys(type("VezaSettingsArgs").properties).sort()).toEqual(["dataSourceName", "employeeProperties", "idpIdField", "idpProviders", "keepAdopted", "providerName", "provisioning", "url"]);
    expect(type("VezaSettingsArgs").properties.idpProviders).toMatchObject({ type: "array", items: { type: "string" } });
    const p = r.properties;
    expect(Object.keys(p).sort()).toEqual(["dataSourceId", "employeeCount", "groupCount", "payloadHash", "providerId", "warnings"]);
    expect(p.employeeCount.type).toBe("number");
    expect(p.warnings).toMatchObject({ type: "array", items: { type: "string" } });
  });

  it("marks exactly the secret inputs secret, and takes them as inputs (not plain) so outputs of secrets can be passed", () => {
    for (const [component, secrets] of Object.entries(SECRET_INPUTS)) {
      const inputs = resource(component).inputProperties;
      const marked = Object.entries(inputs).filter(([, p]) => p.secret).map(([k]) => k);
      expect(marked.sort()).toEqual([...secrets].sort());
      for (const s of secrets) {
        expect(inputs[s]).toMatchObject({ type: "string", secret: true });
        expect(inputs[s].plain).toBeUndefined();
      }
    }
  });

  it("describes every component, input, output and type property from the doc comments", () => {
    const undocumented: string[] = [];
    for (const [name, r] of Object.entries(schema.resources)) {
      if (!r.description) undocumented.push(name);
      for (const [k, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) if (!p.description) undocumented.push(`${name}.${k}`);
    }
    for (const [name, t] of Object.entries(schema.types)) for (const [k, p] of Object.entries(t.properties)) if (!p.description) undocumented.push(`${name}.${k}`);
    expect(undocumented).toEqual([]);
  });
});

describe("the cross-language components", () => {
  // Offline, as `npm run plan`: put back afterwards for the test files that run next in this worker.
  const offline = process.env[OFFLINE_PLAN_ENV];
  beforeAll(() => void (process.env[OFFLINE_PLAN_ENV] = "1"));
  afterAll(() => (offline === undefined ? delete process.env[OFFLINE_PLAN_ENV] : void (process.env[OFFLINE_PLAN_ENV] = offline)));

  it("compose the Genesys components for the args a YAML program sends, the HRIS key secret", async () => {
    const sync = new HrisTimeOffSync("yaml-acme", {
      customer: "acme",
      genesys: { region: "us-east-1" },
      hris: { kind: "bamboohr", settings: { companyDomain: "acme" } },
      hrisSecret: "canary-yaml-bamboo-key",
      wfm: { integrationTypeId: "wfm-type", flowPropertyFormat: "string" },
    });
    await promiseOf(sync.flowIds);
    const mine = registered.filter((r) => r.name.startsWith("yaml-acme"));
    expect(mine.filter((r) => r.type === "genesyscloud:index/flow:Flow")).toHaveLength(5);
    const credential = mine.find((r) => r.type === "genesyscloud:index/integrationCredential:IntegrationCredential")!;
    expect(credential.inputs.name).toBe("acme-bamboohr");
    expect(isWireSecret(credential.inputs.fields)).toBe(true);
    expect(JSON.stringify(mine.filter((r) => r !== credential).map((r) => r.inputs))).not.toContain("canary-yaml-bamboo-key");
    expect(Object.keys(await promiseOf(sync.flowIds)).sort()).toEqual(["getAgents", "getBalance", "getTimeOffTypes", "insertTimeOff", "updateTimeOff"]);
  });

  it("name the component and the arg, as the program wrote it, for an invalid setting", () => {
    const bad = () => new HrisTimeOffSync("bad", { customer: "acme", genesys: { region: "us-east-1" }, hris: { kind: "bamboohr", settings: { companyDomain: "Not A Domain" } }, hrisSecret: "k" });
    expect(bad).toThrow(pulumi.RunError);
    expect(bad).toThrow(/^HrisTimeOffSync bad: Invalid wfm-hris settings: 1 problem\n {2}- args\.hris\.settings\.companyDomain: must be the BambooHR company subdomain/);
    expect(bad).toThrow(/fix: set args\.hris\.settings\.companyDomain/);
  });

  it("name the OAuth args for an oauth HRIS missing its token URL", () => {
    const bad = () => new HrisTimeOffSync("bad-oauth", { customer: "acme", genesys: { region: "us-east-1" }, hris: { kind: "bamboohr", authType: "oauth", oauthClientId: "c", settings: { companyDomain: "acme" } }, hrisSecret: "s" });
    expect(bad).toThrow(/args\.hris\.oauthTokenUrl/);
  });

  it("create the Veza provider, data source and push with the API key secret", async () => {
    const sync = new VezaHrisSync("yaml-veza", {
      customer: "acme",
      hris: { kind: "bamboohr", settings: { companyDomain: "acme" } },
      hrisSecret: "k",
      veza: { url: "https://acme.vezacloud.com" },
      vezaApiKey: "canary-yaml-veza-key",
    });
    await new Promise((r) => setTimeout(r, 10));
    const mine = registered.filter((r) => r.name.startsWith("yaml-veza-"));
    expect(mine.map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/veza:CustomProvider", "pulumi-nodejs:dynamic/veza:DataSource", "pulumi-nodejs:dynamic/veza:Push"]);
    expect(mine[0].inputs).toMatchObject({ name: "acme BambooHR", baseUrl: "https://acme.vezacloud.com" });
    for (const r of mine) expect(isWireSecret(r.inputs.apiKey)).toBe(true);
    expect(sync.urn).toBeDefined();
  });
});

describe("the YAML example (examples/yaml)", () => {
  const program = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "examples/yaml/Pulumi.yaml"), "utf8"));
  const used = Object.entries(program.resources as Record<string, { type: string; properties: Record<string, unknown> }>).filter(([, r]) => r.type.startsWith("wfm-hris:"));

  /** Keys the schema does not have, at every level of an object typed by the schema. */
  const unknownKeys = (value: Record<string, unknown>, properties: Record<string, Property>, at: string): string[] =>
    Object.entries(value).flatMap(([k, v]) => {
      const p = properties[k];
      if (!p) return [`${at}.${k}`];
      const ref = p.$ref?.replace("#/types/", "");
      return ref && v && typeof v === "object" ? unknownKeys(v as Record<string, unknown>, schema.types[ref].properties, `${at}.${k}`) : [];
    });

  it("uses both components, each with every required input", () => {
    expect(used.map(([, r]) => r.type).sort()).toEqual(["wfm-hris:HrisTimeOffSync", "wfm-hris:VezaHrisSync"]);
    for (const [, r] of used) {
      const component = resource(r.type.split(":").pop()!);
      expect(Object.keys(r.properties)).toEqual(expect.arrayContaining(component.requiredInputs));
    }
  });

  it("sets only inputs and settings the schema has", () => {
    for (const [name, r] of used) expect(unknownKeys(r.properties, resource(r.type.split(":").pop()!).inputProperties, name)).toEqual([]);
  });

  it("passes the HRIS and Veza keys from secret config", () => {
    expect(program.config.bambooApiKey.secret).toBe(true);
    expect(program.config.vezaApiKey.secret).toBe(true);
    for (const [, r] of used) expect(r.properties.hrisSecret).toBe("${bambooApiKey}");
  });
});
