import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../lib/plan/run";
import { listStacks } from "../lib/plan/stackFiles";
import { PROJECT_ROOT } from "../lib/stackContent";
import { CliResult, runTool } from "./helpers/cli";
import { Secret } from "@pulumi/policy";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { policies } from "../policy/policies";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-plan-"));
const file = (name: string) => path.join(tmp, name);
const readPlan = (name: string): Plan => JSON.parse(fs.readFileSync(file(name), "utf8"));

const CANARIES = { hrisApiKey: "CANARY-bamboo-key-7f3a9c", genesysOauthClientSecret: "CANARY-genesys-secret-41d2", vezaApiKey: "CANARY-veza-key-b81e" };
const canaryStack = (extra: string) => `config:
  wfm-hris:customer: ${extra.includes("BAD") ? "BAD customer" : "leaky"}
  wfm-hris:genesys:
    region: us-east-1
    oauthClientId: leak-test-client
  wfm-hris:hris:
    kind: bamboohr
    companyDomain: leaky
  wfm-hris:veza:
    url: https://leaky.vezacloud.com
${Object.entries(CANARIES).map(([k, v]) => `  wfm-hris:${k}: ${v}`).join("\n")}
`;

const runs: Record<string, CliResult> = {};
beforeAll(async () => {
  fs.writeFileSync(file("Pulumi.canary.yaml"), canaryStack(""));
  fs.writeFileSync(file("Pulumi.canary-bad.yaml"), canaryStack("BAD"));
  fs.writeFileSync(
    file("Pulumi.plain.yaml"),
    "config:\n  wfm-hris:customer: plain\n  wfm-hris:genesys:\n    region: us-east-1\n    oauthClientId: c\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: plain\n" +
      "  wfm-hris:genesysOauthClientSecret:\n    secure: v1:x\n  wfm-hris:hrisApiKey: CANARY-plain-text-key\n",
  );
  fs.writeFileSync(file("Pulumi.bad.yaml"), "config:\n  wfm-hris:customer: Acme Corp\n  wfm-hris:genesys:\n    region: mars-1\n");
  const stackRuns = Object.fromEntries(listStacks(PROJECT_ROOT).map((s) => [`stack:${s}`, ["--stack", s, "--json", file(`${s}.json`)]]));
  const jobs: Record<string, string[]> = {
    ...stackRuns,
    devAgain: ["--stack", "dev", "--json", file("dev-again.json")],
    oauth: ["--stack", "oauth", "--stack-file", path.join(PROJECT_ROOT, "test/fixtures/Pulumi.oauth.yaml"), "--json", file("oauth.json")],
    canary: ["--stack", "canary", "--stack-file", file("Pulumi.canary.yaml"), "--json", file("canary.json")],
    canaryBad: ["--stack", "canary-bad", "--stack-file", file("Pulumi.canary-bad.yaml")],
    plain: ["--stack", "plain", "--stack-file", file("Pulumi.plain.yaml")],
    bad: ["--stack", "bad", "--stack-file", file("Pulumi.bad.yaml"), "--json", file("bad.json")],
    missing: ["--stack", "no-such-stack"],
    badFlag: ["--stak", "dev"],
  };
  // The same plan again in a process of its own, as `npm run plan` starts it: the others run in the tool host.
  const asProcess = new Set(["devAgain"]);
  const results = await Promise.all(Object.entries(jobs).map(async ([k, args]) => [k, await runTool("plan.ts", args, {}, { process: asProcess.has(k) })] as const));
  Object.assign(runs, Object.fromEntries(results));
});

describe("offline plan", () => {
  it("plans every stack file of the project without set-up", () => {
    const stacks = listStacks(PROJECT_ROOT);
    expect(stacks).toContain("dev");
    for (const s of stacks) {
      expect(runs[`stack:${s}`].stderr).toBe("");
      expect(runs[`stack:${s}`].status).toBe(0);
      expect(runs[`stack:${s}`].stdout).toMatch(/\nResources: \d+ to create\n$/);
    }
  });

  it("prints the resource tree with types, names, providers and inputs", () => {
    const out = runs["stack:dev"].stdout;
    expect(out).toContain("+ pulumi:pulumi:Stack wfm-hris-dev");
    expect(out).toMatch(/\n    \+ wfm-hris:index:WfmHris wfm-hris\n        \+ wfm-hris:genesys:DataActionLayer wfm-hris-data-actions\n/);
    expect(out).toMatch(/\+ genesyscloud:index\/integration:Integration wfm-hris-data-actions-integration  \(provider genesyscloud\)/);
    expect(out).toContain('requestUrlTemplate: "https://api.bamboohr.com/api/gateway.php/acmedev/v1/employees/directory"');
    expect(out).toContain("Resources: 24 to create");
  });

  it("shows secrets as [secret] and computed values as (known after apply)", () => {
    const out = runs["stack:dev"].stdout;
    expect(out).toContain("oauthclientSecret: [secret]");
    expect(out).toContain("fields: [secret]");
    expect(out).toContain("basicAuth: (known after apply)");
    expect(out).toMatch(/dataActionIntegrationId: \(known after apply\)/);
  });

  it("writes JSON with type token, name, parent, inputs and dependencies of every resource", () => {
    const plan = readPlan("dev.json");
    expect(plan.summary.create).toBe(plan.resources.length);
    const action = plan.resources.find((r) => r.name === "wfm-hris-data-actions-get-balance")!;
    expect(action).toMatchObject({
      type: "genesyscloud:index/integrationAction:IntegrationAction",
      parent: "urn:pulumi:dev::wfm-hris::wfm-hris:index:WfmHris$wfm-hris:genesys:DataActionLayer::wfm-hris-data-actions",
      provider: "urn:pulumi:dev::wfm-hris::pulumi:providers:genesyscloud::genesyscloud",
      custom: true,
    });
    // The name ends with the hex of a RandomId that does not exist before the first `pulumi up`.
    expect(action.inputs).toMatchObject({ name: "(known after apply)", integrationId: "(known after apply)" });
    expect(action.dependencies).toContain(
      "urn:pulumi:dev::wfm-hris::wfm-hris:index:WfmHris$wfm-hris:genesys:DataActionLayer$genesyscloud:index/integration:Integration::wfm-hris-data-actions-integration",
    );
  });

  it("wires each workflow to the data actions it calls and the WFM integration to the workflows", () => {
    const plan = readPlan("dev.json");
    const urnOf = (name: string) => plan.resources.find((r) => r.name === name)!.urn;
    const update = plan.resources.find((r) => r.name === "wfm-hris-workflows-update-timeoff")!;
    expect(update.inputs).toMatchObject({ filepath: "flows/update-timeoff.yaml", name: "acme-dev-HRIS-Update-TimeOff", type: "WORKFLOW" });
    expect(update.dependencies).toEqual(
      ["wfm-hris-data-actions-change-timeoff-request-status", "wfm-hris-data-actions-get-balance", "wfm-hris-data-actions-put-timeoff-request"].map(urnOf).sort(),
    );
    const wfm = plan.resources.find((r) => r.name === "wfm-hris-wfm-integration")!;
    expect(wfm.dependencies).toEqual(
      ["get-agents", "get-balance", "get-timeoff-types", "insert-timeoff", "update-timeoff"].map((f) => urnOf(`wfm-hris-workflows-${f}`)).sort(),
    );
    // The type and property shapes come from the org at deploy time.
    expect(wfm.inputs).toMatchObject({ integrationType: "(known after apply)", intendedState: "ENABLED", config: { properties: "(known after apply)" } });
    expect(plan.outputs.wfmTaskWorkflows).toEqual({
      createTimeOffRequests: "acme-dev-HRIS-Insert-TimeOff",
      timeOffBalances: "acme-dev-HRIS-Get-Balance",
      timeOffTypes: "acme-dev-HRIS-Get-TimeOff-Types",
      updateTimeOffRequests: "acme-dev-HRIS-Update-TimeOff",
      userAccountIds: "acme-dev-HRIS-Get-Agents",
    });
  });

  it("gives byte-identical JSON and text for the same config, in a process of its own as in the tool host", () => {
    expect(fs.readFileSync(file("dev-again.json"), "utf8")).toBe(fs.readFileSync(file("dev.json"), "utf8"));
    expect(runs.devAgain.stdout).toBe(runs["stack:dev"].stdout);
  });

  it("plans an OAuth customer: custom auth action, every action depending on it", () => {
    const plan = readPlan("oauth.json");
    const auth = plan.resources.find((r) => r.type === "genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction")!;
    expect(auth.name).toBe("wfm-hris-data-actions-custom-auth");
    const actions = plan.resources.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction");
    expect(actions.map((a) => a.name).sort()).toEqual(
      ["change-timeoff-request-status", "get-agents", "get-balance", "get-timeoff-types", "put-timeoff-request"].map((id) => `wfm-hris-data-actions-${id}`),
    );
    for (const a of actions) expect(a.dependencies).toContain(auth.urn);
    const provider = plan.resources.find((r) => r.type === "pulumi:providers:genesyscloud")!;
    expect(provider.inputs).toEqual({ awsRegion: "eu-central-1" });
  });

  it("exits non-zero on bad config with only the validation errors, registering nothing", () => {
    const { status, stdout, stderr } = runs.bad;
    expect(status).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^Invalid stack configuration for stack "bad": 3 problems\n/);
    expect(stderr).toContain("wfm-hris:customer");
    expect(stderr).toContain("wfm-hris:genesys.region");
    expect(stderr).toContain("wfm-hris:hris: is required");
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    expect(fs.existsSync(file("bad.json"))).toBe(false);
  });

  it("never prints known secret values in the plan text, JSON or errors", () => {
    expect(runs.canary.status).toBe(0);
    expect(runs.canaryBad.status).toBe(1);
    const everything = [runs.canary.stdout, runs.canary.stderr, fs.readFileSync(file("canary.json"), "utf8"), runs.canaryBad.stdout, runs.canaryBad.stderr].join("\n");
    for (const value of Object.values(CANARIES)) expect(everything).not.toContain(value);
    expect(runs.canary.stdout).toContain("fields: [secret]");
  });

  it("warns when a secret key is stored in plain text, without showing it", () => {
    expect(runs.plain.status).toBe(0);
    expect(runs.plain.stderr).toContain("wfm-hris:hrisApiKey is stored in plain text in the stack file");
    expect(runs.plain.stderr + runs.plain.stdout).not.toContain("CANARY-plain-text-key");
  });

  it("plans stacks that satisfy the policy pack", () => {
    // Planned inputs show secrets as "[secret]": hand them to the policies as secrets.
    const asEngine = (v: unknown): unknown =>
      v === "[secret]" ? new Secret("[secret]") : Array.isArray(v) ? v.map(asEngine) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, asEngine(x)])) : v;
    for (const stack of listStacks(PROJECT_ROOT)) {
      const plan = readPlan(`${stack}.json`);
      const violations: string[] = [];
      const resources = plan.resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: asEngine(r.inputs) as Record<string, unknown> }));
      for (const policy of policies) {
        const report = (m: string) => violations.push(`${stack}: ${policy.name}: ${m}`);
        if ("validateStack" in policy) (policy.validateStack as (a: unknown, r: (m: string) => void) => void)({ resources }, report);
        else for (const r of resources) (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(r as unknown as ResourceValidationArgs, report);
      }
      expect(violations).toEqual([]);
    }
  });

  it("names the missing stack file", () => {
    expect(runs.missing.status).toBe(1);
    expect(runs.missing.stderr).toMatch(/Pulumi\.no-such-stack\.yaml does not exist/);
  });

  it("rejects unknown options with the usage", () => {
    expect(runs.badFlag.status).toBe(2);
    expect(runs.badFlag.stderr).toMatch(/usage: npm run plan --/);
  });
});
