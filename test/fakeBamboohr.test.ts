import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBambooHr } from "../hris/bamboohr/fake";

const fake = new FakeBambooHr({ companyDomain: "acme" });
let base: string;
beforeAll(async () => {
  base = `${await fake.start()}/api/gateway.php/acme/v1`;
});
afterAll(() => fake.stop());

const auth = (key = "test-api-key-admin") => `Basic ${Buffer.from(`${key}:x`).toString("base64")}`;
const get = (path: string, headers: Record<string, string> = { Authorization: auth(), Accept: "application/json" }) => fetch(`${base}${path}`, { headers });
const put = (employee: string, body: unknown, key = "test-api-key-admin") =>
  fetch(`${base}/employees/${employee}/time_off/request`, {
    method: "PUT",
    headers: { Authorization: auth(key), Accept: "application/json", "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const request = { status: "requested", start: "2026-12-14", end: "2026-12-14", timeOffTypeId: 78, amount: 8 };

describe("fake BambooHR behaves as documented", () => {
  it("requires Basic auth with a known API key as the user name", async () => {
    expect((await get("/meta/time_off/types", { Accept: "application/json" })).status).toBe(401);
    expect((await get("/meta/time_off/types", { Authorization: auth("nope"), Accept: "application/json" })).status).toBe(401);
    expect((await get("/meta/time_off/types")).status).toBe(200);
  });

  it("answers XML unless Accept: application/json", async () => {
    const res = await get("/meta/time_off/types", { Authorization: auth() });
    expect(res.headers.get("content-type")).toBe("text/xml");
    expect(await res.text()).toMatch(/^<\?xml/);
  });

  it("serves the newer /api/v1 URL form too", async () => {
    const res = await fetch(`${fake.url}/api/v1/meta/time_off/types`, { headers: { Authorization: auth(), Accept: "application/json" } });
    expect(res.status).toBe(200);
  });

  it("returns 404 for another company's domain", async () => {
    expect((await fetch(`${fake.url}/api/gateway.php/globex/v1/meta/time_off/types`, { headers: { Authorization: auth() } })).status).toBe(404);
  });

  it("lists time-off types and default hours with string or integer ids", async () => {
    const body = await (await get("/meta/time_off/types")).json();
    expect(body.timeOffTypes[0]).toMatchObject({ id: "78", name: "Vacation", units: "hours" });
    expect(body.defaultHours).toHaveLength(7);
    fake.idMode = "integer";
    expect((await (await get("/meta/time_off/types")).json()).timeOffTypes[0].id).toBe(78);
    fake.idMode = "string";
  });

  it("returns the directory with fields, and 403 when it is not shared", async () => {
    const body = await (await get("/employees/directory")).json();
    expect(body.fields.map((f: { id: string }) => f.id)).toContain("workEmail");
    expect(body.employees.length).toBeGreaterThan(250);
    fake.directoryShared = false;
    expect((await get("/employees/directory")).status).toBe(403);
    fake.directoryShared = true;
  });

  it("answers the calculator with a top-level array, and an empty 404 for an unknown employee", async () => {
    const body = await (await get("/employees/120/time_off/calculator?end=2026-12-31")).json();
    expect(Array.isArray(body)).toBe(true);
    expect(body[0]).toMatchObject({ timeOffType: "78", units: "hours", end: "2026-12-31", balance: expect.stringMatching(/^\d+\.\d{2}$/) });
    const missing = await get("/employees/99999/time_off/calculator");
    expect([missing.status, await missing.text()]).toEqual([404, ""]);
  });

  it("creates a request: 201, Location and the created request as JSON", async () => {
    const res = await put("120", request);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(res.headers.get("location")).toBe(`/api/gateway.php/acme/v1/time_off/requests/${body.id}`);
    expect(body).toMatchObject({ employeeId: "120", status: { status: "requested" }, type: { id: "78" }, dates: { "2026-12-14": "8" } });
  });

  it("deducts requested time from the balance", async () => {
    const vacation = fake.timeOffTypesFor()[0];
    const before = fake.balance(130, vacation, "2026-12-31");
    await put("130", { ...request, dates: [{ ymd: "2026-12-14", amount: 7.5 }] });
    expect(fake.balance(130, vacation, "2026-12-31")).toBeCloseTo(before - 7.5, 2);
  });

  it("rejects malformed JSON and unknown types with 400 and X-BambooHR-Error-Message", async () => {
    const malformed = await put("120", '{"status": "requested", "notes": [{"note": "say "hi""}]}');
    expect([malformed.status, malformed.headers.get("x-bamboohr-error-message")]).toEqual([400, "Malformed JSON in request body"]);
    const badType = await put("120", { ...request, timeOffTypeId: 12345 });
    expect([badType.status, badType.headers.get("x-bamboohr-error-message")]).toEqual([400, "Invalid time off type"]);
  });

  it("lets only admins approve or deny (403 otherwise)", async () => {
    expect((await put("120", { ...request, status: "approved" }, "test-api-key-employee")).status).toBe(403);
    expect((await put("120", { ...request, status: "requested" }, "test-api-key-employee")).status).toBe(201);
  });

  it("supersedes a previous request of the same employee, once", async () => {
    const first = await (await put("140", request)).json();
    expect((await put("141", { ...request, previousRequest: Number(first.id) })).status).toBe(400);
    expect((await put("140", { ...request, previousRequest: Number(first.id) })).status).toBe(201);
    expect(fake.timeOffRequests.get(Number(first.id))!.status).toBe("superceded");
    expect((await put("140", { ...request, previousRequest: Number(first.id) })).status).toBe(400);
  });

  it("throttles on demand with 503 and Retry-After", async () => {
    fake.throttle(1, 5);
    const res = await get("/meta/time_off/types");
    expect([res.status, res.headers.get("retry-after")]).toEqual([503, "5"]);
    expect((await get("/meta/time_off/types")).status).toBe(200);
  });
});

describe("fake BambooHR request status changes", () => {
  const status = (id: string | number, body: unknown, key = "test-api-key-admin") =>
    fetch(`${base}/time_off/requests/${id}/status`, {
      method: "PUT",
      headers: { Authorization: auth(key), Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });

  it("cancels a requested request and records the note", async () => {
    const created = await (await put("150", request)).json();
    expect((await status(created.id, { status: "canceled", note: "Plans changed" })).status).toBe(200);
    expect(fake.timeOffRequests.get(Number(created.id))).toMatchObject({ status: "canceled", notes: { manager: "Plans changed" } });
  });

  it("refuses to cancel an approved request that has started", async () => {
    const created = await (await put("151", { ...request, status: "approved", start: "2026-11-02", end: "2026-11-02" })).json();
    const res = await status(created.id, { status: "canceled" });
    expect([res.status, res.headers.get("x-bamboohr-error-message")]).toEqual([400, "A approved request that has started cannot be canceled"]);
  });

  it("answers 404 for an unknown request and 400 for an unknown status", async () => {
    expect((await status(999999, { status: "canceled" })).status).toBe(404);
    const created = await (await put("152", request)).json();
    expect((await status(created.id, { status: "archived" })).status).toBe(400);
  });
});
