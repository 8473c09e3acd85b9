import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDataActionDefinitions } from "../lib/dataActions/definitions";
import { FileIssue, FileValidationError } from "../lib/jsonFile";
import { loadStackContent, PROJECT_ROOT } from "../lib/stackContent";
import { validConfig } from "./helpers/config";
import { thrownBy } from "./helpers/rejection";

const PLACEHOLDERS = ["apiBase", "companyDomain"];
const shipped = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "hris/bamboohr/actions/get-balance.json"), "utf8"));

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** Writes definition files into a fresh directory; values are JSON objects or raw text. */
function defsDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-defs-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return dir;
}
const variant = (edit: (d: any) => void) => {
  const d = structuredClone(shipped);
  edit(d);
  return d;
};
function issuesOf(dir: string): FileIssue[] {
  return thrownBy(() => loadDataActionDefinitions(dir, PLACEHOLDERS, dir), FileValidationError, "the definitions to be rejected").issues;
}

describe("data action definitions", () => {
  it("ships five BambooHR actions that pass every rule", () => {
    const defs = loadDataActionDefinitions(path.join(PROJECT_ROOT, "hris/bamboohr/actions"), PLACEHOLDERS, PROJECT_ROOT);
    expect(defs.map((d) => d.name)).toEqual(["Bamboo-Change-TimeOff-Request-Status", "Bamboo-Get-Agents", "Bamboo-Get-Balance", "Bamboo-Get-TimeOff-Types", "Bamboo-Put-TimeOff-Request"]);
  });

  it("names actions exactly as flows call them, without an export suffix (blueprint defect 5)", () => {
    const defs = loadDataActionDefinitions(path.join(PROJECT_ROOT, "hris/bamboohr/actions"), PLACEHOLDERS, PROJECT_ROOT);
    for (const d of defs) expect(d.name).toMatch(/^Bamboo-[A-Za-z-]+$/);
  });

  it("templates the company subdomain into every URL instead of hard-coding it (blueprint defect 4)", () => {
    const content = loadStackContent(validConfig({ values: { hris: { kind: "bamboohr", companyDomain: "globex" } } }));
    for (const a of content.actions) {
      expect(a.request.requestUrlTemplate).toMatch(/^https:\/\/api\.bamboohr\.com\/api\/gateway\.php\/globex\/v1\//);
      expect(a.request.requestUrlTemplate).not.toContain("genesystest");
    }
  });

  it("sends Accept: application/json on every action", () => {
    for (const a of loadStackContent(validConfig()).actions) expect(a.request.headers.Accept).toBe("application/json");
  });

  it("locates invalid JSON by file, line and column", () => {
    const [issue] = issuesOf(defsDir({ "broken.json": '{\n  "name": "x",\n  oops\n}' }));
    expect(issue.file).toBe("broken.json");
    expect(issue.path).toBe("line 3 column 3");
    expect(issue.problem).toMatch(/not valid JSON/);
  });

  it("rejects a field Genesys exports do not have, by JSON path", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.config.request.requestTypo = "GET")) }));
    expect(issues).toContainEqual(expect.objectContaining({ file: "a.json", path: "$.config.request.requestTypo" }));
  });

  it("rejects an HTTP method Genesys does not support", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.config.request.requestType = "HEAD")) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.config.request.requestType", problem: expect.stringContaining("GET, PUT, POST, PATCH, DELETE") }));
  });

  it("rejects object and array inputs: input contracts are flat primitives", () => {
    const issues = issuesOf(
      defsDir({ "a.json": variant((d) => (d.contract.input.inputSchema.properties.dates = { type: "array", items: { type: "string" } })) }),
    );
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.contract.input.inputSchema.properties.dates.type" }));
  });

  it("rejects reserved and malformed input names", () => {
    const issues = issuesOf(
      defsDir({
        "a.json": variant((d) => {
          d.contract.input.inputSchema.properties.orgId = { type: "string" };
          d.contract.input.inputSchema.properties["1st"] = { type: "string" };
        }),
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["$.contract.input.inputSchema.properties.orgId", '$.contract.input.inputSchema.properties["1st"]']),
    );
  });

  it("rejects arrays nested in arrays in the output contract", () => {
    const issues = issuesOf(
      defsDir({
        "a.json": variant(
          (d) =>
            (d.contract.output.successSchema.properties.values = {
              type: "array",
              items: { type: "object", properties: { days: { type: "array", items: { type: "string" } } } },
            }),
        ),
      }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "$.contract.output.successSchema.properties.values.items.properties.days", problem: expect.stringMatching(/nested arrays/) }),
    );
  });

  it("rejects $ref, which Genesys contracts do not support", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.contract.output.successSchema.properties.values = { $ref: "#/definitions/x" })) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.contract.output.successSchema.properties.values.$ref" }));
  });

  it("rejects a contract that is not a valid draft-04 JSON Schema", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.contract.output.successSchema.required = "values")) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.contract.output.successSchema", problem: expect.stringMatching(/not a valid JSON Schema/) }));
  });

  // This test used to require an object output contract too; Genesys accepts array output contracts (issue #10).
  it("requires a top-level object input contract", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.contract.input.inputSchema.type = "array")) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.contract.input.inputSchema.type" }));
  });

  it("accepts an output contract whose top level is an array", () => {
    const dir = defsDir({
      "a.json": variant((d) => {
        d.contract.output.successSchema = { type: "array", items: { type: "object", properties: { id: { type: "string" } } } };
      }),
    });
    expect(() => loadDataActionDefinitions(dir, PLACEHOLDERS, dir)).not.toThrow();
  });

  it("counts ${input.rawRequest} as reading every input", () => {
    const dir = defsDir({
      "a.json": variant((d) => {
        d.config.request.requestType = "POST";
        d.config.request.requestTemplate = "${input.rawRequest}";
        d.contract.input.inputSchema.properties.onlyInBody = { type: "string" };
      }),
    });
    expect(() => loadDataActionDefinitions(dir, PLACEHOLDERS, dir)).not.toThrow();
  });

  it.each(["$Input.employeeId", "${Input.employeeId}", "$!{INPUT.employeeId}"])("rejects the wrong-case context %s with the fix", (ref) => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.config.request.requestUrlTemplate += `&x=${ref}`)) }));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "$.config.request.requestUrlTemplate", problem: expect.stringContaining("case-sensitive"), fix: expect.stringContaining("input.employeeId") }),
    );
  });

  it("rejects translation defaults for keys the translation map lacks", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.config.response.translationMapDefaults = { total: "0" })) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.config.response.translationMapDefaults.total" }));
  });

  it("rejects unknown placeholders and lists the known ones", () => {
    const issues = issuesOf(
      defsDir({ "a.json": variant((d) => (d.config.request.requestUrlTemplate = "{{apiBase}}/api/gateway.php/{{company}}/v1/x")) }),
    );
    expect(issues).toContainEqual({
      file: "a.json",
      path: "$.config.request.requestUrlTemplate",
      problem: "uses the unknown placeholder {{company}}",
      fix: "use one of: {{apiBase}}, {{companyDomain}}",
    });
  });

  it("rejects a template that reads an input the contract does not declare", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.config.request.requestUrlTemplate += "&x=$esc.url($input.employeId)")) }));
    expect(issues).toContainEqual(
      expect.objectContaining({ path: "$.config.request.requestUrlTemplate", problem: "reads input.employeId, which the input contract does not declare" }),
    );
  });

  it("rejects a declared input that no template reads", () => {
    const issues = issuesOf(defsDir({ "a.json": variant((d) => (d.contract.input.inputSchema.properties.unused = { type: "string" })) }));
    expect(issues).toContainEqual(expect.objectContaining({ path: "$.contract.input.inputSchema.properties.unused", problem: "is declared but no template reads it" }));
  });

  it("ignores the request template of a GET, which Genesys does not send", () => {
    const dir = defsDir({ "a.json": variant((d) => (d.config.request.requestTemplate = "${input.notDeclared}")) });
    expect(() => loadDataActionDefinitions(dir, PLACEHOLDERS, dir)).not.toThrow();
  });

  it("rejects two actions with the same name", () => {
    const issues = issuesOf(defsDir({ "a.json": shipped, "b.json": shipped }));
    expect(issues).toContainEqual(expect.objectContaining({ file: "b.json", path: "$.name", problem: expect.stringContaining("a.json") }));
  });

  it("reports the problems of every file together", () => {
    const issues = issuesOf(
      defsDir({ "a.json": variant((d) => (d.config.request.requestType = "HEAD")), "b.json": variant((d) => ((d.name = "Other"), (d.config.request.requestType = "TRACE" as never))) }),
    );
    expect(new Set(issues.map((i) => i.file))).toEqual(new Set(["a.json", "b.json"]));
  });

  it("rejects an action name that the configured prefix and the identity suffix push over 256 characters", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-root-"));
    dirs.push(root);
    fs.cpSync(path.join(PROJECT_ROOT, "hris"), path.join(root, "hris"), { recursive: true });
    fs.writeFileSync(path.join(root, "hris/bamboohr/actions/get-balance.json"), JSON.stringify(variant((d) => (d.name = "n".repeat(190)))));
    // 250 characters with the prefix: 259 with the 9-character suffix that changes when Genesys must replace the action.
    const config = validConfig({ values: { genesys: { region: "us-east-1", oauthClientId: "c", actionNamePrefix: "p".repeat(60) } } });
    expect(() => loadStackContent(config, root)).toThrow(/hris\/bamboohr\/actions\/get-balance\.json \$\.name: becomes "p{60}n{190}" with genesys\.actionNamePrefix, 259 characters with its 9-character identity suffix/);
  });

  it("rejects a base URL that renders to plain http for a non-loopback host", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-root-"));
    dirs.push(root);
    fs.cpSync(path.join(PROJECT_ROOT, "hris"), path.join(root, "hris"), { recursive: true });
    fs.writeFileSync(
      path.join(root, "hris/bamboohr/actions/get-balance.json"),
      JSON.stringify(variant((d) => (d.config.request.requestUrlTemplate = "http://hr.example.com/{{companyDomain}}/x/$input.employeeId?end=$input.end"))),
    );
    expect(() => loadStackContent(validConfig(), root)).toThrow(/requestUrlTemplate: renders to http:\/\/hr\.example\.com\/acme\/x\/, which is not https/);
  });
});
