import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowTask, loadWorkflowSpecs } from "../lib/flows/contract";
import { SmokeOptions, runSmoke } from "../lib/smoke";
import { PROJECT_ROOT } from "../lib/stackContent";
import { FakeGenesys } from "./fakes/genesys";
import { runTool } from "./helpers/cli";

const specs = loadWorkflowSpecs(path.join(PROJECT_ROOT, "flows"));
const names: Record<WorkflowTask, string> = {
  getAgents: "acme-dev-HRIS-Get-Agents",
  getTimeOffTypes: "acme-dev-HRIS-Get-TimeOff-Types",
  getBalance: "acme-dev-HRIS-Get-Balance",
  insertTimeOff: "acme-dev-HRIS-Insert-TimeOff",
  updateTimeOff: "acme-dev-HRIS-Update-TimeOff",
};
const ids = Object.fromEntries(Object.keys(names).map((t, i) => [t, `flow-${i}`])) as Record<WorkflowTask, string>;
const fake = new FakeGenesys({ clients: { "genesys-client": "genesys-secret" }, flows: Object.entries(names).map(([t, name]) => ({ id: ids[t as WorkflowTask], name, type: "WORKFLOW" })), pollsUntilDone: 2 });
const ok = { "Flow.statusCode": 200, "Flow.status": "Complete", "Flow.errorMsg": "" };

function healthyHandlers() {
  fake.handlers.set(ids.getTimeOffTypes, () => ({ status: "COMPLETED", outputData: { ...ok, "Flow.ids": ["78", "79", "80"], "Flow.names": ["Vacation", "Sick", "Bereavement"], "Flow.id2s": [] } }));
  fake.handlers.set(ids.getAgents, () => ({ status: "COMPLETED", outputData: { ...ok, "Flow.emails": ["a@acme.example"], "Flow.externalIds": ["120"] } }));
  fake.handlers.set(ids.getBalance, (input) => {
    const dates = input["Flow.inputDates"] as string[];
    const types = input["Flow.inputTimeOffTypeIds"] as string[];
    const rows = dates.flatMap((d) => types.map((t) => [d, t]));
    return { status: "COMPLETED", outputData: { ...ok, "Flow.dates": rows.map((r) => r[0]), "Flow.timeOffTypeIds": rows.map((r) => r[1]), "Flow.balanceMinutesPerDay": rows.map(() => "480"), "Flow.timeOffTypeId2s": [] } };
  });
  fake.handlers.set(ids.insertTimeOff, () => ({ status: "COMPLETED", outputData: { ...ok, "Flow.timeOffRequestId": "4100", "Flow.error": "" } }));
  fake.handlers.set(ids.updateTimeOff, () => ({ status: "COMPLETED", outputData: { ...ok, "Flow.timeOffRequestId": "4100", "Flow.error": "" } }));
}

let base: Omit<SmokeOptions, "write">;
beforeAll(async () => {
  const url = await fake.start();
  base = { api: { apiBaseUrl: url, loginBaseUrl: url, clientId: "genesys-client", clientSecret: "genesys-secret" }, specs, flowNames: names, today: "2026-11-24", pollIntervalMs: 1 };
});
afterAll(() => fake.stop());
const launched = () => fake.requests.filter((r) => r.path === "/api/v2/flows/executions").map((r) => JSON.parse(r.body));

describe("smoke test of deployed workflows", () => {
  it("runs the read-only workflows, feeding the balance check an agent and types found by the others", async () => {
    healthyHandlers();
    const before = launched().length;
    const results = await runSmoke({ ...base, write: false });
    expect(results.map((r) => [r.task, r.ok, r.problems])).toEqual([
      ["getTimeOffTypes", true, []],
      ["getAgents", true, []],
      ["getBalance", true, []],
    ]);
    const balance = launched().slice(before).find((l) => l.flowId === ids.getBalance);
    expect(balance.inputData).toEqual({ "Flow.agentId": "120", "Flow.inputDates": ["2026-12-01", "2026-12-02"], "Flow.inputTimeOffTypeIds": ["78", "79"], "Flow.inputTimeOffTypeId2s": [] });
  });

  it("creates and then cancels a request for the test agent only with --write", async () => {
    healthyHandlers();
    const before = launched().length;
    const results = await runSmoke({ ...base, write: true, testAgent: "130" });
    expect(results.map((r) => r.task)).toEqual(["getTimeOffTypes", "getAgents", "getBalance", "insertTimeOff", "updateTimeOff"]);
    expect(results.every((r) => r.ok)).toBe(true);
    const calls = launched().slice(before);
    expect(calls.find((c) => c.flowId === ids.insertTimeOff).inputData).toMatchObject({ "Flow.agentId": "130", "Flow.timeOffStatus": "APPROVED", "Flow.dates": ["2026-12-24"], "Flow.payableMinutes": ["60"] });
    expect(calls.find((c) => c.flowId === ids.updateTimeOff).inputData).toMatchObject({ "Flow.timeOffStatus": "CANCELED", "Flow.inputTimeOffRequestId": "4100" });
  });

  it("reports outputs that break the contract", async () => {
    healthyHandlers();
    fake.handlers.set(ids.getTimeOffTypes, () => ({ status: "COMPLETED", outputData: { ...ok, "Flow.statusCode": "two hundred", "Flow.ids": ["78", "79"], "Flow.names": ["Vacation"] } }));
    const [types] = await runSmoke({ ...base, write: false });
    expect(types.ok).toBe(false);
    expect(types.problems).toContain('output statusCode must be an integer; got "two hundred"');
    expect(types.problems).toContain("outputs ids, names must be aligned; their lengths are 2, 1");
  });

  it("reports a workflow that ends with an error status, with its message", async () => {
    healthyHandlers();
    fake.handlers.set(ids.getAgents, () => ({ status: "COMPLETED", outputData: { "Flow.statusCode": 401, "Flow.status": "Error", "Flow.errorMsg": "Getting agents from the HRIS failed: Unauthorized" } }));
    const results = await runSmoke({ ...base, write: false, testAgent: "120" });
    expect(results.find((r) => r.task === "getAgents")!.problems).toEqual(['the workflow reported status "Error" with statusCode 401: Getting agents from the HRIS failed: Unauthorized']);
  });

  it("reports an execution that fails in Genesys", async () => {
    healthyHandlers();
    fake.handlers.set(ids.getBalance, () => ({ status: "FAILED", errorMessage: "Action limit exceeded" }));
    const results = await runSmoke({ ...base, write: false });
    expect(results.find((r) => r.task === "getBalance")!.problems).toEqual(["the execution ended FAILED: Action limit exceeded"]);
  });

  it("reports a workflow that is not deployed", async () => {
    healthyHandlers();
    const [types] = await runSmoke({ ...base, write: false, flowNames: { ...names, getTimeOffTypes: "someone-else-HRIS-Get-TimeOff-Types" } });
    expect(types.problems).toEqual(["no workflow named someone-else-HRIS-Get-TimeOff-Types is deployed (run pulumi up)"]);
  });
});

describe("npm run smoke", () => {
  const stackFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wfm-smoke-")), "Pulumi.smoke.yaml");
  fs.writeFileSync(
    stackFile,
    "config:\n  wfm-hris:customer: acme-dev\n  wfm-hris:genesys:\n    region: us-east-1\n    oauthClientId: genesys-client\n" +
      "  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: acme\n  wfm-hris:hrisApiKey:\n    secure: v1:x\n",
  );

  it("prints one line per workflow and a summary, and exits 0 when all pass", async () => {
    healthyHandlers();
    const r = await runTool("smoke.ts", ["--stack", "smoke", "--stack-file", stackFile, "--api-url", fake.url, "--poll-ms", "1"], { GENESYSCLOUD_OAUTHCLIENT_SECRET: "genesys-secret" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("ok     getTimeOffTypes (acme-dev-HRIS-Get-TimeOff-Types)");
    expect(r.stdout).toContain("ok     getBalance (acme-dev-HRIS-Get-Balance)");
    expect(r.stdout).toMatch(/\n3 passed, 0 failed\n$/);
  });

  it("explains rejected credentials without printing the secret", async () => {
    const r = await runTool("smoke.ts", ["--stack", "smoke", "--stack-file", stackFile, "--api-url", fake.url], { GENESYSCLOUD_OAUTHCLIENT_SECRET: "CANARY-wrong-secret" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("/oauth/token answered HTTP 401");
    expect(r.stderr).not.toContain("CANARY-wrong-secret");
  });

  it("refuses --write without a test agent", async () => {
    const r = await runTool("smoke.ts", ["--write"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--write creates and cancels a real time-off request: name the agent with --test-agent");
  });
});
