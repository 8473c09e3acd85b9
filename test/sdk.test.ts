import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { recordResources } from "./helpers/mocks";

const registered = recordResources();
const packageRefs: string[] = [];
const packageRequests: any[] = [];
const monitor = pulumi.runtime.getMonitor() as any;
const registerPackage = monitor.registerPackage.bind(monitor);
monitor.registerPackage = (req: any, cb: any) => (packageRequests.push(req), registerPackage(req, cb));
const registerResource = monitor.registerResource.bind(monitor);
monitor.registerResource = (req: any, cb: any) => (packageRefs.push(req.getPackageref()), registerResource(req, cb));

const gc = await import("@pulumi/genesyscloud");
const ROOT = path.resolve(__dirname, "..");
const sdkPackage = JSON.parse(fs.readFileSync(path.join(ROOT, "sdks/genesyscloud/package.json"), "utf8"));
const settle = () => new Promise((r) => setTimeout(r, 20));

describe("local genesyscloud SDK", () => {
  it("declares the parameterized terraform-provider package for mypurecloud/genesyscloud 1.84.1", () => {
    expect(sdkPackage.name).toBe("@pulumi/genesyscloud");
    const { pulumi: block } = sdkPackage;
    expect(block).toMatchObject({ resource: true, name: "terraform-provider", parameterization: { name: "genesyscloud", version: "1.84.1" } });
    expect(JSON.parse(Buffer.from(block.parameterization.value, "base64").toString())).toEqual({
      remote: { url: "registry.opentofu.org/mypurecloud/genesyscloud", version: "1.84.1" },
    });
  });

  it("matches the packages entry in Pulumi.yaml, so `pulumi install` regenerates the same SDK", () => {
    const project = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
    expect(project.packages.genesyscloud).toEqual({
      source: "terraform-provider",
      version: sdkPackage.pulumi.version,
      parameters: ["mypurecloud/genesyscloud", sdkPackage.pulumi.parameterization.version],
    });
  });

  it("uses the bridge's type tokens", () => {
    expect((gc.Integration as any).__pulumiType).toBe("genesyscloud:index/integration:Integration");
    expect((gc.IntegrationCredential as any).__pulumiType).toBe("genesyscloud:index/integrationCredential:IntegrationCredential");
    expect((gc.IntegrationAction as any).__pulumiType).toBe("genesyscloud:index/integrationAction:IntegrationAction");
    expect((gc.IntegrationCustomAuthAction as any).__pulumiType).toBe("genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction");
    expect((gc.Flow as any).__pulumiType).toBe("genesyscloud:index/flow:Flow");
  });

  it("registers the package once and passes its reference with every resource", async () => {
    new gc.Flow("f", { filepath: "flows/x.yaml" });
    new gc.Integration("i", { integrationType: "custom-rest-actions" });
    await settle();
    expect(packageRequests).toHaveLength(1);
    const req = packageRequests[0];
    expect([req.getName(), req.getVersion()]).toEqual(["terraform-provider", "1.1.3"]);
    expect([req.getParameterization().getName(), req.getParameterization().getVersion()]).toEqual(["genesyscloud", "1.84.1"]);
    expect(packageRefs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(packageRefs)).toEqual(new Set(["mock-uuid"]));
  });

  it("carries every argument of the Terraform schema, MaxItems-1 blocks as objects", async () => {
    new gc.IntegrationAction("a", {
      name: "n",
      category: "c",
      integrationId: "i",
      secure: true,
      configTimeoutSeconds: 10,
      contractInput: "{}",
      contractOutput: "{}",
      configRequest: { requestType: "GET", requestUrlTemplate: "u", requestTemplate: "t", headers: { A: "b" } },
      configResponse: { translationMap: { a: "$.a" }, translationMapDefaults: { a: "1" }, successTemplate: "s" },
      functionConfig: { filePath: "f.zip", description: "d", handler: "h", runtime: "nodejs22.x", timeoutSeconds: 5, zipId: "z" },
    });
    new gc.IntegrationCustomAuthAction("ca", {
      integrationId: "i",
      name: "n",
      configRequest: { requestType: "POST", requestUrlTemplate: "u", requestTemplate: "t", headers: {} },
      configResponse: { translationMap: {}, translationMapDefaults: {}, successTemplate: "s" },
    });
    new gc.IntegrationCredential("cr", { name: "n", credentialTypeName: "basicAuth", fields: { userName: "u" } });
    new gc.Flow("fl", { filepath: "p", substitutions: { a: "b" }, forceUnlock: true, updateTriggerHash: "h", name: "n", type: "WORKFLOW" });
    new gc.Integration("in", { integrationType: "t", intendedState: "ENABLED", config: { name: "n", notes: "x", properties: "{}", advanced: "{}", credentials: { basicAuth: "c" } } });
    await settle();
    const keys = (name: string) => Object.keys(registered.find((r) => r.name === name)!.inputs).sort();
    expect(keys("a")).toEqual(["category", "configRequest", "configResponse", "configTimeoutSeconds", "contractInput", "contractOutput", "functionConfig", "integrationId", "name", "secure"]);
    expect(keys("ca")).toEqual(["configRequest", "configResponse", "integrationId", "name"]);
    expect(keys("cr")).toEqual(["credentialTypeName", "fields", "name"]);
    expect(keys("fl")).toEqual(["filepath", "forceUnlock", "name", "substitutions", "type", "updateTriggerHash"]);
    expect(keys("in")).toEqual(["config", "integrationType", "intendedState"].sort());
    expect(registered.find((r) => r.name === "a")!.inputs.configRequest).toEqual({ requestType: "GET", requestUrlTemplate: "u", requestTemplate: "t", headers: { A: "b" } });
  });

  it("rejects a resource without its required arguments, as generated SDKs do", () => {
    expect(() => new gc.IntegrationAction("x", {} as any)).toThrow("Missing required property 'category'");
    expect(() => new gc.Flow("y", {} as any)).toThrow("Missing required property 'filepath'");
  });
});
