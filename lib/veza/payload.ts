import { z } from "zod";
import { jsonPath } from "../jsonFile";
import { validate as validateShape } from "./hrisPayloadShape.generated";

/**
 * The payload of a Veza OAA custom provider with the `hris` template (reference/hris-template.md, Veza's own page,
 * and reference/veza-oaa.md §3). Everything is validated before a push: the shape (zod), then what a schema cannot
 * say: unique ids, emails and employee numbers, references that resolve, custom properties of the declared type.
 */

export const PROPERTY_TYPES = ["BOOLEAN", "NUMBER", "STRING", "STRING_LIST", "TIMESTAMP"] as const;
export const IDP_PROVIDERS = ["active_directory", "any", "azure_ad", "custom", "google_workspace", "okta", "one_login"] as const;
const PROPERTY_NAME = /^[a-z][a-z_]*$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A timestamp whose date and time exist (Date.parse would roll 2020-02-30 over to March). */
const checkedTimestamps = new Map<string, boolean>();
export function timestampExists(s: string): boolean {
  // Employees share few distinct dates: remember the verdicts.
  let known = checkedTimestamps.get(s);
  if (known === undefined) {
    known = computeTimestampExists(s);
    if (checkedTimestamps.size < 100_000) checkedTimestamps.set(s, known);
  }
  return known;
}
function computeTimestampExists(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && se < 61;
}
export const isRfc3339 = (s: string) => RFC3339.test(s) && timestampExists(s);
/**
 * The payload's zod model, built on first use: a payload that passes the compiled shape check
 * (hrisPayloadShape.generated.ts) needs zod only to word a failure, so a sync of a valid directory never loads it
 * (the compiled tools load zod on first use, tools/deferModules.cjs).
 */
function buildModel() {
  // The pattern is in the schema; whether the date exists (no 2026-02-30) is checked with the references.
  const timestamp = z.string().regex(RFC3339, "must be an RFC 3339 timestamp such as 2022-05-22T00:00:00Z");
  const text = z.string().min(1, "must not be empty");
  const ref = z.strictObject({ id: text });
  const customProperties = z.record(z.string(), z.unknown());

  const HrisEmployee = z.strictObject({
    id: text,
    name: text,
    employee_number: text,
    first_name: text,
    last_name: text,
    is_active: z.boolean(),
    employment_status: text,
    company: z.string().optional(),
    preferred_name: z.string().optional(),
    display_full_name: z.string().optional(),
    canonical_name: z.string().optional(),
    username: z.string().optional(),
    email: z.string().regex(/^[^@\s]+@[^@\s]+$/, "must be an email address").optional(),
    idp_id: z.string().optional(),
    personal_email: z.string().optional(),
    home_location: z.string().optional(),
    work_location: z.string().optional(),
    cost_center: ref.optional(),
    department: ref.optional(),
    managers: z.array(ref).optional(),
    groups: z.array(ref).optional(),
    start_date: timestamp.optional(),
    termination_date: timestamp.optional(),
    job_title: z.string().optional(),
    employment_types: z.array(text).optional(),
    primary_time_zone: z.string().optional(),
    custom_properties: customProperties.optional(),
  });

  const HrisGroup = z.strictObject({
    id: text,
    name: text,
    group_type: text,
    parent: ref.optional(),
    custom_properties: customProperties.optional(),
  });

  const propertyMap = z.record(z.string().regex(PROPERTY_NAME, "property names must be lowercase letters and _, starting with a letter"), z.enum(PROPERTY_TYPES));

  const HrisPayload = z.strictObject({
    name: text,
    hris_type: text,
    custom_property_definition: z.strictObject({
      system_properties: propertyMap.default({}),
      employee_properties: propertyMap.default({}),
      group_properties: propertyMap.default({}),
    }),
    system: z.strictObject({
      id: text,
      name: text,
      url: z.string().optional(),
      idp_providers: z.array(z.enum(IDP_PROVIDERS)).default([]),
      identity_mapping_configuration: z.record(z.string(), z.unknown()).optional(),
      custom_properties: customProperties.optional(),
    }),
    employees: z.array(HrisEmployee),
    groups: z.array(HrisGroup),
  });
  return { HrisEmployee, HrisGroup, HrisPayload };
}
type Model = ReturnType<typeof buildModel>;
let model: Model | undefined;

/** A schema of the model as a stand-in that builds the model on its first use, then is that schema in every way. */
function schemaOnFirstUse<K extends keyof Model>(key: K): Model[K] {
  const real = () => (model ??= buildModel())[key] as object;
  return new Proxy({} as Model[K], {
    get: (_, p) => Reflect.get(real(), p),
    has: (_, p) => Reflect.has(real(), p),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, p) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), p);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

export const HrisEmployee = schemaOnFirstUse("HrisEmployee");
export const HrisGroup = schemaOnFirstUse("HrisGroup");
export const HrisPayload = schemaOnFirstUse("HrisPayload");

export type HrisPayload = z.output<typeof HrisPayload>;
export type HrisEmployee = z.output<typeof HrisEmployee>;
export type HrisGroup = z.output<typeof HrisGroup>;

export interface PayloadIssue {
  path: string;
  problem: string;
}

export class PayloadValidationError extends Error {
  constructor(readonly issues: PayloadIssue[], readonly total: number) {
    const shown = issues.map((i) => `  - ${i.path}: ${i.problem}`).join("\n");
    super(`The Veza HRIS payload is invalid: ${total} problem${total === 1 ? "" : "s"}; nothing was sent\n${shown}${total > issues.length ? `\n  … and ${total - issues.length} more` : ""}`);
    this.name = "PayloadValidationError";
  }
}

export const MAX_REPORTED = 100;
/** Employee fields that each refer to one group. */
const SINGLE_GROUP_REFERENCES = ["department", "cost_center"] as const;

export function checkProperty(type: (typeof PROPERTY_TYPES)[number], value: unknown): string | undefined {
  switch (type) {
    case "BOOLEAN":
      return typeof value === "boolean" ? undefined : "must be a boolean";
    case "NUMBER":
      return typeof value === "number" && Number.isFinite(value) ? undefined : "must be a number";
    case "STRING":
      return typeof value === "string" ? undefined : "must be a string";
    case "STRING_LIST":
      return Array.isArray(value) && value.every((v) => typeof v === "string") ? undefined : "must be a list of strings";
    case "TIMESTAMP":
      return typeof value === "string" && isRfc3339(value) ? undefined : "must be an RFC 3339 timestamp";
  }
}

/**
 * Validates a payload completely; returns it typed, or throws a PayloadValidationError listing the problems
 * (each with its JSON path).
 */
export function validateHrisPayload(input: unknown): HrisPayload {
  const issues: PayloadIssue[] = [];
  let total = 0;
  // A problem may be worded lazily: only the first MAX_REPORTED are.
  const add = (path: (string | number)[], problem: string | (() => string)) => {
    total++;
    if (issues.length < MAX_REPORTED) issues.push({ path: jsonPath(path), problem: typeof problem === "string" ? problem : problem() });
  };
  let p: HrisPayload;
  // The compiled shape check (npm run gen:validator) is several times faster than zod on 100,000 employees and
  // does not copy them; zod runs only to word the problems.
  if (validateShape(input)) p = input as HrisPayload;
  else {
    const parsed = HrisPayload.safeParse(input);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        if (i.code === "unrecognized_keys") for (const k of i.keys) add([...(i.path as (string | number)[]), k], "is not a field of the HRIS template");
        else add(i.path as (string | number)[], i.message);
      }
      throw new PayloadValidationError(issues, total);
    }
    p = parsed.data;
  }
  const defs = p.custom_property_definition;

  const groupIds = new Map<string, number>();
  p.groups.forEach((g, i) => {
    const key = g.id.toLowerCase();
    if (groupIds.has(key)) add(["groups", i, "id"], `duplicates the id of groups[${groupIds.get(key)}] ("${g.id}"); group ids are unique across all group types, ignoring case`);
    else groupIds.set(key, i);
  });
  // Sets, not maps to indexes: on 100,000 employees they are markedly lighter; the first holder of a duplicated value
  // is looked up only to report it.
  const employeeIds = new Set<string>();
  const numbers = new Set<string>();
  const emails = new Set<string>();
  const firstWith = (value: string, of: (e: HrisEmployee) => string | undefined) => p.employees.findIndex((e) => of(e) === value);
  p.employees.forEach((e, i) => {
    const id = e.id.toLowerCase();
    if (!employeeIds.has(id)) employeeIds.add(id);
    else add(["employees", i, "id"], () => `duplicates the id of employees[${firstWith(id, (o) => o.id.toLowerCase())}] ("${e.id}"); ids are unique, ignoring case`);
    if (!numbers.has(e.employee_number)) numbers.add(e.employee_number);
    else add(["employees", i, "employee_number"], () => `duplicates the employee_number of employees[${firstWith(e.employee_number, (o) => o.employee_number)}]`);
    if (e.email) {
      const email = e.email.toLowerCase();
      if (!emails.has(email)) emails.add(email);
      else add(["employees", i, "email"], () => `duplicates the email of employees[${firstWith(email, (o) => o.email?.toLowerCase())}]`);
    }
  });

  // Paths are built only for problems: on 100,000 valid employees, allocating them would dominate.
  const missingGroup = (id: string) => (groupIds.has(id.toLowerCase()) ? undefined : `refers to group "${id}", which the payload does not define`);
  const properties = (path: () => (string | number)[], values: Record<string, unknown>, def: Record<string, (typeof PROPERTY_TYPES)[number]>, section: string) => {
    for (const k in values) {
      // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
      const type = Object.hasOwn(def, k) ? def[k] : undefined;
      if (!type) add([...path(), k], `is not declared in custom_property_definition.${section}`);
      else {
        const problem = checkProperty(type, values[k]);
        if (problem) add([...path(), k], `${problem} (declared ${type})`);
      }
    }
  };

  p.employees.forEach((e, i) => {
    if (e.managers) {
      const self = e.id.toLowerCase();
      e.managers.forEach((m, j) => {
        const manager = m.id.toLowerCase();
        if (!employeeIds.has(manager)) add(["employees", i, "managers", j, "id"], `refers to manager "${m.id}", who is not among the employees`);
        else if (manager === self) add(["employees", i, "managers", j, "id"], "makes the employee their own manager");
      });
    }
    if (e.groups)
      for (let j = 0; j < e.groups.length; j++) {
        const problem = missingGroup(e.groups[j].id);
        if (problem) add(["employees", i, "groups", j, "id"], problem);
      }
    for (const k of SINGLE_GROUP_REFERENCES) {
      const problem = e[k] && missingGroup(e[k]!.id);
      if (problem) add(["employees", i, k, "id"], problem);
    }
    if (e.start_date && !timestampExists(e.start_date)) add(["employees", i, "start_date"], "is not a date that exists");
    if (e.termination_date && !timestampExists(e.termination_date)) add(["employees", i, "termination_date"], "is not a date that exists");
    if (e.start_date && e.termination_date && Date.parse(e.termination_date) < Date.parse(e.start_date)) add(["employees", i, "termination_date"], "is before start_date");
    if (e.custom_properties) properties(() => ["employees", i, "custom_properties"], e.custom_properties, defs.employee_properties, "employee_properties");
  });
  p.groups.forEach((g, i) => {
    if (g.parent) {
      const problem = missingGroup(g.parent.id);
      if (problem) add(["groups", i, "parent", "id"], problem);
      // Follow the parents: a cycle would make the hierarchy endless.
      const seen = new Set([g.id.toLowerCase()]);
      let at = g.parent.id.toLowerCase();
      while (groupIds.has(at)) {
        if (seen.has(at)) {
          add(["groups", i, "parent", "id"], `makes a cycle in the group hierarchy through "${p.groups[groupIds.get(at)!].id}"`);
          break;
        }
        seen.add(at);
        const parent = p.groups[groupIds.get(at)!].parent;
        if (!parent) break;
        at = parent.id.toLowerCase();
      }
    }
    if (g.custom_properties) properties(() => ["groups", i, "custom_properties"], g.custom_properties, defs.group_properties, "group_properties");
  });
  if (p.system.custom_properties) properties(() => ["system", "custom_properties"], p.system.custom_properties, defs.system_properties, "system_properties");

  if (total) throw new PayloadValidationError(issues, total);
  return p;
}
