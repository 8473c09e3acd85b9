import { describe, expect, it } from "vitest";
import { hrisKinds } from "../hris";
import { ConfigError, ConfigIssue, validateStackConfig } from "../lib/config/validate";
import { rawConfig, validConfig } from "./helpers/config";
import { thrownBy } from "./helpers/rejection";

function issuesOf(raw: ReturnType<typeof rawConfig>): ConfigIssue[] {
  return thrownBy(() => validateStackConfig(raw, "test"), ConfigError, "the config to be rejected").issues;
}
const issueFor = (issues: ConfigIssue[], key: string) => {
  const found = issues.find((i) => i.key === key);
  if (!found) throw new Error(`no issue for ${key}; got ${issues.map((i) => i.key).join(", ")}`);
  return found;
};

describe("stack config", () => {
  it("resolves defaults for names, division, base URL and auth", () => {
    const c = validConfig();
    expect(c.genesys).toMatchObject({
      division: "Home",
      apiDomain: "mypurecloud.com",
      integrationName: "acme-dev WFM HRIS Data Actions",
      credentialName: "acme-dev-bamboohr",
      actionNamePrefix: "",
    });
    expect(c.hris).toMatchObject({ baseUrl: "https://api.bamboohr.com", auth: { type: "apiKey" } });
    expect(c.veza).toBeUndefined();
  });

  it("names Veza provider and data source after the customer and company when not set", () => {
    const c = validConfig({ values: { veza: { url: "https://acme.vezacloud.com/" } }, secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"] });
    expect(c.veza).toEqual({
      url: "https://acme.vezacloud.com",
      providerName: "acme-dev BambooHR",
      dataSourceName: "acme-dev BambooHR - acme",
      provisioning: false,
      idpProviders: [],
      employeeProperties: {},
      keepAdopted: true,
    });
  });

  it("reports every problem at once", () => {
    const issues = issuesOf(
      rawConfig({ values: { customer: "Acme Corp", genesys: { region: "mars-1" }, hris: { kind: "bamboohr" } }, secrets: [] }),
    );
    expect(issues.map((i) => i.key).sort()).toEqual([
      "wfm-hris:customer",
      "wfm-hris:genesys.region",
      "wfm-hris:hris.companyDomain",
      "wfm-hris:hrisApiKey",
    ]);
  });

  it("names a missing required key with what it is and the command that sets it", () => {
    const issue = issueFor(issuesOf(rawConfig({ drop: ["customer"] })), "wfm-hris:customer");
    expect(issue.problem).toMatch(/required but not set.*Customer slug/);
    expect(issue.value).toBeUndefined();
    expect(issue.fix).toBe("pulumi config set wfm-hris:customer acme-dev");
  });

  it("shows the offending value and the allowed values for a bad enum", () => {
    const issue = issueFor(issuesOf(rawConfig({ values: { genesys: { region: "us-east-9" } } })), "wfm-hris:genesys.region");
    expect(issue.value).toBe('"us-east-9"');
    expect(issue.problem).toContain("eu-west-1");
    expect(issue.fix).toBe("pulumi config set --path 'wfm-hris:genesys.region' us-east-1");
  });

  it("rejects a customer slug that cannot prefix resource names", () => {
    const issue = issueFor(issuesOf(rawConfig({ values: { customer: "-acme" } })), "wfm-hris:customer");
    expect(issue.problem).toMatch(/slug/);
  });

  it("suggests the intended name for a misspelt key", () => {
    const issue = issueFor(
      issuesOf(rawConfig({ values: { genesys: { region: "us-east-1", divison: "Home" } } })),
      "wfm-hris:genesys.divison",
    );
    expect(issue.problem).toBe("is not a known setting");
    expect(issue.fix).toBe("rename it to `division`");
  });

  it("rejects unknown top-level keys of the project namespace", () => {
    expect(issueFor(issuesOf(rawConfig({ values: { hrsi: "x" } })), "wfm-hris:hrsi").fix).toBe("rename it to `hris`");
  });

  it("explains that a section must be a map when given a plain string", () => {
    const issue = issueFor(issuesOf(rawConfig({ values: { hris: "bamboohr" } })), "wfm-hris:hris");
    expect(issue.problem).toMatch(/must be an object/);
  });

  it("rejects an unsupported HRIS kind and lists the supported ones", () => {
    const issue = issueFor(issuesOf(rawConfig({ values: { hris: { kind: "workday", companyDomain: "x" } } })), "wfm-hris:hris.kind");
    expect(issue.value).toBe('"workday"');
    expect(issue.problem).toBe(`must be one of: ${hrisKinds().join(", ")}`);
    expect(hrisKinds()).toEqual(expect.arrayContaining(["bamboohr", "personio", "custom"]));
  });

  it("rejects a company domain that is not a subdomain", () => {
    const issue = issueFor(
      issuesOf(rawConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme.bamboohr.com" } } })),
      "wfm-hris:hris.companyDomain",
    );
    expect(issue.value).toBe('"acme.bamboohr.com"');
  });

  it("rejects a plain-http base URL except for loopback test servers", () => {
    const bad = issueFor(
      issuesOf(rawConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme", baseUrl: "http://hr.example.com" } } })),
      "wfm-hris:hris.baseUrl",
    );
    expect(bad.problem).toMatch(/https/);
    const local = validConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme", baseUrl: "http://127.0.0.1:8080/" } } });
    expect(local.hris.baseUrl).toBe("http://127.0.0.1:8080");
  });

  it("keeps data action timeouts within Genesys' 1-60 seconds", () => {
    const issue = issueFor(
      issuesOf(rawConfig({ values: { genesys: { region: "us-east-1", oauthClientId: "c", actionTimeoutSeconds: 90 } } })),
      "wfm-hris:genesys.actionTimeoutSeconds",
    );
    expect(issue.problem).toBe("must be between 1 and 60");
  });

  it("requires the HRIS API key as a secret for API key auth", () => {
    const issue = issueFor(issuesOf(rawConfig({ secrets: ["genesysOauthClientSecret"] })), "wfm-hris:hrisApiKey");
    expect(issue.fix).toMatch(/^pulumi config set --secret wfm-hris:hrisApiKey /);
  });

  it("requires client id, token URL and client secret for OAuth", () => {
    const issues = issuesOf(rawConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme", auth: { type: "oauth" } } } }));
    expect(issues.map((i) => i.key).sort()).toEqual([
      "wfm-hris:hris.auth.clientId",
      "wfm-hris:hris.auth.tokenUrl",
      "wfm-hris:hrisOauthClientSecret",
    ]);
  });

  it("requires the Genesys client id and secret together", () => {
    expect(issueFor(issuesOf(rawConfig({ secrets: ["hrisApiKey"] })), "wfm-hris:genesysOauthClientSecret").problem).toMatch(/oauthClientId/);
    const withoutId = rawConfig({ values: { genesys: { region: "us-east-1" } } });
    expect(issueFor(issuesOf(withoutId), "wfm-hris:genesys.oauthClientId").problem).toMatch(/genesysOauthClientSecret/);
  });

  it("accepts no Genesys credentials at all, leaving them to the provider's environment variables", () => {
    const c = validConfig({ values: { genesys: { region: "eu-west-1" } }, secrets: ["hrisApiKey"] });
    expect(c.genesys.oauthClientId).toBeUndefined();
  });

  it("requires the Veza API key when the veza section is set", () => {
    const issue = issueFor(issuesOf(rawConfig({ values: { veza: { url: "https://acme.vezacloud.com" } } })), "wfm-hris:vezaApiKey");
    expect(issue.fix).toMatch(/--secret wfm-hris:vezaApiKey/);
  });

  it("never shows the value of a secret key, even one stored in plain text", () => {
    const raw = rawConfig({ values: { hrisApiKey: "CANARY-plain-api-key", customer: "BAD" } });
    let message = "";
    try {
      validateStackConfig(raw, "test");
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("wfm-hris:customer");
    expect(message).not.toContain("CANARY-plain-api-key");
  });

  it("formats the error with the stack name, each key, the value and the fix", () => {
    expect(() => validateStackConfig(rawConfig({ values: { customer: "Acme" } }), "prod")).toThrow(
      /Invalid stack configuration for stack "prod": 1 problem\n  - wfm-hris:customer: .*\(got "Acme"\)\n    fix: pulumi config set wfm-hris:customer acme-dev/,
    );
  });
});

describe("config reference", () => {
  it("in README.md matches the schema (npm run config:docs updates it)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const { withReference } = await import("../lib/config/reference");
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "README.md"), "utf8");
    expect(withReference(readme)).toBe(readme);
  });

  it("lists every setting with whether it is required and its default", async () => {
    const { configReferenceRows } = await import("../lib/config/reference");
    const rows = configReferenceRows();
    expect(rows.find((r) => r.key === "genesys.region")).toMatchObject({ required: "yes", default: "" });
    expect(rows.find((r) => r.key === "hris.auth.tokenUrl")).toMatchObject({ required: "for `oauth`" });
    expect(rows.find((r) => r.key === "veza.url")).toMatchObject({ required: "with `veza`" });
    expect(rows.find((r) => r.key === "genesys.integrationName")).toMatchObject({ required: "no", default: "`<customer> WFM HRIS Data Actions`" });
    expect(rows.find((r) => r.key === "hris.hoursPerDay")).toMatchObject({ default: "`8`" });
  });
});
