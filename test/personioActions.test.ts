import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROLES, hrisAdapter, roleIssues } from "../hris";
import { FakePersonio } from "../hris/personio/fake";
import { ConfigError, ConfigIssue, StackConfig, validateStackConfig } from "../lib/config/validate";
import { DataActionFailure, ExecutionReport, executeAction } from "../lib/dataActions/engine";
import { loadDataActionDefinitionFiles } from "../lib/dataActions/definitions";
import { PROJECT_ROOT } from "../lib/paths";
import { StackContent, flowPlaceholders, loadStackContent } from "../lib/stackContent";
import { rawConfig, validConfig } from "./helpers/config";
import { thrownBy } from "./helpers/rejection";

const CLIENT_ID = "papi-client-initech";
const CLIENT_SECRET = "CANARY-personio-secret-0f9e";
const fake = new FakePersonio({ clients: { [CLIENT_ID]: CLIENT_SECRET } });

function personioStack(baseUrl: string, extra: Record<string, unknown> = {}): { config: StackConfig; content: StackContent } {
  const config = validConfig({
    values: { hris: { kind: "personio", hostname: "initech", baseUrl, auth: { type: "oauth", clientId: CLIENT_ID, tokenUrl: `${baseUrl}/v1/auth` }, ...extra } },
    secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"],
  });
  return { config, content: loadStackContent(config) };
}

let content: StackContent;
beforeAll(async () => {
  content = personioStack(await fake.start()).content;
});
afterAll(() => fake.stop());

const credentials = (secret = CLIENT_SECRET) => ({ type: "userDefinedOAuth" as const, fields: { clientId: CLIENT_ID, clientSecret: secret, loginUrl: `${fake.url}/v1/auth` } });
const action = (role: string) => content.actions.find((a) => a.id === role)!;
const run = (role: string, input: Record<string, unknown> = {}, secret = CLIENT_SECRET) =>
  executeAction(action(role), input, { credentials: credentials(secret), authAction: content.auth.customAuthAction, timeoutMs: 5000 });
const failure = (r: ExecutionReport): DataActionFailure => {
  expect(r.ok).toBe(false);
  return r.failure!;
};
const lastCall = () => fake.requests.at(-1)!;
const putInput = (overrides: Record<string, unknown> = {}) => ({
  employeeId: "1020",
  timeOffTypeId: "113437",
  status: "approved",
  start: "2026-12-07",
  end: "2026-12-09",
  dates: "2026-12-07,2026-12-08,2026-12-09",
  payableMinutes: "480,480,240",
  note: "Planned leave",
  previousRequest: "",
  ...overrides,
});

describe("Personio actions load as the roles' actions", () => {
  it("serves every required role and leaves out the optional get-agents", () => {
    expect(content.actions.map((a) => a.id).sort()).toEqual(["change-timeoff-request-status", "get-balance", "get-timeoff-types", "put-timeoff-request"]);
    expect(ROLES.filter((r) => !r.optional).map((r) => r.id).sort()).toEqual(content.actions.map((a) => a.id).sort());
  });

  it("passes the role checks with only the unread inputs the adapter declares", () => {
    const adapter = hrisAdapter("personio");
    const dir = path.join(PROJECT_ROOT, "hris/personio/actions");
    const files = Object.fromEntries(fs.readdirSync(dir).map((f) => [f.replace(/\.json$/, ""), path.join(dir, f)]));
    const defs = loadDataActionDefinitionFiles(files, ["apiBase", "appId"], PROJECT_ROOT, { unreadInputs: (id) => adapter.unreadInputs?.[id] ?? [] });
    for (const def of defs) expect(roleIssues(def, ROLES.find((r) => r.id === def.id)!, hrisAdapter("personio").capabilities!)).toEqual([]);
  });

  it("tells the workflows Personio neither replaces nor records denied requests", () => {
    const { config } = personioStack(fake.url);
    expect(flowPlaceholders(config, content.actions, content.capabilities)).toMatchObject({ hris_replaces_previous_request: "false", hris_records_denied_requests: "false" });
    expect(config.wfm.syncUserAccountIds).toBe(false);
  });

  it("sends the X-Personio-App-ID header, GENESYS_WFM_HRIS unless hris.appId is set", () => {
    expect(content.actions.every((a) => a.request.headers["X-Personio-App-ID"] === "GENESYS_WFM_HRIS")).toBe(true);
    const custom = personioStack(fake.url, { appId: "INITECH_WFM" }).content;
    expect(custom.actions.every((a) => a.request.headers["X-Personio-App-ID"] === "INITECH_WFM")).toBe(true);
  });
});

describe("OAuth custom auth action against the fake", () => {
  it("posts client_id and client_secret to /v1/auth and sends data.token as Bearer on the action", async () => {
    const before = fake.requests.length;
    const r = await run("get-timeoff-types");
    expect(r.ok, r.failure?.message).toBe(true);
    const [auth, call] = fake.requests.slice(before);
    expect([auth.method, auth.path, auth.headers["content-type"]]).toEqual(["POST", "/v1/auth", "application/x-www-form-urlencoded"]);
    expect(Object.fromEntries(new URLSearchParams(auth.body))).toEqual({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });
    expect(call.headers.authorization).toMatch(/^Bearer papi-[0-9a-f]{48}$/);
    expect(r.request!.headers.Authorization).toBe("[secret]");
  });

  it("a wrong client secret fails in the auth stage with Personio's 401, never showing the secret", async () => {
    const f = failure(await run("get-timeoff-types", {}, "CANARY-wrong-secret-77"));
    expect([f.stage, f.code, f.details.status]).toEqual(["auth", "AUTH_HTTP_401", 401]);
    expect(JSON.stringify([f.message, f.details])).not.toContain("CANARY-wrong-secret-77");
  });
});

describe("get-timeoff-types", () => {
  it("lists the day-unit types only (time-offs serves those), ids as strings, names aligned", async () => {
    const r = await run("get-timeoff-types");
    expect(r.ok, r.failure?.message).toBe(true);
    const days = fake.types.filter((t) => t.unit === "day");
    expect(r.output).toEqual({ timeOffTypeIds: days.map((t) => String(t.id)), timeOffTypeNames: days.map((t) => t.name) });
    expect(r.output).toMatchObject({ timeOffTypeNames: expect.arrayContaining(['Unpaid vacation, "special" leave']) });
  });
});

describe("get-balance", () => {
  it("returns available balances in minutes (days x hoursPerDay x 60), in the requested order", async () => {
    const r = await run("get-balance", { employeeId: "1020", end: "2026-12-01", hoursPerDay: "7.5", timeOffTypeIds: "113442,113437" });
    expect(r.ok, r.failure?.message).toBe(true);
    const minutes = (id: number) => String(Math.floor(fake.balance(1020, fake.types.find((t) => t.id === id)!).available * 7.5 * 60 + 0.5));
    expect(r.output).toEqual({ timeOffTypeIds: ["113442", "113437"], balanceMinutes: [minutes(113442), minutes(113437)], unknownTimeOffTypeIds: [] });
    expect(lastCall().path).toBe("/v1/company/employees/1020/absences/balance");
  });

  it("lists ids Personio does not know apart, keeping the known ones in order", async () => {
    const r = await run("get-balance", { employeeId: "1020", end: "2026-12-01", timeOffTypeIds: "999,113438" });
    expect(r.output).toMatchObject({ timeOffTypeIds: ["113438"], unknownTimeOffTypeIds: ["999"] });
  });

  it("uses 8 hours a day when hoursPerDay is not given, and deducts a booked period", async () => {
    const vacation = fake.types[0];
    const before = fake.balance(1021, vacation).available;
    const put = await run("put-timeoff-request", putInput({ employeeId: "1021" }));
    expect(put.ok, put.failure?.message).toBe(true);
    const r = await run("get-balance", { employeeId: "1021", timeOffTypeIds: String(vacation.id) });
    // 2026-12-07..09 is Monday to Wednesday: three working days.
    expect(r.output).toMatchObject({ balanceMinutes: [String(Math.round((before - 3) * 480))] });
  });

  it("an unknown employee is Personio's 404", async () => {
    const f = failure(await run("get-balance", { employeeId: "99999", end: "2026-12-01" }));
    expect([f.stage, f.code]).toEqual(["response", "HTTP_404"]);
    expect(f.details.bodyExcerpt).toContain('"success":false');
  });
});

describe("put-timeoff-request", () => {
  it("creates an approved time-off (skip_approval=true) and returns its id", async () => {
    const r = await run("put-timeoff-request", putInput());
    expect(r.ok, r.failure?.message).toBe(true);
    const { id, status } = r.output as { id: string; status: string };
    expect(id).toMatch(/^\d+$/);
    expect(status).toBe("approved");
    expect(fake.timeOffs.get(Number(id))).toMatchObject({ employeeId: 1020, typeId: 113437, start: "2026-12-07", end: "2026-12-09", comment: "Planned leave" });
    expect(Object.fromEntries(new URLSearchParams(lastCall().body))).toEqual({
      employee_id: "1020",
      time_off_type_id: "113437",
      start_date: "2026-12-07",
      end_date: "2026-12-09",
      half_day_start: "false",
      half_day_end: "false",
      skip_approval: "true",
      comment: "Planned leave",
    });
  });

  it("records a requested time-off as pending when the type needs approval (skip_approval=false)", async () => {
    const r = await run("put-timeoff-request", putInput({ status: "requested" }));
    expect(r.output).toMatchObject({ status: "pending" });
    expect(new URLSearchParams(lastCall().body).get("skip_approval")).toBe("false");
  });

  it("accepts a 201 as well as the spec's 200", async () => {
    fake.createStatus = 201;
    try {
      expect((await run("put-timeoff-request", putInput())).ok).toBe(true);
    } finally {
      fake.createStatus = 200;
    }
  });

  it("sends notes with quotes, ampersands, newlines and non-ASCII text intact", async () => {
    const note = 'Arzt sagt "Ruhe" & mehr\nÜberstunden — 休假 ✈ 100%';
    const r = await run("put-timeoff-request", putInput({ note }));
    expect(r.ok, r.failure?.message).toBe(true);
    expect(fake.timeOffs.get(Number((r.output as { id: string }).id))!.comment).toBe(note);
  });

  it("leaves the comment out when there is no note", async () => {
    await run("put-timeoff-request", putInput({ note: "" }));
    expect(new URLSearchParams(lastCall().body).has("comment")).toBe(false);
  });

  it("refuses status denied before any call: Personio cannot record a denied request", async () => {
    const before = fake.requests.length;
    const f = failure(await run("put-timeoff-request", putInput({ status: "denied" })));
    expect([f.stage, f.code]).toEqual(["input", "INPUT_CONTRACT"]);
    expect(f.message).toContain("/status must be equal to one of the allowed values");
    expect(fake.requests.length).toBe(before);
  });

  it("an hour-unit type is refused by Personio (400)", async () => {
    const f = failure(await run("put-timeoff-request", putInput({ timeOffTypeId: "113439" })));
    expect(f.code).toBe("HTTP_400");
  });

  it("an unknown type is Personio's 404 'Time-off type not found.'", async () => {
    const f = failure(await run("put-timeoff-request", putInput({ timeOffTypeId: "999" })));
    expect(f.code).toBe("HTTP_404");
    expect(f.details.bodyExcerpt).toContain("Time-off type not found.");
  });

  it("an end before the start is Personio's 422 validation error", async () => {
    const f = failure(await run("put-timeoff-request", putInput({ start: "2026-12-09", end: "2026-12-07" })));
    expect(f.code).toBe("HTTP_422");
    expect(f.details.bodyExcerpt).toContain("The given data failed to pass validation.");
  });
});

describe("change-timeoff-request-status", () => {
  it("cancels by deleting the time-off and returns the deleted id", async () => {
    const created = await run("put-timeoff-request", putInput({ start: "2026-12-21", end: "2026-12-21" }));
    const id = (created.output as { id: string }).id;
    const r = await run("change-timeoff-request-status", { requestId: id, status: "canceled", note: "Canceled in WFM" });
    expect(r.ok, r.failure?.message).toBe(true);
    expect(r.output).toEqual({ id, status: "canceled" });
    expect([lastCall().method, lastCall().path, lastCall().body]).toEqual(["DELETE", `/v1/company/time-offs/${id}`, ""]);
    expect(fake.timeOffs.has(Number(id))).toBe(false);
  });

  it("a time-off that is not there is Personio's 404", async () => {
    const f = failure(await run("change-timeoff-request-status", { requestId: "1", status: "canceled" }));
    expect(f.code).toBe("HTTP_404");
    expect(f.details.bodyExcerpt).toContain("The absence period was not found.");
  });
});

describe("Personio stack config", () => {
  const issues = (hris: Record<string, unknown>, values: Record<string, unknown> = {}): ConfigIssue[] =>
    thrownBy(
      () => validateStackConfig(rawConfig({ values: { hris: { kind: "personio", hostname: "initech", auth: { type: "oauth", clientId: CLIENT_ID, tokenUrl: "https://api.personio.de/v1/auth" }, ...hris }, ...values }, secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"] }), "test"),
      ConfigError,
      "the config to be rejected",
    ).issues;

  it("defaults the API origin to https://api.personio.de and names the instance by the hostname", () => {
    const config = validConfig({ values: { hris: { kind: "personio", hostname: "initech", auth: { type: "oauth", clientId: CLIENT_ID, tokenUrl: "https://api.personio.de/v1/auth" } } }, secrets: ["hrisOauthClientSecret", "genesysOauthClientSecret"] });
    expect(config.hris.baseUrl).toBe("https://api.personio.de");
    expect(hrisAdapter("personio").instanceName(config.hris)).toBe("initech");
  });

  it("rejects a token URL other than Personio's /v1/auth, whose answer the auth action reads", () => {
    const [issue] = issues({ auth: { type: "oauth", clientId: CLIENT_ID, tokenUrl: "https://api.personio.de/v2/auth/token" } });
    expect(issue.key).toBe("wfm-hris:hris.auth.tokenUrl");
    expect(issue.problem).toMatch(/must be Personio's v1 token endpoint, https:\/\/api\.personio\.de\/v1\/auth/);
  });

  it("rejects a hostname that is not Personio's 3-20 letters and digits", () => {
    expect(issues({ hostname: "initech.personio.de" }).map((i) => i.key)).toEqual(["wfm-hris:hris.hostname"]);
  });

  it("refuses wfm.syncUserAccountIds: Personio has no get-agents action", () => {
    const issue = issues({}, { wfm: { syncUserAccountIds: true } }).find((i) => i.key.includes("syncUserAccountIds"))!;
    expect(issue.problem).toMatch(/needs a get-agents data action, which the Personio adapter does not have/);
  });
});
