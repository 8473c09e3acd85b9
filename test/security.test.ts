import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildHrisPayload } from "../hris/bamboohr/directory";
import { readEmployeeReportFile } from "../hris/bamboohr/client";
import { BadDates, managerWarnings } from "../hris/directoryChecks";
import { maskCredentials, urlProblem } from "../lib/config/fields";
import { ConfigError, validateStackConfig } from "../lib/config/validate";
import { literalCredentialIssues } from "../lib/dataActions/literalCredentials";
import { firstSyntaxError, readJsonFile } from "../lib/jsonFile";
import { velocitySyntaxProblem } from "../lib/velocity/render";
import { runTool } from "./helpers/cli";

const CANARY = "CANARY-9d1e-secret";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-security-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const employee = (id: string, supervisorEId = "", extra: Record<string, unknown> = {}) => ({ id, firstName: "A", lastName: id, status: "Active", supervisorEId, ...extra });
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("URLs in config and flags", () => {
  it("refuses credentials, queries and Velocity, and plain http except to loopback", () => {
    expect(urlProblem(`https://u:${CANARY}@api.example.com`)).toMatch(/user name or password/);
    expect(urlProblem(`https://api.example.com/v1/auth?client_secret=${CANARY}`)).toMatch(/query string/);
    expect(urlProblem("https://api.example.com/$!{input.employeeId}")).toMatch(/'\$'/);
    expect(urlProblem("http://0.0.0.0:8090")).toMatch(/https/);
    expect(urlProblem("http://127.0.0.1:8090")).toBeUndefined();
    expect(urlProblem("https://api.bamboohr.com")).toBeUndefined();
  });

  it("never says the URL in the message, and masks credentials in any value shown", () => {
    for (const url of [`https://u:${CANARY}@x.com`, `https://x.com?k=${CANARY}`]) expect(urlProblem(url)).not.toContain(CANARY);
    expect(maskCredentials(`"https://u:${CANARY}@x.com/a?k=${CANARY}"`)).toBe('"https://***@x.com/a?***"');
  });

  it("names a config key under a misspelt namespace instead of only missing settings", () => {
    const e = (() => {
      try {
        validateStackConfig({ namespace: "wfm-hris", values: {}, secretsPresent: new Set(), otherKeys: ["wfm_hris:customer", "genesyscloud:region"] });
      } catch (error) {
        return error as ConfigError;
      }
    })();
    expect(e?.issues).toContainEqual(expect.objectContaining({ key: "wfm_hris:customer", fix: "rename the key to wfm-hris:customer in the stack file" }));
    expect(e?.issues.map((i) => i.key)).not.toContain("genesyscloud:region");
  });
});

describe("credentials written into data actions", () => {
  const url = "https://api.example.com/v1/things";
  it("accepts credentials taken from the integration credential", () => {
    const headers = { Authorization: 'Basic $encoding.base64("${credentials.userName}:${credentials.password}")', "X-API-Key": "${credentials.apiKey}" };
    expect(literalCredentialIssues("a.json", { requestUrlTemplate: `${url}?api_key=\${credentials.apiKey}`, headers })).toEqual([]);
    expect(literalCredentialIssues("a.json", { requestUrlTemplate: url, headers: { Authorization: "Bearer ${authResponse.token}" } })).toEqual([]);
  });

  it("refuses literal Basic (base64), Bearer and API-key headers without repeating them", () => {
    const b64 = Buffer.from(`user:${CANARY}`).toString("base64");
    const issues = literalCredentialIssues("a.json", { requestUrlTemplate: url, headers: { Authorization: `Basic ${b64}`, "x-api-key": CANARY, Accept: "application/json" } });
    expect(issues.map((i) => i.path)).toEqual(["$.config.request.headers.Authorization", '$.config.request.headers["x-api-key"]']);
    expect(JSON.stringify(issues)).not.toContain(CANARY);
    expect(JSON.stringify(issues)).not.toContain(b64);
  });

  it("refuses user:secret@ and ?api_key= in the URL template", () => {
    const issues = literalCredentialIssues("a.json", { requestUrlTemplate: `https://u:${CANARY}@api.example.com/x?page=1&api_key=${CANARY}`, headers: {} });
    expect(issues.map((i) => i.problem)).toEqual([expect.stringContaining("user name or password"), expect.stringContaining("query parameter api_key")]);
    expect(JSON.stringify(issues)).not.toContain(CANARY);
  });
});

describe("Velocity syntax at load time", () => {
  it("finds an #if without #end, with its line and column", () => {
    expect(velocitySyntaxProblem('{\n  "ok": #if($x) true #else false\n}')).toBe("has a #if on line 2 column 9 without its #end");
  });
  it("finds an #end that closes nothing", () => {
    expect(velocitySyntaxProblem("#foreach($a in $b)$a#end #end")).toMatch(/#end on line 1 .* closes no #if\/#foreach block/);
  });
  it("finds a ${ left open", () => {
    expect(velocitySyntaxProblem("/v1/${input.id")).toMatch(/Velocity syntax error on line 1/);
  });
  it("accepts nested blocks, comments and escaped directives", () => {
    expect(velocitySyntaxProblem("#if($a)#foreach($x in $l)#if($x)$x#end#end#elseif($b)b#else c#end ## #if(\n#* #end *# \\#if")).toBeUndefined();
  });
});

describe("JSON files", () => {
  it("accepts a UTF-8 byte order mark", () => {
    expect(readJsonFile(write("bom.json", '\uFEFF{"employees": []}')).value).toEqual({ employees: [] });
  });
  it("names the line and column of a syntax error, whatever Node's message says", () => {
    expect(readJsonFile(write("bad.json", '{\n  "a": 1,\n  "b": }\n')).issue?.path).toBe("line 3 column 8");
    expect(firstSyntaxError('{"a": [1, 2,]}')).toBe(12);
    expect(firstSyntaxError('{"a": "\\u12"}')).toBe(8);
    expect(firstSyntaxError('{"a": [1, {"b": null}]}')).toBeUndefined();
  });
  it("reports a missing file or a folder as an issue, not an exception", () => {
    expect(readJsonFile(path.join(dir, "none.json")).issue?.problem).toBe("does not exist");
    expect(readJsonFile(dir).issue?.problem).toBe("is a folder, not a JSON file");
  });
});

describe("directory reports", () => {
  const opts = { name: "acme", idpProviders: [], employeeProperties: { cost_center_code: "customCostCenter" } };
  const hris = { kind: "bamboohr", companyDomain: "acme", baseUrl: "https://api.bamboohr.com", hoursPerDay: 8, auth: { type: "apiKey" as const } };

  it("refuses an employee id that is an object, which would be sent as [object Object]", () => {
    const file = write("objid.json", JSON.stringify({ fields: [], employees: [{ id: { value: 1 } }] }));
    expect(() => readEmployeeReportFile(file)).toThrow(/employees\[0\] that has an id that is an object, not text or a number/);
  });

  it("warns about dates that are not dates, with the count and examples", () => {
    const report = { fields: [], employees: [employee("1", "", { hireDate: "2024-13-40" }), employee("2", "", { hireDate: "yesterday" }), employee("3", "", { hireDate: "0000-00-00" })] };
    const { warnings, payload } = buildHrisPayload(report, hris, opts);
    expect(warnings).toContain('2 employees have a hireDate that is not a date, e.g. "2024-13-40" (employee 1), "yesterday" (employee 2); it was left out (expected YYYY-MM-DD)');
    expect(payload.employees.every((e) => e.start_date === undefined)).toBe(true);
  });

  it("warns about an object or a list where BambooHR sends text (an email list, a table field, a supervisor object), with the count and examples", () => {
    const report = {
      fields: [],
      employees: [employee("1", "", { workEmail: ["a@x.com", "b@x.com"] }), employee("2", "", { customCostCenter: { code: 7 } }), employee("3", "", { supervisorEId: { id: "1" } }), employee("4", "", { workEmail: null })],
    };
    const { warnings, payload } = buildHrisPayload(report, hris, opts);
    expect(warnings).toEqual(
      expect.arrayContaining([
        '1 employee has a workEmail that is an object or a list, not text, e.g. ["a@x.com","b@x.com"] (employee 1); it was left out (expected text or a number: map a field that holds one value)',
        '1 employee has a customCostCenter that is an object or a list, not text, e.g. {"code":7} (employee 2); it was left out (expected text or a number: map a field that holds one value)',
        '1 employee has a supervisorEId that is an object or a list, not text, e.g. {"id":"1"} (employee 3); it was left out (expected text or a number: map a field that holds one value)',
      ]),
    );
    expect(warnings.filter((w) => w.includes("not text"))).toHaveLength(3);
    expect(payload.employees.map((e) => [e.email, e.custom_properties, e.managers])).toEqual([
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
      [undefined, undefined, undefined],
    ]);
  });

  it("warns about employees who manage themselves and circles of managers", () => {
    const report = { fields: [], employees: [employee("1", "1"), employee("2", "3"), employee("3", "4"), employee("4", "2"), employee("5", "2")] };
    const { warnings } = buildHrisPayload(report, hris, opts);
    expect(warnings).toContain("1 employee is their own manager (1); that manager was left out");
    expect(warnings).toContain("1 circle of managers (3 employees): 2 → 3 → 4 → 2; fix the reporting lines in the HRIS");
  });

  it("names a configured employee property that no employee in the report has", () => {
    const { warnings } = buildHrisPayload({ fields: [], employees: [employee("1")] }, hris, opts);
    expect(warnings).toContain(
      'veza.employeeProperties.cost_center_code: no employee in the report has the field "customCostCenter", so it is sent empty; check the field id (and that the report or credential includes it)',
    );
  });

  it("counts bad dates per field and keeps three examples", () => {
    const dates = new BadDates();
    for (let i = 0; i < 5; i++) dates.add("hire_date", String(i), "x");
    expect(dates.warnings()).toEqual(['5 employees have a hire_date that is not a date, e.g. "x" (employee 0), "x" (employee 1), "x" (employee 2); it was left out (expected YYYY-MM-DD)']);
    expect(managerWarnings([{ id: "a", managers: [{ id: "b" }] }, { id: "b" }], [])).toEqual([]);
  });
});

describe("secrets in the offline plan", () => {
  it("warns when every secret of a stack is in plain text, and never prints them", async () => {
    const stackFile = write(
      "Pulumi.plain.yaml",
      [
        "config:",
        "  wfm-hris:customer: acme-dev",
        "  wfm-hris:genesys: {region: us-east-1, oauthClientId: 3f1c2b4a-0000-4000-8000-000000000001}",
        "  wfm-hris:hris: {kind: bamboohr, companyDomain: acmedev}",
        `  wfm-hris:genesysOauthClientSecret: ${CANARY}`,
        `  wfm-hris:hrisApiKey: ${CANARY}`,
      ].join("\n"),
    );
    const json = path.join(dir, "plan.json");
    const r = await runTool("plan.ts", ["--stack-file", stackFile, "--json", json]);
    expect(r.stderr).toContain("wfm-hris:hrisApiKey is stored in plain text in the stack file");
    expect(r.stderr).toContain("pulumi config set --secret wfm-hris:genesysOauthClientSecret");
    expect(r.stdout + r.stderr + fs.readFileSync(json, "utf8")).not.toContain(CANARY);
    expect(r.status).toBe(0);
  });

  it("reads a saved report without the HRIS credential (it never calls the HRIS)", async () => {
    const report = write("report.json", `\uFEFF${JSON.stringify({ fields: [], employees: [employee("1"), employee("2", "1")] })}`);
    const r = await runTool("vezaSync.ts", ["--stack-file", path.join(process.cwd(), "test/fixtures/Pulumi.veza.yaml"), "--stack", "veza", "--from-report", report, "--dry-run"], {
      WFM_HRIS_HRIS_API_KEY: "",
    });
    expect(r.stdout).toContain("payload");
    expect(r.stdout).toContain("dry run: the payload is valid");
    expect(r.status).toBe(0);
  });
});
