import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTOSO_PEOPLE, FakeContosoHr } from "../examples/custom-hris/fake";
import { executeAction } from "../lib/dataActions/engine";
import { validateHrisPayload } from "../lib/veza/payload";
import { directoryReader, payloadFromReport } from "../lib/veza/prepare";
import { DeployableDataAction, loadStackContent } from "../lib/stackContent";
import { validConfig } from "./helpers/config";

/**
 * The worked example of docs/custom-hris.md: Contoso HR's own REST API, its data actions in examples/custom-hris/hris,
 * run by the offline engine against the example's fake, and its directory mapped to the Veza payload.
 */
const fake = new FakeContosoHr(["contoso-test-key"]);
let byRole: (role: string) => DeployableDataAction;
const credentials = { type: "basicAuth" as const, fields: { userName: "contoso-test-key", password: "x" } };
const veza = { url: "https://contoso.vezacloud.com", idpProviders: ["azure_ad"], employeeProperties: { cost_center: "costCenter" } };
const stackConfig = (baseUrl: string) =>
  validConfig({
    values: { customer: "contoso", hris: { kind: "custom", path: "examples/custom-hris/hris", name: "contoso-hr", baseUrl }, veza },
    secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"],
  });

beforeAll(async () => {
  const content = loadStackContent(stackConfig(await fake.start()));
  byRole = (role) => content.actions.find((a) => a.id === role)!;
});
afterAll(() => fake.stop());
const run = (role: string, input: Record<string, unknown>, creds = credentials) => executeAction(byRole(role), input, { credentials: creds, timeoutMs: 10_000 });
const balanceOf = async (types = "VAC") => (await run("get-balance", { employeeId: "C-101", end: "2026-12-31", hoursPerDay: "8", timeOffTypeIds: types })).flattened!;
const request = { employeeId: "C-101", timeOffTypeId: "VAC", status: "approved", start: "2026-12-07", end: "2026-12-08", dates: "2026-12-07,2026-12-08", payableMinutes: "480,240", note: "", previousRequest: "" };

describe("the worked example's data actions against Contoso HR's fake", () => {
  it("list the leave types as time-off types, ids aligned with names", async () => {
    const r = await run("get-timeoff-types", {});
    expect(r.ok, r.failure?.message).toBe(true);
    expect(r.flattened).toEqual({ timeOffTypeIds: ["VAC", "SICK", "TRAIN"], timeOffTypeNames: ["Vacation", "Sick leave", "Training"] });
  });

  it("give balances in minutes in the order asked, with unknown ids apart", async () => {
    expect(await balanceOf("TRAIN,NOPE,VAC")).toEqual({ timeOffTypeIds: ["TRAIN", "VAC"], balanceMinutes: ["1440", "12000"], unknownTimeOffTypeIds: ["NOPE"] });
  });

  it("record a request that counts against the balance, and replace it with previousRequest", async () => {
    const created = await run("put-timeoff-request", request);
    expect(created.ok, created.failure?.message).toBe(true);
    const id = (created.output as { id: string }).id;
    expect((await balanceOf()).balanceMinutes).toEqual(["11280"]);
    const replaced = await run("put-timeoff-request", { ...request, dates: "2026-12-07", payableMinutes: "480", end: "2026-12-07", previousRequest: id });
    expect(replaced.ok, replaced.failure?.message).toBe(true);
    expect(fake.leaveRequests.get(id)!.status).toBe("replaced");
    expect((await balanceOf()).balanceMinutes).toEqual(["11520"]);
  });

  it("cancel a request, and fail with the HRIS's answer when it is already canceled", async () => {
    const id = ((await run("put-timeoff-request", { ...request, timeOffTypeId: "SICK" })).output as { id: string }).id;
    const canceled = await run("change-timeoff-request-status", { requestId: id, status: "canceled", note: "" });
    expect([canceled.ok, canceled.output]).toEqual([true, { id }]);
    const again = await run("change-timeoff-request-status", { requestId: id, status: "canceled", note: "" });
    expect(again.ok).toBe(false);
    expect(again.failure!.details.status).toBe(409);
  });

  it("fail on a wrong API key without showing it", async () => {
    const r = await run("get-timeoff-types", {}, { type: "basicAuth", fields: { userName: "canary-wrong-contoso-key", password: "x" } });
    expect([r.ok, r.failure?.details.status]).toEqual([false, 401]);
    expect(JSON.stringify(r)).not.toContain("canary-wrong-contoso-key");
  });
});

describe("the worked example's directory for Veza", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "contoso-")), "people.json");
  afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it("maps a saved employee list to a valid payload: managers, departments, offices, leavers inactive", async () => {
    fs.writeFileSync(file, JSON.stringify({ people: CONTOSO_PEOPLE.map((p, i) => ({ ...p, costCenter: i % 2 ? "CC-2" : "CC-1" })) }));
    const config = stackConfig("https://hr.contoso.example");
    const reader = directoryReader(config);
    const built = reader.build(reader.readReportFile(file), config.hris, { name: "contoso HRIS - contoso-hr", idpProviders: ["azure_ad"], employeeProperties: { cost_center: "costCenter" } });
    validateHrisPayload(built.payload);
    const byId = Object.fromEntries(built.payload.employees.map((e) => [e.id, e]));
    expect(byId["C-105"]).toMatchObject({ managers: [{ id: "C-103" }], department: { id: "department:sales support" }, work_location: "Lisbon", custom_properties: { cost_center: "CC-2" } });
    expect(byId["C-102"]).toMatchObject({ is_active: true, employment_status: "ACTIVE" });
    expect(byId["C-104"]).toMatchObject({ is_active: false, termination_date: "2026-03-31T00:00:00Z", start_date: "2021-01-04T00:00:00Z" });
    expect(built.payload).toMatchObject({ hris_type: "Contoso HR", system: { id: "custom:contoso-hr", url: "https://hr.contoso.example" } });
    expect(built.warnings).toEqual([]);
  });

  it("fetches the list with the stack's credential and builds the same payload", async () => {
    const config = stackConfig(fake.url);
    const fetched = await directoryReader(config).fetch(config.hris, "contoso-test-key", { extraFields: [] });
    const prepared = await payloadFromReport(config, fetched);
    expect([prepared.employeeCount, prepared.groupCount]).toEqual([6, 4]);
    expect(fake.requests.at(-1)).toMatchObject({ method: "GET", path: "/api/v1/people", authorization: `Basic ${Buffer.from("contoso-test-key:x").toString("base64")}` });
  });

  it("names the file and the mapping when a saved list has no employee list where the mapping says", () => {
    fs.writeFileSync(file, JSON.stringify({ employees: [] }));
    const config = stackConfig("https://hr.contoso.example");
    expect(() => directoryReader(config).readReportFile(file)).toThrow(/has no employee list at people \(directory\.employeesAt\)[\s\S]*fix: save the JSON answer of GET <hris\.baseUrl>\/api\/v1\/people/);
  });
});
