import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakePersonio } from "../hris/personio/fake";
import { seedEmployees } from "../hris/personio/fakeData";

/** The fake Personio answers as Personio documents (hris/personio/README.md, "Sources"). */

const fake = new FakePersonio({ clients: { cid: "csecret" } });
let token: string;
beforeAll(async () => {
  await fake.start();
  token = fake.issueToken("cid");
});
afterAll(() => fake.stop());

const get = (path: string, auth: string | null = `Bearer ${token}`) => fetch(`${fake.url}${path}`, { headers: auth ? { Authorization: auth } : {} });
const form = (path: string, fields: Record<string, string>, method = "POST", auth = `Bearer ${token}`) =>
  fetch(`${fake.url}${path}`, { method, headers: { Authorization: auth, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
const timeOff = (overrides: Record<string, string> = {}) => ({
  employee_id: "1001",
  time_off_type_id: "113437",
  start_date: "2026-12-14",
  end_date: "2026-12-14",
  half_day_start: "false",
  half_day_end: "false",
  ...overrides,
});

describe("authentication", () => {
  it("POST /v1/auth takes a JSON body too and answers {success, data: {token, expires_in}} with a papi- token", async () => {
    const res = await fetch(`${fake.url}/v1/auth`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ client_id: "cid", client_secret: "csecret" }) });
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ success: true, data: { token: expect.stringMatching(/^papi-/), expires_in: 86400 } });
    expect((await get("/v1/company/time-off-types", `Bearer ${body.data.token}`)).status).toBe(200);
  });

  it("POST /v2/auth/token (form only) gives an access_token that the v1 endpoints accept", async () => {
    const res = await fetch(`${fake.url}/v2/auth/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "grant_type=client_credentials&client_id=cid&client_secret=csecret" });
    const body = await res.json();
    expect(body).toMatchObject({ access_token: expect.stringMatching(/^papi-/), token_type: "Bearer", expires_in: 86400 });
    expect((await get("/v1/company/time-off-types", `Bearer ${body.access_token}`)).status).toBe(200);
    const json = await fetch(`${fake.url}/v2/auth/token`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ grant_type: "client_credentials", client_id: "cid", client_secret: "csecret" }) });
    expect(json.status).toBe(400);
  });

  it("no token is 401 'Authorization is not provided', a wrong one 403 'Provided authorization is not valid'", async () => {
    const none = await get("/v1/company/employees", null);
    expect([none.status, await none.json()]).toEqual([401, { success: false, error: { code: 401, message: "Authorization is not provided" } }]);
    const wrong = await get("/v1/company/employees", "Bearer papi-nope");
    expect([wrong.status, await wrong.json()]).toEqual([403, { success: false, error: { code: 403, message: "Provided authorization is not valid" } }]);
  });

  it("a successful answer carries the same bearer token in its Authorization header", async () => {
    expect((await get("/v1/company/time-off-types")).headers.get("authorization")).toBe(`Bearer ${token}`);
  });
});

describe("time-off types and employees", () => {
  it("time-off types: {success, data} of TimeOffType with unit day or hour, without metadata", async () => {
    const body = await (await get("/v1/company/time-off-types")).json();
    expect(body).not.toHaveProperty("metadata");
    expect(body.data[0]).toEqual({ type: "TimeOffType", attributes: { id: 113437, name: "Paid vacation", category: "paid_vacation", unit: "day", approval_required: true } });
    expect(new Set(body.data.map((t: { attributes: { unit: string } }) => t.attributes.unit))).toEqual(new Set(["day", "hour"]));
  });

  it("employees: 50 by default, record offsets, 0-based current_page and echoed offset/limit", async () => {
    const first = await (await get("/v1/company/employees")).json();
    expect([first.data.length, first.limit, first.offset, first.metadata]).toEqual([50, 50, 0, { total_elements: 250, current_page: 0, total_pages: 5 }]);
    const third = await (await get("/v1/company/employees?limit=100&offset=200")).json();
    expect([third.data.length, third.metadata.current_page, third.metadata.total_pages]).toEqual([50, 2, 3]);
    expect(third.data[0].attributes.id.value).toBe(1200);
  });

  it("employees: a limit above 100 is a 400", async () => {
    const res = await get("/v1/company/employees?limit=101");
    expect([res.status, (await res.json()).error.message]).toEqual([400, "The limit must be between 1 and 100."]);
  });

  it("attribute values have Personio's shapes: objects for department and supervisor, ISO dates with offset", async () => {
    const body = await (await get("/v1/company/employees?limit=100&offset=0")).json();
    const e = body.data.find((x: { attributes: { supervisor: { value: unknown }; department: { value: unknown } } }) => x.attributes.supervisor.value && x.attributes.department.value).attributes;
    expect(e.email).toEqual({ label: "Email", value: expect.stringMatching(/@/), type: "standard", universal_id: "email" });
    expect(e.department.value).toEqual({ type: "Department", attributes: { id: expect.any(Number), name: expect.any(String) } });
    expect(e.supervisor.value).toMatchObject({ type: "Employee", attributes: { id: { label: "ID", value: 1000, type: "integer", universal_id: "id" } } });
    expect(e.hire_date).toMatchObject({ type: "date", value: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\+0[12]:00$/) });
    expect(new Set(body.data.map((x: { attributes: { status: { value: string } } }) => x.attributes.status.value))).toEqual(new Set(["active", "leave", "inactive", "onboarding"]));
  });

  it("attributes[] projects the employees to those attributes and the id", async () => {
    const body = await (await get("/v1/company/employees?limit=1&attributes[]=email&attributes[]=status")).json();
    expect(Object.keys(body.data[0].attributes).sort()).toEqual(["email", "id", "status"]);
  });
});

describe("time-offs", () => {
  it("create answers 200 with a TimeOffPeriod, approved by default (skip_approval defaults to true)", async () => {
    const res = await form("/v1/company/time-offs", timeOff());
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.data).toMatchObject({ type: "TimeOffPeriod", attributes: { id: expect.any(Number), status: "approved", start_date: "2026-12-14T00:00:00+0100", created_by: "API" } });
  });

  it("a single day with both half-day flags is the documented 400", async () => {
    const res = await form("/v1/company/time-offs", timeOff({ half_day_start: "true", half_day_end: "true" }));
    expect([res.status, (await res.json()).error.message]).toEqual([400, "Invalid absence day. Reason: Both half day start and half day end are true for a single-day period"]);
  });

  it("a missing required field is a 422 with error_data naming it", async () => {
    const { half_day_end: _, ...rest } = timeOff();
    const res = await form("/v1/company/time-offs", rest);
    const body = await res.json();
    expect([res.status, body.error.code, body.error.message]).toEqual([422, 0, "The given data failed to pass validation."]);
    expect(JSON.parse(body.error.error_data)).toHaveProperty("half_day_end");
  });

  it("delete answers 'The absence period was deleted.', then 404; a malformed id is 400", async () => {
    const id = (await (await form("/v1/company/time-offs", timeOff({ start_date: "2026-12-15", end_date: "2026-12-15" }))).json()).data.attributes.id;
    const del = (path: string) => fetch(`${fake.url}${path}`, { method: "DELETE", headers: { Authorization: `Bearer ${token}` } });
    const ok = await del(`/v1/company/time-offs/${id}`);
    expect([ok.status, await ok.json()]).toEqual([200, { success: true, data: { message: "The absence period was deleted." } }]);
    const again = await del(`/v1/company/time-offs/${id}`);
    expect([again.status, (await again.json()).error]).toEqual([404, { code: 404, message: "The absence period was not found." }]);
    expect((await del("/v1/company/time-offs/abc")).status).toBe(400);
  });
});

describe("rate limits", () => {
  it("over the per-minute budget of GET employees: 429 without Retry-After, until the minute has passed", async () => {
    let now = 1_000_000;
    const limited = new FakePersonio({ clients: { cid: "csecret" }, employees: seedEmployees(10), rateLimits: { employeesPerMinute: 3, employeesPerSecond: 100 }, now: () => now });
    await limited.start();
    try {
      const t = limited.issueToken("cid");
      const call = () => fetch(`${limited.url}/v1/company/employees`, { headers: { Authorization: `Bearer ${t}` } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call()).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const res = await call();
      expect(res.headers.get("retry-after")).toBeNull();
      now += 61_000;
      expect((await call()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it("over the /v1/auth budget: 429, and a 60 s cool-down even once the minute has passed", async () => {
    let now = 5_000_000;
    const limited = new FakePersonio({ clients: { cid: "csecret" }, rateLimits: { authPerMinute: 2 }, now: () => now });
    await limited.start();
    try {
      const auth = () => fetch(`${limited.url}/v1/auth`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "client_id=cid&client_secret=csecret" }).then((r) => r.status);
      expect([await auth(), await auth(), await auth()]).toEqual([200, 200, 429]);
      now += 59_000;
      expect(await auth()).toBe(429);
      now += 2_000;
      expect(await auth()).toBe(200);
    } finally {
      await limited.stop();
    }
  });
});
