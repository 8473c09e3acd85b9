import * as fs from "node:fs";
import * as path from "node:path";
import { builtinModules } from "node:module";
import { parse } from "yaml";
import { Secret } from "@pulumi/policy";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import {
  credentialFieldsAreSecret,
  dataActionUrlsUseHttps,
  integrationsAreEnabled,
  genesysNamesAreUnique,
  policies,
  vezaUrlUsesHttps,
} from "../policy/policies";

const { secretsPreservingProxy } = require("@pulumi/policy/secret") as { secretsPreservingProxy: <T>(v: T) => T };

/** Runs a policy on one resource as the policy engine would (props behind the secrets proxy); returns the violations. */
function check(policy: ResourceValidationPolicy, type: string, name: string, props: Record<string, unknown>, config: Record<string, unknown> = {}): string[] {
  const violations: string[] = [];
  const args = {
    type,
    name,
    urn: `urn:pulumi:dev::wfm-hris::${type}::${name}`,
    props: secretsPreservingProxy(props),
    opts: {},
    getConfig: () => config,
    isType: () => false,
    asType: () => undefined,
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
  (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args, (m) => violations.push(m));
  return violations;
}

const ACTION = "genesyscloud:index/integrationAction:IntegrationAction";

describe("policy pack", () => {
  it("has the five organisation rules, uniquely named", () => {
    expect(new Set(policies.map((p) => p.name)).size).toBe(5);
  });

  it("requires https data-action URLs, allowing loopback test servers and Velocity-templated auth URLs", () => {
    expect(check(dataActionUrlsUseHttps, ACTION, "a", { configRequest: { requestUrlTemplate: "https://api.bamboohr.com/api/gateway.php/acme/v1/x" } })).toEqual([]);
    expect(check(dataActionUrlsUseHttps, ACTION, "a", { configRequest: { requestUrlTemplate: "http://127.0.0.1:8089/api/x" } })).toEqual([]);
    expect(check(dataActionUrlsUseHttps, "genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction", "c", { configRequest: { requestUrlTemplate: "${credentials.loginUrl}" } })).toEqual([]);
    expect(check(dataActionUrlsUseHttps, ACTION, "acme-get", { configRequest: { requestUrlTemplate: "http://hr.example.com/v1/x?y=1" } })).toEqual([
      "acme-get calls http://hr.example.com/v1/x, which is not https; set hris.baseUrl to an https URL.",
    ]);
  });

  it("requires credential fields to be secrets", () => {
    const type = "genesyscloud:index/integrationCredential:IntegrationCredential";
    expect(check(credentialFieldsAreSecret, type, "c", { fields: new Secret({ userName: "k", password: "x" }) })).toEqual([]);
    expect(check(credentialFieldsAreSecret, type, "c", { fields: { userName: new Secret("k"), password: new Secret("x") } })).toEqual([]);
    expect(check(credentialFieldsAreSecret, type, "acme-cred", { fields: { userName: "plain-key", password: "x" } })).toEqual([
      "acme-cred has credential fields that are not secret; read them with requireSecret and pass them as secrets.",
    ]);
  });

  it("flags integrations that are not ENABLED", () => {
    const type = "genesyscloud:index/integration:Integration";
    expect(check(integrationsAreEnabled, type, "i", { intendedState: "ENABLED" })).toEqual([]);
    expect(check(integrationsAreEnabled, type, "acme-wfm", {})).toEqual(["acme-wfm is DISABLED (the default); set intendedState ENABLED (wfm.enabled for the WFM integration)."]);
  });

  it("refuses two data actions of a category or two flows sharing a name, and skips names not known yet", () => {
    const violations: string[] = [];
    const FLOW = "genesyscloud:index/flow:Flow";
    const resources = [
      { type: ACTION, name: "a1", urn: "u1", props: { name: "Get-Balance", category: "Acme" } },
      { type: ACTION, name: "a2", urn: "u2", props: { name: "Get-Balance", category: "Acme" } },
      { type: ACTION, name: "a3", urn: "u3", props: { name: "Get-Balance", category: "Other" } },
      { type: ACTION, name: "a4", urn: "u4", props: { name: "(known after apply)", category: "Acme" } },
      { type: ACTION, name: "a5", urn: "u5", props: { name: "(known after apply)", category: "Acme" } },
      { type: FLOW, name: "f1", urn: "u6", props: { name: "acme-HRIS-Get-Agents", type: "WORKFLOW" } },
      { type: FLOW, name: "f2", urn: "u7", props: { name: "acme-HRIS-Get-Agents", type: "WORKFLOW" } },
    ];
    (genesysNamesAreUnique.validateStack as (a: unknown, r: (m: string) => void) => void)({ resources }, (m) => violations.push(m));
    expect(violations).toEqual([
      'a2 and a1 are both the data action in category "Acme": Get-Balance; give one of them another name.',
      "f2 and f1 are both the WORKFLOW flow: acme-HRIS-Get-Agents; give one of them another name.",
    ]);
  });

  it("requires an https Veza URL", () => {
    expect(check(vezaUrlUsesHttps, "pulumi-nodejs:dynamic/veza:CustomProvider", "p", { baseUrl: "https://acme.vezacloud.com" })).toEqual([]);
    expect(check(vezaUrlUsesHttps, "pulumi-nodejs:dynamic/veza:Push", "acme-veza-push", { baseUrl: "http://veza.internal" })).toEqual([
      "acme-veza-push reaches Veza at http://veza.internal, which is not https; set veza.url to https://<tenant>.vezacloud.com.",
    ]);
  });
});

describe("policy pack as a publishable package (pulumi policy publish packs policy/ alone)", () => {
  const dir = path.join(__dirname, "..", "policy");
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { main: string; dependencies?: Record<string, string> };
  const lock = JSON.parse(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  const sources = fs.readdirSync(dir).filter((f) => f.endsWith(".ts"));
  /** Every module a source file imports or requires. */
  const specifiers = (file: string) =>
    [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/(?:from\s+|require\()\s*"([^"]+)"/g)].map((m) => m[1]);
  const packageOf = (spec: string) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

  it("imports only its own files and the packages its package.json lists", () => {
    expect(sources).toContain(pkg.main);
    for (const file of sources)
      for (const spec of specifiers(file)) {
        if (spec.startsWith(".")) {
          // A relative import stays inside policy/: a published pack has nothing around it.
          expect(path.resolve(dir, spec).startsWith(dir + path.sep), `${file} imports ${spec}`).toBe(true);
          continue;
        }
        if (builtinModules.includes(spec.replace(/^node:/, ""))) continue;
        expect(Object.keys(pkg.dependencies ?? {}), `${file} imports ${spec}`).toContain(packageOf(spec));
      }
  });

  it("lists what its runtime needs: the policy SDK, the Pulumi SDK, and tsx for the TypeScript it runs", () => {
    const runtime = parse(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8")) as { main: string; runtime: { name: string; options?: { nodeargs?: string } } };
    expect(runtime.runtime.name).toBe("nodejs");
    expect(runtime.main).toBe(pkg.main);
    const deps = Object.keys(pkg.dependencies ?? {});
    expect(deps).toEqual(expect.arrayContaining(["@pulumi/policy", "@pulumi/pulumi"]));
    if (runtime.runtime.options?.nodeargs?.includes("tsx")) expect(deps).toContain("tsx");
  });

  it("pins its dependencies in its own lockfile, at the versions the project tests it with", () => {
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      const locked = lock.packages[`node_modules/${dep}`]?.version;
      const tested = (JSON.parse(fs.readFileSync(require.resolve(`${dep}/package.json`), "utf8")) as { version: string }).version;
      expect(locked?.replace(/^v/, ""), dep).toBe(tested.replace(/^v/, ""));
    }
  });
});
