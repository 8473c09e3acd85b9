import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HrisApiError, hrisAdapter, withHrisBaseUrl } from "../hris";
import type { HrisSettings } from "../hris";
import { EmployeeReport, fetchEmployees, readEmployeeReportFile } from "../hris/personio/client";
import { buildHrisPayload, personioDate } from "../hris/personio/directory";
import { FakePersonio } from "../hris/personio/fake";
import { seedEmployees } from "../hris/personio/fakeData";
import { personioDirectory } from "../hris/personio/veza";
import { FileValidationError } from "../lib/jsonFile";
import { validateHrisPayload } from "../lib/veza/payload";

const SECRET = "CANARY-personio-dir-secret";
const fake = new FakePersonio({ clients: { cid: SECRET }, employees: seedEmployees(250) });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-personio-"));
let hris: HrisSettings;
beforeAll(async () => {
  const url = await fake.start();
  hris = { kind: "personio", hostname: "initech", appId: "GENESYS_WFM_HRIS", baseUrl: url, hoursPerDay: 8, auth: { type: "oauth", clientId: "cid", tokenUrl: `${url}/v1/auth` } };
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const options = (o: Partial<Parameters<typeof fetchEmployees>[0]> = {}) => ({ baseUrl: fake.url, appId: "GENESYS_WFM_HRIS", auth: { tokenUrl: `${fake.url}/v1/auth`, clientId: "cid", clientSecret: SECRET }, ...o });
const build = (report: EmployeeReport, extra: Partial<Parameters<typeof buildHrisPayload>[2]> = {}) =>
  buildHrisPayload(report, hris, { name: "initech Personio - initech", idpProviders: ["okta"], employeeProperties: {}, ...extra });
const employeeCalls = () => fake.requests.filter((r) => r.path === "/v1/company/employees");

describe("fetching the employees", () => {
  it("reads every page, 100 records at a time, until the short last page", async () => {
    const before = employeeCalls().length;
    const report = await fetchEmployees(options(), ["email", "status"]);
    expect(report.map((e) => e.attributes.id.value)).toEqual([...fake.employees.keys()]);
    const calls = employeeCalls().slice(before);
    expect(calls.map((c) => [c.search.get("limit"), c.search.get("offset")])).toEqual([["100", "0"], ["100", "100"], ["100", "200"]]);
    expect(calls[0].search.getAll("attributes[]")).toEqual(["email", "status"]);
    expect(calls[0].headers["x-personio-app-id"]).toBe("GENESYS_WFM_HRIS");
  });

  it("stops on the last page by metadata when the page is full", async () => {
    const exact = new FakePersonio({ clients: { cid: SECRET }, employees: seedEmployees(200) });
    const url = await exact.start();
    try {
      const report = await fetchEmployees(options({ baseUrl: url, auth: { tokenUrl: `${url}/v1/auth`, clientId: "cid", clientSecret: SECRET } }), []);
      expect(report).toHaveLength(200);
      expect(exact.requests.filter((r) => r.path === "/v1/company/employees")).toHaveLength(2);
    } finally {
      await exact.stop();
    }
  });

  it("backs off exponentially from 1 s on 429 and 5xx, then goes on", async () => {
    let now = 0;
    const limited = new FakePersonio({ clients: { cid: SECRET }, employees: seedEmployees(250), rateLimits: { employeesPerMinute: 2, employeesPerSecond: 100 }, now: () => now });
    const url = await limited.start();
    const delays: number[] = [];
    try {
      limited.failNext(503);
      const report = await fetchEmployees(
        options({ baseUrl: url, auth: { tokenUrl: `${url}/v1/auth`, clientId: "cid", clientSecret: SECRET }, sleep: async (ms) => void (delays.push(ms), (now += ms)) }),
        [],
      );
      expect(report).toHaveLength(250);
      // 503 → 1 s; the next page is over the minute's budget of 2: 1, 2, 4, 8, 16, 32 s, until the minute has passed.
      expect(delays).toEqual([1000, 1000, 2000, 4000, 8000, 16000, 32000]);
    } finally {
      await limited.stop();
    }
  });

  it("honours a Retry-After when one comes", async () => {
    const delays: number[] = [];
    let first = true;
    const fetchImpl: typeof fetch = async (input, init) => {
      if (first && String(input).includes("/v1/company/employees")) {
        first = false;
        return new Response("", { status: 429, headers: { "Retry-After": "3" } });
      }
      return fetch(input, init);
    };
    await fetchEmployees(options({ fetchImpl, sleep: async (ms) => void delays.push(ms) }), []);
    expect(delays).toEqual([3000]);
  });

  it("a wrong client secret names the token URL and the settings to check, never the secret", async () => {
    const err = await fetchEmployees(options({ auth: { tokenUrl: `${fake.url}/v1/auth`, clientId: "cid", clientSecret: "CANARY-wrong-one" } }), []).catch((e) => e);
    expect(err).toBeInstanceOf(HrisApiError);
    expect(err.message).toMatch(/\/v1\/auth answered HTTP 401: Wrong credentials \(check hris\.auth\.clientId and hrisOauthClientSecret\)/);
    expect(err.message).not.toContain("CANARY-wrong-one");
  });
});

describe("the Veza payload", () => {
  let report: EmployeeReport;
  beforeAll(async () => {
    report = await personioDirectory.fetch(hris, SECRET, { extraFields: ["dynamic_24407"] });
  });

  it("is valid, with every employee, departments, teams and offices as groups, supervisors as managers", () => {
    const { payload, warnings } = build(report);
    expect(validateHrisPayload(payload)).toBeTruthy();
    expect(warnings).toEqual([]);
    expect(payload.employees).toHaveLength(250);
    expect(payload.system).toMatchObject({ id: "personio:initech", url: "https://initech.personio.de" });
    const seeded = fake.employees.get(1020)!;
    const e = payload.employees.find((x) => x.id === "1020")!;
    expect(e).toMatchObject({ first_name: seeded.firstName, email: seeded.email, job_title: seeded.position, managers: [{ id: String(seeded.supervisorId) }], work_location: seeded.office!.name, company: seeded.subcompany!.name });
    expect(payload.groups.find((g) => g.id === e.department!.id)).toEqual({ id: `department:${seeded.department!.id}`, name: seeded.department!.name, group_type: "DEPARTMENT" });
    expect(e.groups).toContainEqual({ id: `office:${seeded.office!.id}` });
    expect(payload.groups.map((g) => g.group_type)).toEqual(expect.arrayContaining(["DEPARTMENT", "TEAM", "GROUP"]));
  });

  it("maps active and leave to active, onboarding to PENDING and inactive to INACTIVE", () => {
    const { payload } = build(report);
    const byStatus = (s: string) => payload.employees.find((e) => e.id === String([...fake.employees.values()].find((x) => x.status === s)!.id))!;
    expect([byStatus("active"), byStatus("leave"), byStatus("onboarding"), byStatus("inactive")].map((e) => [e.is_active, e.employment_status])).toEqual([
      [true, "ACTIVE"],
      [true, "ACTIVE"],
      [false, "PENDING"],
      [false, "INACTIVE"],
    ]);
  });

  it("keeps the calendar day of Personio's dates, at midnight UTC, and the termination date when set", () => {
    expect(personioDate("2014-11-09T00:00:00+01:00")).toBe("2014-11-09T00:00:00Z");
    expect(personioDate("2021-01-01")).toBe("2021-01-01T00:00:00Z");
    expect([personioDate(null), personioDate(""), personioDate("2026-02-30T00:00:00+01:00")]).toEqual([undefined, undefined, undefined]);
    const { payload } = build(report);
    const leaver = [...fake.employees.values()].find((x) => x.terminationDate)!;
    expect(payload.employees.find((e) => e.id === String(leaver.id))).toMatchObject({ start_date: `${leaver.hireDate}T00:00:00Z`, termination_date: `${leaver.terminationDate}T00:00:00Z` });
  });

  it("takes idp_id and custom properties from the configured attributes, warning about unknown ones", () => {
    const { payload, warnings } = build(report, { idpIdField: "dynamic_24407", employeeProperties: { okta_login: "dynamic_24407", shoe_size: "dynamic_99" } });
    validateHrisPayload(payload);
    const e = payload.employees.find((x) => x.id === "1020")!;
    expect(e.idp_id).toBe(fake.employees.get(1020)!.oktaLogin);
    expect(e.custom_properties).toEqual({ okta_login: fake.employees.get(1020)!.oktaLogin });
    expect(warnings).toEqual([expect.stringContaining('veza.employeeProperties.shoe_size: no employee has the Personio attribute "dynamic_99"')]);
  });

  it("leaves out a supervisor who is not in the report, with a warning", () => {
    const { payload, warnings } = build(report.filter((e) => e.attributes.id.value !== 1000));
    expect(payload.employees.find((e) => e.id === "1001")!.managers).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^\d+ employees have a supervisor who is not in the report/)]);
  });
});

describe("the adapter", () => {
  it("hands Veza the Personio directory reader, as a stack with a veza section asks for it", () => {
    expect(hrisAdapter("personio").directory?.({} as HrisSettings, process.cwd())).toBe(personioDirectory);
  });
});

describe("--from-report files", () => {
  const save = (name: string, value: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
    return file;
  };
  const pages = async () => {
    const t = fake.issueToken("cid");
    const page = (offset: number) => fetch(`${fake.url}/v1/company/employees?limit=100&offset=${offset}`, { headers: { Authorization: `Bearer ${t}` } }).then((r) => r.json());
    return Promise.all([page(0), page(100), page(200)]);
  };

  it("reads a list of saved pages, one page, or the employees themselves", async () => {
    const saved = await pages();
    const all = saved.flatMap((p) => p.data);
    expect(readEmployeeReportFile(save("pages.json", saved))).toEqual(all);
    expect(readEmployeeReportFile(save("page.json", saved[0]))).toEqual(saved[0].data);
    expect(readEmployeeReportFile(save("data.json", all))).toEqual(all);
  });

  it("names the file and the place of an employee without an id", () => {
    const bad = save("bad.json", [{ data: [{ type: "Employee", attributes: { id: { value: 1 } } }] }, { data: [{ type: "Employee", attributes: {} }] }]);
    expect(() => readEmployeeReportFile(bad)).toThrow(FileValidationError);
    expect(() => readEmployeeReportFile(bad)).toThrow(/\$\[1\]\.data.*without attributes\.id\.value at data\[0\]/);
    expect(() => readEmployeeReportFile(save("text.json", '"hello"'))).toThrow(/is not a Personio employees page or a list/);
  });
});

describe("--hris-url", () => {
  it("moves an OAuth token URL on the API origin with the API, and leaves one elsewhere", () => {
    const personio: HrisSettings = { ...hris, baseUrl: "https://api.personio.de", auth: { type: "oauth", clientId: "c", tokenUrl: "https://api.personio.de/v1/auth" } };
    expect(withHrisBaseUrl(personio, "http://127.0.0.1:8090/").auth).toMatchObject({ tokenUrl: "http://127.0.0.1:8090/v1/auth" });
    const idp: HrisSettings = { ...personio, auth: { type: "oauth", clientId: "c", tokenUrl: "https://login.example.com/oauth/token" } };
    expect(withHrisBaseUrl(idp, "http://127.0.0.1:8090")).toMatchObject({ baseUrl: "http://127.0.0.1:8090", auth: { tokenUrl: "https://login.example.com/oauth/token" } });
  });
});
