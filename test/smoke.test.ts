import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WorkflowTask, loadWorkflowSpecs } from "../lib/flows/contract";
import { ExecuteOptions } from "../lib/dataActions/engine";
import { getAccessToken } from "../lib/genesys/api";
import { SmokeOptions, runSmoke } from "../lib/smoke";
import { buildSamples, compareActions, compareRuns } from "../lib/smokeActions";
import { PROJECT_ROOT, loadStackContent } from "../lib/stackContent";
import { FakeBambooHr } from "../hris/bamboohr/fake";
import { FakePersonio } from "../hris/personio/fake";
import { FakeGenesys } from "./fakes/genesys";
import { runTool } from "./helpers/cli";
import { validConfig } from "./helpers/config";

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
    const r = await runTool("smoke.ts", ["--stack", "smoke", "--stack-file", stackFile, "--api-url", fake.url, "--poll-ms", "1", "--skip-actions"], { GENESYSCLOUD_OAUTHCLIENT_SECRET: "genesys-secret" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("skipped the data actions step: --skip-actions");
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

describe("smoke test of deployed data actions: the org's action test endpoint against the offline engine", () => {
  const bamboo = new FakeBambooHr({ companyDomain: "acme" });
  let content: ReturnType<typeof loadStackContent>;
  let engine: ExecuteOptions;
  const actionId = (n: string) => `action-${n}`;
  beforeAll(async () => {
    const hris = await bamboo.start();
    content = loadStackContent(validConfig({ values: { hris: { kind: "bamboohr", companyDomain: "acme", baseUrl: hris } } }));
    engine = { credentials: { type: "basicAuth", fields: { userName: "test-api-key-admin", password: "x" } } };
    // Deployed: every action but get-agents.
    fake.actions = content.actions.filter((a) => a.baseName !== "Bamboo-Get-Agents").map((a) => ({ id: actionId(a.name), name: a.name, category: "acme-dev WFM HRIS Data Actions" }));
  });
  afterAll(() => bamboo.stop());
  const operations = (failAt?: { step: number; message: string }) =>
    ["Resolve request URL template", "Execute request", "Resolve translation map", "Apply output transforms", "Validate output against schema"].map((name, i) => ({
      step: i + 1,
      name,
      success: !failAt || i + 1 < failAt.step,
      ...(failAt && i + 1 === failAt.step ? { error: { message: failAt.message, code: "bad.request", status: 400 } } : {}),
    })).slice(0, failAt ? failAt.step : undefined);

  it("finds no difference when Genesys returns what the engine computes from the same HRIS data", async () => {
    fake.actionTests.set(actionId("Bamboo-Get-TimeOff-Types"), () => ({
      operations: operations(),
      success: true,
      finalResult: { timeOffTypeIds: ["78", "79", "80", "83", "85"], timeOffTypeNames: ["Vacation", "Sick", "Bereavement", "Comp/In Lieu Time", "Jury Duty"] },
    }));
    const [types] = await compareActions({ api: base.api, token: await getAccessToken(base.api), samples: buildSamples(content.actions.filter((a) => a.baseName === "Bamboo-Get-TimeOff-Types"), { day: "2026-12-01", timeOffTypeIds: [], hoursPerDay: 8 }), engine });
    expect(types).toMatchObject({ action: "Bamboo-Get-TimeOff-Types", ok: true, differences: [] });
    expect(fake.requests.filter((r) => r.path === `/api/v2/integrations/actions/${actionId("Bamboo-Get-TimeOff-Types")}/test`).map((r) => JSON.parse(r.body))).toContainEqual({});
  });

  it("reports the step where Genesys failed when the engine succeeded, with both stage lists", async () => {
    fake.actionTests.set(actionId("Bamboo-Get-Balance"), () => ({
      operations: operations({ step: 4, message: "Unable to render the success template: #foreach is not supported" }),
      success: false,
      error: { message: "Unable to render the success template: #foreach is not supported", code: "bad.request", status: 400 },
    }));
    const samples = buildSamples(content.actions.filter((a) => a.baseName === "Bamboo-Get-Balance"), { employeeId: "120", day: "2026-12-01", timeOffTypeIds: ["78"], hoursPerDay: 8 });
    const [balance] = await compareActions({ api: base.api, token: await getAccessToken(base.api), samples, engine });
    expect(balance.differences).toEqual(['the engine succeeded; Genesys failed at step 4 "Apply output transforms": Unable to render the success template: #foreach is not supported']);
    expect(balance.stages.filter((s) => !s.ok)).toEqual([{ source: "genesys", stage: "step 4 Apply output transforms", ok: false, detail: "Unable to render the success template: #foreach is not supported" }]);
    expect(balance.stages.filter((s) => s.source === "engine").map((s) => s.stage)).toEqual(["input", "render", "request", "response", "translation", "successTemplate", "output"]);
    const sent = fake.requests.filter((r) => r.path.endsWith(`${actionId("Bamboo-Get-Balance")}/test`)).map((r) => JSON.parse(r.body));
    expect(sent.at(-1)).toEqual({ employeeId: "120", end: "2026-12-01", hoursPerDay: "8", timeOffTypeIds: "78" });
  });

  it("names each JSON path where the final results differ", () => {
    const report = { ok: true, output: { timeOffTypeIds: ["78", "79"], timeOffTypeNames: ["Vacation", "Sick"] } };
    const { differences } = compareRuns({ success: true, operations: operations(), finalResult: { timeOffTypeIds: ["78"], timeOffTypeNames: ["Vacation", "Sick"] } }, report);
    expect(differences).toEqual(['final result differs at $.timeOffTypeIds[1]: Genesys nothing, engine "79"']);
  });

  it("skips actions that change the HRIS and reports an action that is not deployed", async () => {
    const samples = buildSamples(content.actions, { employeeId: "120", day: "2026-12-01", timeOffTypeIds: ["78"], hoursPerDay: 8 });
    expect(samples.filter((s) => s.skipReason).map((s) => [s.action.name, s.skipReason])).toEqual([
      ["Bamboo-Change-TimeOff-Request-Status", "PUT changes the HRIS; the smoke test sends it no sample data"],
      ["Bamboo-Put-TimeOff-Request", "PUT changes the HRIS; the smoke test sends it no sample data"],
    ]);
    const [agents] = await compareActions({ api: base.api, token: await getAccessToken(base.api), samples: samples.filter((s) => s.action.name === "Bamboo-Get-Agents"), engine });
    expect(agents).toMatchObject({ ok: false, differences: ["no data action named Bamboo-Get-Agents is deployed (run pulumi up)"] });
  });

  it("answers an unknown action id with 404 and a body that is not an input map with 400, as Genesys does", async () => {
    const token = await getAccessToken(base.api);
    const post = (id: string, body: string) => fetch(`${fake.url}/api/v2/integrations/actions/${id}/test`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body });
    expect((await post("nope", "{}")).status).toBe(404);
    expect((await post(actionId("Bamboo-Get-Balance"), "[1]")).status).toBe(400);
  });
});

describe("smoke test of deployed data actions for Personio (OAuth custom auth action)", () => {
  const personio = new FakePersonio({ clients: { "papi-client-initech": "papi-secret-initech" } });
  let content: ReturnType<typeof loadStackContent>;
  let engine: ExecuteOptions;
  beforeAll(async () => {
    const url = await personio.start();
    content = loadStackContent(
      validConfig({
        values: { hris: { kind: "personio", hostname: "initech", baseUrl: url, auth: { type: "oauth", clientId: "papi-client-initech", tokenUrl: `${url}/v1/auth` } } },
        secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"],
      }),
    );
    engine = {
      credentials: { type: "userDefinedOAuth", fields: { clientId: "papi-client-initech", clientSecret: "papi-secret-initech", loginUrl: `${url}/v1/auth` } },
      authAction: content.auth.customAuthAction,
    };
    fake.actions = content.actions.map((a) => ({ id: `personio-${a.id}`, name: a.name, category: "acme-dev WFM HRIS Data Actions" }));
  });
  afterAll(() => personio.stop());

  it("finds no difference on time-off types when Genesys returns Personio's day-unit types, the engine getting its token from /v1/auth", async () => {
    // What Genesys would return, read from the fake directly: the day-unit types (Personio's time-offs serve only those).
    const token = ((await (await fetch(`${personio.url}/v1/auth`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: "papi-client-initech", client_secret: "papi-secret-initech" }) })).json()) as { data: { token: string } }).data.token;
    const listed = ((await (await fetch(`${personio.url}/v1/company/time-off-types`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { data: { attributes: { id: number; name: string; unit: string } }[] }).data.filter((t) => t.attributes.unit === "day");
    fake.actionTests.set("personio-get-timeoff-types", () => ({ success: true, operations: [], finalResult: { timeOffTypeIds: listed.map((t) => String(t.attributes.id)), timeOffTypeNames: listed.map((t) => t.attributes.name) } }));
    const types = content.actions.find((a) => a.id === "get-timeoff-types")!;
    const [result] = await compareActions({ api: base.api, token: await getAccessToken(base.api), samples: buildSamples([types], { day: "2026-12-01", timeOffTypeIds: [], hoursPerDay: 8 }), engine });
    expect(result).toMatchObject({ ok: true, differences: [] });
    expect(listed.length).toBeGreaterThan(0);
  });

  it("skips the actions that change Personio", () => {
    const samples = buildSamples(content.actions, { employeeId: "1001", day: "2026-12-01", timeOffTypeIds: [], hoursPerDay: 8 });
    expect(samples.filter((s) => s.skipReason).map((s) => s.action.name).sort()).toEqual(content.actions.filter((a) => a.request.requestType !== "GET").map((a) => a.name).sort());
  });
});
