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
