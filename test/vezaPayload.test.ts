import { describe, expect, it } from "vitest";
import type { HrisSettings } from "../hris";
import { BASE_FIELDS, buildHrisPayload } from "../hris/bamboohr/directory";
import { HrisEmployee as HrisEmployeeModel, HrisPayload, PayloadValidationError, validateHrisPayload } from "../lib/veza/payload";
import { validate as validateShape, validateEmployees } from "../lib/veza/hrisPayloadShape.generated";
import { compressPayload } from "../lib/veza/prepare";
import { schemaCheckSource } from "../lib/veza/schemaCheck";
import { gunzipSync } from "node:zlib";
import { thrownBy } from "./helpers/rejection";

const valid = (): HrisPayload => ({
  name: "Acme BambooHR",
  hris_type: "BambooHR",
  custom_property_definition: { system_properties: {}, employee_properties: { cost_center_code: "STRING", level: "NUMBER" }, group_properties: {} },
  system: { id: "bamboohr:acme", name: "Acme", url: "https://acme.bamboohr.com", idp_providers: ["okta"] },
  employees: [
    { id: "100", name: "Ada Lovelace", employee_number: "E100", first_name: "Ada", last_name: "Lovelace", is_active: true, employment_status: "ACTIVE", email: "ada@acme.example", department: { id: "department:rd" }, start_date: "2020-01-06T00:00:00Z", custom_properties: { level: 3 } },
    { id: "101", name: "Alan Turing", employee_number: "E101", first_name: "Alan", last_name: "Turing", is_active: true, employment_status: "ACTIVE", email: "alan@acme.example", managers: [{ id: "100" }], groups: [{ id: "division:emea" }] },
  ],
  groups: [
    { id: "department:rd", name: "R&D", group_type: "DEPARTMENT", parent: { id: "division:emea" } },
    { id: "division:emea", name: "EMEA", group_type: "BUSINESS_UNIT" },
  ],
});
const problems = (edit: (p: HrisPayload) => void) => {
  const p = valid();
  edit(p);
  return thrownBy(() => validateHrisPayload(p), PayloadValidationError, "the payload to be rejected").issues;
};

describe("HRIS payload validation", () => {
  it("accepts a complete payload", () => {
    expect(validateHrisPayload(valid()).employees).toHaveLength(2);
  });

  it("requires the template's required fields, by path", () => {
    expect(problems((p) => ((p.employees[1] as Partial<HrisPayload["employees"][0]>).employee_number = undefined))).toContainEqual({ path: "$.employees[1].employee_number", problem: expect.any(String) });
    expect(problems((p) => ((p.groups[0] as Partial<HrisPayload["groups"][0]>).group_type = undefined))).toContainEqual(expect.objectContaining({ path: "$.groups[0].group_type" }));
  });

  it("rejects fields the template does not have", () => {
    expect(problems((p) => ((p.employees[0] as Record<string, unknown>).shoe_size = "9"))).toContainEqual({ path: "$.employees[0].shoe_size", problem: "is not a field of the HRIS template" });
  });

  it("rejects duplicate employee ids ignoring case, and duplicate numbers and emails", () => {
    const issues = problems((p) => p.employees.push({ ...p.employees[0] }));
    expect(issues.map((i) => i.path)).toEqual(["$.employees[2].id", "$.employees[2].employee_number", "$.employees[2].email"]);
    const caseOnly = problems((p) => {
      p.employees[0].id = "emp-a";
      p.employees[1].id = "EMP-A";
    });
    expect(caseOnly[0]).toEqual({ path: "$.employees[1].id", problem: 'duplicates the id of employees[0] ("EMP-A"); ids are unique, ignoring case' });
  });

  it("requires every manager, group, department, cost center and parent reference to resolve", () => {
    const issues = problems((p) => {
      p.employees[1].managers = [{ id: "999" }];
      p.employees[1].groups = [{ id: "team:x" }];
      p.employees[0].department = { id: "department:none" };
      p.employees[0].cost_center = { id: "cc:1" };
      p.groups[0].parent = { id: "division:apac" };
    });
    expect(issues.map((i) => [i.path, i.problem])).toEqual([
      ["$.employees[0].department.id", 'refers to group "department:none", which the payload does not define'],
      ["$.employees[0].cost_center.id", 'refers to group "cc:1", which the payload does not define'],
      ["$.employees[1].managers[0].id", 'refers to manager "999", who is not among the employees'],
      ["$.employees[1].groups[0].id", 'refers to group "team:x", which the payload does not define'],
      ["$.groups[0].parent.id", 'refers to group "division:apac", which the payload does not define'],
    ]);
  });

  it("rejects a cycle in the group hierarchy", () => {
    expect(problems((p) => (p.groups[1].parent = { id: "department:rd" })).map((i) => i.problem)).toContain('makes a cycle in the group hierarchy through "department:rd"');
  });

  it("requires RFC 3339 timestamps that exist", () => {
    expect(problems((p) => (p.employees[0].start_date = "2020-01-06"))).toContainEqual({ path: "$.employees[0].start_date", problem: "must be an RFC 3339 timestamp such as 2022-05-22T00:00:00Z" });
    expect(problems((p) => (p.employees[0].start_date = "2020-02-30T00:00:00Z"))).toContainEqual({ path: "$.employees[0].start_date", problem: "is not a date that exists" });
  });

  it("allows only Veza's IdP types and property types", () => {
    expect(problems((p) => (p.system.idp_providers = ["okta", "ldap" as "okta"]))).toContainEqual(expect.objectContaining({ path: "$.system.idp_providers[1]" }));
    expect(problems((p) => (p.custom_property_definition.employee_properties.level = "INTEGER" as "NUMBER"))).toContainEqual(expect.objectContaining({ path: "$.custom_property_definition.employee_properties.level" }));
  });

  it("requires property names of lowercase letters and _", () => {
    expect(problems((p) => (p.custom_property_definition.employee_properties["Cost-Center"] = "STRING"))).toContainEqual(expect.objectContaining({ path: '$.custom_property_definition.employee_properties["Cost-Center"]' }));
  });

  it("requires custom properties of employees, groups and the system to be declared and of their declared type", () => {
    const issues = problems((p) => {
      p.employees[0].custom_properties = { level: "three", nickname: "Ada" };
      p.custom_property_definition.group_properties = { budget: "NUMBER" };
      p.groups[1].custom_properties = { budget: "1M" };
      p.system.custom_properties = { region: "emea" };
    });
    expect(issues).toEqual([
      { path: "$.employees[0].custom_properties.level", problem: "must be a number (declared NUMBER)" },
      { path: "$.employees[0].custom_properties.nickname", problem: "is not declared in custom_property_definition.employee_properties" },
      { path: "$.groups[1].custom_properties.budget", problem: "must be a number (declared NUMBER)" },
      { path: "$.system.custom_properties.region", problem: "is not declared in custom_property_definition.system_properties" },
    ]);
  });

  it("does not take inherited names such as __proto__ or constructor for declared properties", () => {
    const issues = problems((p) => (p.employees[0].custom_properties = JSON.parse('{"__proto__": "x", "constructor": "y"}')));
    expect(issues.map((i) => i.path)).toEqual(["$.employees[0].custom_properties.__proto__", "$.employees[0].custom_properties.constructor"]);
  });

  it("rejects an employee who is their own manager, and a termination before the start", () => {
    const issues = problems((p) => {
      p.employees[0].managers = [{ id: "100" }];
      p.employees[0].termination_date = "2019-12-31T00:00:00Z";
    });
    expect(issues).toEqual([
      { path: "$.employees[0].managers[0].id", problem: "makes the employee their own manager" },
      { path: "$.employees[0].termination_date", problem: "is before start_date" },
    ]);
  });

  it("checks shapes with compiled code that is current with the zod model (npm run gen:validator regenerates it)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const { SHAPE_VALIDATOR_FILE, shapeValidatorSource } = await import("../lib/veza/shapeValidatorSource");
    expect(fs.readFileSync(path.resolve(__dirname, "..", SHAPE_VALIDATOR_FILE), "utf8")).toBe(shapeValidatorSource());
  });

  it("checks a sync's employees with schemaCheck's code, which gives ajv's verdict on every kind of value in every field", () => {
    // ajv's compiled check of the whole payload is the reference; the sync checks each batch of employees with the
    // code schemaCheck writes from the same model (lib/veza/schemaCheck.ts).
    const employeesValid = validateEmployees;
    const { employees, groups: _groups, ...head } = valid();
    const ajvValid = (e: unknown) => validateShape({ ...structuredClone(head), employees: [e], groups: [] });
    const values: unknown[] = [undefined, null, "", "x", "ada@acme.example", "not an email", "a@b c", "2020-01-06T00:00:00Z", "2020-01-06", 0, 1.5, true, false, {}, [], { id: "" }, { id: "g" }, { id: "g", name: "x" }, { id: 1 }, [{ id: "g" }], [{ id: "" }], [{}], ["a"], [""], [1], { level: 3 }];
    const fields = [...Object.keys(HrisEmployeeModel.shape), "shoe_size", "__proto__", "constructor"];
    const verdicts = { same: 0, valid: 0, invalid: 0 };
    for (const field of fields)
      for (const value of values) {
        const e: Record<string, unknown> = { ...employees[0] };
        Object.defineProperty(e, field, { value, enumerable: true, writable: true, configurable: true });
        expect(employeesValid([e]), `${field}: ${JSON.stringify(value)}`).toBe(ajvValid(e));
        verdicts.same++;
        verdicts[ajvValid(e) ? "valid" : "invalid"]++;
      }
    for (const e of [null, [], "x", 1, { ...employees[0], id: undefined }]) expect(employeesValid([e])).toBe(ajvValid(e));
    expect(employeesValid("not a list")).toBe(false);
    expect(employeesValid(employees)).toBe(true);
    // Both answers occur, in numbers: the comparison is not of a check that always agrees by saying yes.
    expect(verdicts.valid).toBeGreaterThan(50);
    expect(verdicts.invalid).toBeGreaterThan(500);
  });

  it("refuses to build a check from a schema keyword it does not implement, rather than skip it", () => {
    expect(() => schemaCheckSource("f", { type: "object", properties: { n: { type: "number" } } })).toThrow(/#\/properties\/n has type "number", which it does not implement/);
    expect(() => schemaCheckSource("f", { type: "array", items: { type: "string", maxLength: 9 } })).toThrow(/#\/items uses "maxLength"/);
    expect(() => schemaCheckSource("f", { type: "string", format: "email" })).toThrow(/# uses "format", which it does not implement/);
  });

  it("reports at most 100 problems, counting the rest", () => {
    const p = valid();
    for (let i = 0; i < 150; i++) p.employees.push({ ...p.employees[1], id: `x${i}`, employee_number: `N${i}`, email: undefined, managers: [{ id: "nobody" }] });
    try {
      validateHrisPayload(p);
    } catch (e) {
      expect((e as PayloadValidationError).issues).toHaveLength(100);
      expect((e as Error).message).toMatch(/150 problems; nothing was sent[\s\S]*… and 50 more$/);
    }
  });
});

describe("BambooHR report to the Veza HRIS payload", () => {
  const acmeHris: HrisSettings = { kind: "bamboohr", companyDomain: "acme", baseUrl: "https://api.bamboohr.com", hoursPerDay: 8, auth: { type: "apiKey" } };
  const report = {
    fields: BASE_FIELDS.map((id) => ({ id })),
    employees: [
      { id: "100", employeeNumber: "1", firstName: "Ada", lastName: "Lovelace", displayName: "Ada Lovelace", workEmail: "ada@acme.example", jobTitle: "Lead", department: "R&D", division: "EMEA", location: "Dublin", supervisorEId: null, status: "Active", hireDate: "2020-01-06", terminationDate: "0000-00-00", customOkta: "ada.l", customCostCenter: "CC-1" },
      { id: "101", employeeNumber: "2", firstName: "Alan", lastName: "Turing", displayName: "Alan Turing", workEmail: "", jobTitle: "Agent", department: "R&D", division: "EMEA", location: "London", supervisorEId: "100", status: "Inactive", hireDate: "2021-03-01", terminationDate: "2026-06-30", customOkta: "", customCostCenter: "" },
      { id: "102", employeeNumber: "3", firstName: "Grace", lastName: "Hopper", displayName: "Grace Hopper", workEmail: "grace@acme.example", department: "Support", division: "", location: "", supervisorEId: "999", status: "Active", hireDate: "0000-00-00" },
    ],
  };
  const built = buildHrisPayload(report, acmeHris, { name: "Acme BambooHR", idpProviders: ["okta"], employeeProperties: { cost_center_code: "customCostCenter" }, idpIdField: "customOkta" });
  /** The employees as Veza receives them: the payload's JSON text (an employee's missing fields are left out of it). */
  const sent = (JSON.parse(JSON.stringify(built.payload)) as HrisPayload).employees;

  it("makes departments, divisions and locations groups; the department also the employee's department", () => {
    expect(built.payload.groups.map((g) => [g.id, g.name, g.group_type])).toEqual([
      ["department:r&d", "R&D", "DEPARTMENT"],
      ["department:support", "Support", "DEPARTMENT"],
      ["division:emea", "EMEA", "BUSINESS_UNIT"],
      ["location:dublin", "Location: Dublin", "GROUP"],
      ["location:london", "Location: London", "GROUP"],
    ]);
    expect(built.payload.employees[0]).toMatchObject({ department: { id: "department:r&d" }, groups: [{ id: "division:emea" }, { id: "location:dublin" }] });
  });

  it("turns supervisors into managers and leaves out ones not in the report, with a warning", () => {
    expect(built.payload.employees[1].managers).toEqual([{ id: "100" }]);
    expect(built.payload.employees[2].managers).toBeUndefined();
    expect(built.warnings).toEqual(["1 employees have a supervisor who is not in the report; their manager was left out"]);
  });

  it("sets identity mapping fields: idp_id from the configured field, email from the work email", () => {
    expect(built.payload.employees[0]).toMatchObject({ idp_id: "ada.l", email: "ada@acme.example" });
    expect(sent[1]).not.toHaveProperty("idp_id");
    expect(sent[1]).not.toHaveProperty("email");
  });

  it("maps status and dates: inactive with a termination date, dates as RFC 3339, 0000-00-00 as none", () => {
    expect(built.payload.employees[1]).toMatchObject({ is_active: false, employment_status: "INACTIVE", start_date: "2021-03-01T00:00:00Z", termination_date: "2026-06-30T00:00:00Z" });
    expect(sent[2]).not.toHaveProperty("start_date");
  });

  it("adds custom properties from config, declared as strings", () => {
    expect(built.payload.custom_property_definition.employee_properties).toEqual({ cost_center_code: "STRING" });
    expect(built.payload.employees[0].custom_properties).toEqual({ cost_center_code: "CC-1" });
    expect(sent[1]).not.toHaveProperty("custom_properties");
  });

  it("builds a payload that validates", () => {
    expect(() => validateHrisPayload(built.payload)).not.toThrow();
  });

  it("is deterministic, and compresses to exactly its JSON", async () => {
    const again = buildHrisPayload(report, acmeHris, { name: "Acme BambooHR", idpProviders: ["okta"], employeeProperties: { cost_center_code: "customCostCenter" }, idpIdField: "customOkta" });
    const [a, b] = await Promise.all([compressPayload(built.payload), compressPayload(again.payload)]);
    expect(a.hash).toBe(b.hash);
    expect(gunzipSync(a.gzipped).toString()).toBe(JSON.stringify(built.payload));
  });
});
