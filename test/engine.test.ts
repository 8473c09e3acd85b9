import * as http from "node:http";
import { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataActionFailure, ExecutionReport, executeAction } from "../lib/dataActions/engine";
import { FakeBambooHr } from "../hris/bamboohr/fake";
import { bambooHrErrorHint } from "../hris/bamboohr/lint";
import { seedEmployees } from "../hris/bamboohr/fakeData";
import { ADMIN_KEY, basicAuth, shippedActions } from "./helpers/actions";

const fake = new FakeBambooHr({ companyDomain: "acme", oauthClients: { "wfm-client": "client-secret-value" } });
let actions: ReturnType<typeof shippedActions>;
beforeAll(async () => {
  actions = shippedActions(await fake.start());
});
afterAll(() => fake.stop());

// Genesys' longest data action timeout (60 s): the fake answering late on a busy machine must not fail a test.
const run = (name: string, input: Record<string, unknown> = {}, credentials = basicAuth()) =>
  executeAction(actions.byName(name), input, { credentials, timeoutMs: 60_000, errorHint: bambooHrErrorHint });
const failure = (r: ExecutionReport): DataActionFailure => {
  expect(r.ok).toBe(false);
  return r.failure!;
};
const putInput = (overrides: Record<string, unknown> = {}) => ({
  employeeId: "120",
  timeOffTypeId: "78",
  status: "approved",
  start: "2026-12-07",
  end: "2026-12-08",
  dates: "2026-12-07,2026-12-08",
  payableMinutes: "450,480",
  note: "Planned leave",
  ...overrides,
});
const lastBody = () => JSON.parse(fake.requests.at(-1)!.body);

describe("shipped BambooHR actions against the fake", () => {
  it("get time-off types: string ids and names, aligned, in both id modes", async () => {
    for (const mode of ["string", "integer"] as const) {
      fake.idMode = mode;
      const r = await run("Bamboo-Get-TimeOff-Types");
      expect(r.ok, r.failure?.message).toBe(true);
      expect(r.flattened).toEqual({
        timeOffTypeIds: ["78", "79", "80", "83", "85"],
        timeOffTypeNames: ["Vacation", "Sick", "Bereavement", "Comp/In Lieu Time", "Jury Duty"],
      });
    }
    fake.idMode = "string";
  });

  it("get agents: ids and work emails of active employees with an email, aligned, in the first bucket", async () => {
    const r = await run("Bamboo-Get-Agents");
    expect(r.ok, r.failure?.message).toBe(true);
    const out = r.output as Record<string, unknown>;
    const directory = (await (await fetch(`${fake.url}/api/gateway.php/acme/v1/employees/directory`, { headers: { Authorization: `Basic ${Buffer.from(`${ADMIN_KEY}:x`).toString("base64")}`, Accept: "application/json" } })).json()).employees as { id: string; workEmail: string | null }[];
    const withEmail = directory.filter((e) => e.workEmail);
    expect(out.externalIds).toEqual(withEmail.map((e) => e.id));
    expect(out.emails).toEqual(withEmail.map((e) => e.workEmail));
    expect([out.agentCount, out.droppedAgentCount]).toEqual([withEmail.length, 0]);
    expect(out.emails1).toEqual([]);
  });

  it("get agents: beyond 2,000 agents the further buckets fill in order (blueprint defect 3)", async () => {
    const big = new FakeBambooHr({ companyDomain: "big", employees: seedEmployees(4500, 7) });
    const bigActions = shippedActions(await big.start(), "big");
    try {
      const r = await executeAction(bigActions.byName("Bamboo-Get-Agents"), {}, { credentials: basicAuth() });
      expect(r.ok, r.failure?.message).toBe(true);
      const out = r.output as Record<string, string[]>;
      const total = (out as unknown as { agentCount: number }).agentCount;
      expect(total).toBeGreaterThan(4000);
      expect([out.emails.length, out.emails1.length, out.emails2.length]).toEqual([2000, 2000, total - 4000]);
      expect(out.externalIds1[0]).not.toBe(out.externalIds[1999]);
      expect(new Set([...out.emails, ...out.emails1, ...out.emails2]).size).toBe(total);
      expect(out.emails3).toEqual([]);
    } finally {
      await big.stop();
    }
  });

  it("get balance: whole minutes per time-off type, days converted with the hours per day", async () => {
    const r = await run("Bamboo-Get-Balance", { employeeId: "120", end: "2026-12-01", hoursPerDay: "7.5" });
    expect(r.ok, r.failure?.message).toBe(true);
    const { timeOffTypeIds, balanceMinutes, unknownTimeOffTypeIds } = r.output as { timeOffTypeIds: string[]; balanceMinutes: string[]; unknownTimeOffTypeIds: string[] };
    expect(timeOffTypeIds).toEqual(["78", "79", "80", "83", "85"]);
    expect(unknownTimeOffTypeIds).toEqual([]);
    const expected = fake.timeOffTypesFor().map((t) => String(Math.round(fake.balance(120, t, "2026-12-01") * (t.units === "days" ? 7.5 * 60 : 60))));
    expect(balanceMinutes).toEqual(expected);
  });

  it("get balance: 8 hours per day when not given", async () => {
    const r = await run("Bamboo-Get-Balance", { employeeId: "120", end: "2026-12-01" });
    const bereavement = fake.timeOffTypesFor().find((t) => t.name === "Bereavement")!;
    const i = (r.output as { timeOffTypeIds: string[] }).timeOffTypeIds.indexOf(String(bereavement.id));
    expect((r.output as { balanceMinutes: string[] }).balanceMinutes[i]).toBe(String(fake.balance(120, bereavement, "2026-12-01") * 480));
  });

  it("get balance: only the requested types, in the order asked, unknown ones reported", async () => {
    const r = await run("Bamboo-Get-Balance", { employeeId: "120", end: "2026-12-01", timeOffTypeIds: "83,999,78" });
    expect(r.ok, r.failure?.message).toBe(true);
    const out = r.output as { timeOffTypeIds: string[]; balanceMinutes: string[]; unknownTimeOffTypeIds: string[] };
    expect(out.timeOffTypeIds).toEqual(["83", "78"]);
    expect(out.unknownTimeOffTypeIds).toEqual(["999"]);
    const vacation = fake.timeOffTypesFor().find((t) => t.id === 78)!;
    expect(out.balanceMinutes[1]).toBe(String(Math.round(fake.balance(120, vacation, "2026-12-01") * 60)));
  });

  it("change request status: cancels an existing request", async () => {
    const created = await run("Bamboo-Put-TimeOff-Request", putInput({ status: "requested" }));
    const id = (created.output as { id: string }).id;
    const r = await run("Bamboo-Change-TimeOff-Request-Status", { requestId: id, status: "canceled", note: 'Canceled in WFM: "trip off"' });
    expect(r.ok, r.failure?.message).toBe(true);
    expect(r.output).toEqual({ id, status: "canceled" });
    expect(fake.timeOffRequests.get(Number(id))).toMatchObject({ status: "canceled", notes: { manager: 'Canceled in WFM: "trip off"' } });
  });

  it("put request: creates it and returns its id as a string in both id modes", async () => {
    for (const mode of ["string", "integer"] as const) {
      fake.idMode = mode;
      const r = await run("Bamboo-Put-TimeOff-Request", putInput());
      expect(r.ok, r.failure?.message).toBe(true);
      expect(r.output).toEqual({ id: expect.stringMatching(/^\d+$/), status: "approved" });
      expect(fake.timeOffRequests.get(Number((r.output as { id: string }).id))!.employeeId).toBe(120);
    }
    fake.idMode = "string";
  });

  it("put request: notes with quotes, backslashes, newlines and non-ASCII text arrive intact (blueprint defect 1)", async () => {
    const note = 'Doctor said "rest"\\ back at 9:00\nÜberstunden — 休假 ✈';
    const r = await run("Bamboo-Put-TimeOff-Request", putInput({ note }));
    expect(r.ok, r.failure?.message).toBe(true);
    expect(lastBody().notes).toEqual([{ from: "manager", note }]);
  });

  it("put request: hours keep their fractions, 450 minutes is 7.5 hours (blueprint defect 2)", async () => {
    await run("Bamboo-Put-TimeOff-Request", putInput());
    const body = lastBody();
    expect(body.dates).toEqual([
      { ymd: "2026-12-07", amount: 7.5 },
      { ymd: "2026-12-08", amount: 8 },
    ]);
    expect(body.amount).toBe(15.5);
  });

  it("put request: sends the type id as a number, as BambooHR's spec types it", async () => {
    await run("Bamboo-Put-TimeOff-Request", putInput());
    expect(lastBody().timeOffTypeId).toBe(78);
    expect(lastBody()).not.toHaveProperty("previousRequest");
  });

  it("put request: previousRequest supersedes the earlier request", async () => {
    const first = await run("Bamboo-Put-TimeOff-Request", putInput({ status: "requested" }));
    const firstId = (first.output as { id: string }).id;
    const second = await run("Bamboo-Put-TimeOff-Request", putInput({ previousRequest: firstId, status: "denied" }));
    expect(second.ok, second.failure?.message).toBe(true);
    expect(lastBody().previousRequest).toBe(Number(firstId));
    expect(fake.timeOffRequests.get(Number(firstId))!.status).toBe("superceded");
  });

  it("put request: omits notes when there is no note", async () => {
    await run("Bamboo-Put-TimeOff-Request", putInput({ note: "" }));
    expect(lastBody()).not.toHaveProperty("notes");
  });
});

describe("failures name their stage", () => {
  it("input: a missing required input is reported and no request is sent", async () => {
    const before = fake.requests.length;
    const f = failure(await run("Bamboo-Get-Balance", { end: "2026-12-01" }));
    expect([f.stage, f.code]).toEqual(["input", "INPUT_CONTRACT"]);
    expect(f.message).toContain("must have required property 'employeeId'");
    expect(fake.requests.length).toBe(before);
  });

  it("render: a Velocity syntax error in a template", async () => {
    const action = { ...actions.byName("Bamboo-Get-Agents"), request: { ...actions.byName("Bamboo-Get-Agents").request, requestUrlTemplate: `${fake.url}/x/#if(` } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["render", "REQUEST_TEMPLATE"]);
  });

  it("render: a reference left unresolved", async () => {
    const base = actions.byName("Bamboo-Get-Agents");
    const action = { ...base, request: { ...base.request, requestUrlTemplate: `${fake.url}/api/gateway.php/acme/v1/employees/\${input.employeeId}` } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["render", "UNRESOLVED_REFERENCE"]);
    expect(f.message).toContain("${input.employeeId}");
  });

  it("request: an unreachable endpoint", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const unreachable = shippedActions(`http://127.0.0.1:${port}`, "acme");
    const f = failure(await executeAction(unreachable.byName("Bamboo-Get-Agents"), {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["request", "REQUEST_FAILED"]);
    expect(f.message).toContain("ECONNREFUSED");
  });

  it("request: no answer within the timeout becomes a 408-style timeout", async () => {
    fake.delayMs = 500;
    try {
      const f = failure(await executeAction(actions.byName("Bamboo-Get-TimeOff-Types"), {}, { credentials: basicAuth(), timeoutMs: 100 }));
      expect([f.stage, f.code, f.details.status]).toEqual(["request", "REQUEST_TIMEOUT", 408]);
    } finally {
      fake.delayMs = 0;
    }
  });

  it("response: a wrong API key is a 401 with a hint about the credential", async () => {
    const f = failure(await run("Bamboo-Get-TimeOff-Types", {}, basicAuth("not-a-key")));
    expect([f.stage, f.code, f.details.status]).toEqual(["response", "HTTP_401", 401]);
    expect(f.details.hint).toMatch(/credential/);
  });

  it("response: throttling surfaces the status and the Retry-After", async () => {
    fake.throttle(1, 7);
    const f = failure(await run("Bamboo-Get-TimeOff-Types"));
    expect(f.code).toBe("HTTP_503");
    expect(f.details.hint).toMatch(/throttling.*retry after 7 s/);
    fake.throttle(1, 3, 429);
    expect(failure(await run("Bamboo-Get-TimeOff-Types")).details.hint).toMatch(/retry after 3 s/);
  });

  it("response: BambooHR's error header explains a 400", async () => {
    const f = failure(await run("Bamboo-Put-TimeOff-Request", putInput({ timeOffTypeId: "999" })));
    expect([f.code, f.details.hint]).toEqual(["HTTP_400", "Invalid time off type"]);
  });

  it("response: an unknown employee is a 404 with an empty body", async () => {
    const f = failure(await run("Bamboo-Get-Balance", { employeeId: "999999", end: "2026-12-01" }));
    expect(f.code).toBe("HTTP_404");
    expect(f.message).toContain("empty body");
  });

  it("response: approving needs an admin key (403)", async () => {
    fake.idMode = "string";
    const f = failure(await run("Bamboo-Put-TimeOff-Request", putInput(), basicAuth("test-api-key-employee")));
    expect(f.code).toBe("HTTP_403");
    expect(f.details.hint).toMatch(/approve or deny/);
  });

  it("translation: without Accept: application/json the XML answer cannot be translated", async () => {
    const base = actions.byName("Bamboo-Get-TimeOff-Types");
    const action = { ...base, request: { ...base.request, headers: {} } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["translation", "RESPONSE_NOT_JSON"]);
  });

  it("translation: a definite path that does not resolve and has no default", async () => {
    const base = actions.byName("Bamboo-Get-TimeOff-Types");
    const action = { ...base, response: { ...base.response, translationMap: { ...base.response.translationMap, missing: "$.nothing.here" } } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["translation", "TRANSLATION_MAP"]);
    const withDefault = { ...action, response: { ...action.response, translationMapDefaults: { missing: "null" } } };
    expect((await executeAction(withDefault, {}, { credentials: basicAuth() })).ok).toBe(true);
  });

  it("success template: output that is not JSON", async () => {
    const base = actions.byName("Bamboo-Get-TimeOff-Types");
    const action = { ...base, response: { ...base.response, successTemplate: '{"ids": ${typeIds}' } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["successTemplate", "SUCCESS_TEMPLATE_INVALID_JSON"]);
  });

  it("output: a result that breaks the output contract", async () => {
    const base = actions.byName("Bamboo-Get-TimeOff-Types");
    const action = { ...base, response: { ...base.response, successTemplate: '{"timeOffTypeIds": ${typeIds}}' } };
    const f = failure(await executeAction(action, {}, { credentials: basicAuth() }));
    expect([f.stage, f.code]).toEqual(["output", "OUTPUT_CONTRACT"]);
    expect(f.message).toContain("must have required property 'timeOffTypeNames'");
  });
});

describe("credentials", () => {
  it("never shows the API key in the report", async () => {
    const good = await run("Bamboo-Get-TimeOff-Types");
    const bad = await run("Bamboo-Get-TimeOff-Types", {}, basicAuth("wrong-key-12345"));
    const text = JSON.stringify([good.request, good.failure?.message, bad.request, bad.failure?.message, bad.failure?.details]);
    expect(text).not.toContain(ADMIN_KEY);
    expect(text).not.toContain("wrong-key-12345");
    expect(text).not.toContain(Buffer.from(`${ADMIN_KEY}:x`).toString("base64"));
  });

  it("OAuth: the custom auth action fetches a client-credentials token that every action sends as Bearer", async () => {
    const oauth = shippedActions(fake.url, "acme", { type: "oauth", clientId: "wfm-client", tokenUrl: `${fake.url}/oauth/token` }, ["hrisOauthClientSecret", "genesysOauthClientSecret"]);
    const credentials = { type: "userDefinedOAuth" as const, fields: { clientId: "wfm-client", clientSecret: "client-secret-value", loginUrl: `${fake.url}/oauth/token` } };
    const r = await executeAction(oauth.byName("Bamboo-Get-TimeOff-Types"), {}, { credentials, authAction: oauth.content.auth.customAuthAction });
    expect(r.ok, r.failure?.message).toBe(true);
    const tokenCall = fake.requests.at(-2)!;
    expect([tokenCall.path, tokenCall.body]).toEqual(["/oauth/token", "grant_type=client_credentials"]);
    expect(fake.requests.at(-1)!.headers.authorization).toMatch(/^Bearer tok-wfm-client-/);
    expect(r.request!.headers.Authorization).toBe("[secret]");
  });

  it("OAuth: a rejected client secret fails in the auth stage, masked", async () => {
    const oauth = shippedActions(fake.url, "acme", { type: "oauth", clientId: "wfm-client", tokenUrl: `${fake.url}/oauth/token` }, ["hrisOauthClientSecret", "genesysOauthClientSecret"]);
    const credentials = { type: "userDefinedOAuth" as const, fields: { clientId: "wfm-client", clientSecret: "wrong-secret-value", loginUrl: `${fake.url}/oauth/token` } };
    const f = failure(await executeAction(oauth.byName("Bamboo-Get-TimeOff-Types"), {}, { credentials, authAction: oauth.content.auth.customAuthAction }));
    expect([f.stage, f.code]).toEqual(["auth", "AUTH_HTTP_401"]);
    expect(f.message).not.toContain("wrong-secret-value");
  });
});

describe("request stage: what Node's fetch refuses, relative URLs, wrong-case contexts", () => {
  let server: http.Server;
  let url = "";
  const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      req.resume();
      req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end('{"ok": true}'));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const action = (requestUrlTemplate: string, headers: Record<string, string> = {}) => ({
    name: "Probe",
    request: { requestType: "POST", requestUrlTemplate, requestTemplate: "${input.rawRequest}", headers },
    response: { translationMap: { ok: "$.ok" }, translationMapDefaults: {}, successTemplate: '{"ok": ${ok}}' },
    contractInput: { type: "object", properties: { x: { type: "string" } } },
    contractOutput: { type: "object", properties: { ok: { type: "boolean" } } },
  });
  const none = { type: "userDefined" as const, fields: {} };

  it("drops framing and hop-by-hop headers instead of crashing, and says so", async () => {
    const r = await executeAction(action(`${url}/x`, { "Transfer-Encoding": "chunked", Connection: "keep-alive", Host: "evil.example", "Content-Length": "999", "X-Kept": "1" }), { x: "a" }, { credentials: none });
    expect(r.ok, r.failure?.message).toBe(true);
    expect(r.request!.droppedHeaders).toEqual(["Transfer-Encoding", "Connection", "Host", "Content-Length"]);
    expect(seen.at(-1)!.headers.host).toBe(new URL(url).host);
    expect(seen.at(-1)!.headers["x-kept"]).toBe("1");
  });

  it("sends a Genesys Cloud action's relative /api/v2 URL to the API base, with the bearer token", async () => {
    const r = await executeAction(action("/api/v2/users/${input.x}"), { x: "u1" }, { credentials: { type: "genesysOAuth", fields: { accessToken: "tok-123456" } }, apiBaseUrl: url });
    expect(r.ok, r.failure?.message).toBe(true);
    expect(seen.at(-1)!.url).toBe("/api/v2/users/u1");
    expect(seen.at(-1)!.headers.authorization).toBe("Bearer tok-123456");
    expect(r.request!.headers.Authorization).toBeUndefined();
  });

  it("fails a relative URL without an API base before any request, naming the fix", async () => {
    const before = seen.length;
    const r = await executeAction(action("/api/v2/users/${input.x}"), { x: "u1" }, { credentials: none });
    expect(r.failure?.code).toBe("INVALID_URL");
    expect(r.failure?.details.hint).toMatch(/--api-url/);
    expect(seen.length).toBe(before);
  });

  it("catches a wrong-case context ($Input.x) as unresolved, with the case rule as hint", async () => {
    const r = await executeAction(action(`${url}/x?v=$Input.x`), { x: "a" }, { credentials: none });
    expect(r.failure?.code).toBe("UNRESOLVED_REFERENCE");
    expect(r.failure?.details.hint).toMatch(/case-sensitive/);
  });
});
