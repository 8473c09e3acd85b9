import type { HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, hrisPayload } from "../../lib/veza/directory";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import type { EmployeeReport, PersonioAttribute } from "./client";
import { BadDates, managerWarnings } from "../directoryChecks";

/** Personio employee attributes the Veza payload is built from (keys of GET /v1/company/employees, S1 L191-455). */
export const BASE_ATTRIBUTES = [
  "first_name",
  "last_name",
  "preferred_name",
  "email",
  "status",
  "position",
  "supervisor",
  "department",
  "team",
  "office",
  "subcompany",
  "hire_date",
  "termination_date",
] as const;

/**
 * Personio's employee status (S1 L572-578: onboarding, active, leave, inactive) in the Veza HRIS template, whose
 * documented employment_status values are ACTIVE, PENDING and INACTIVE (reference/hris-template.md). An employee on
 * leave is still employed, so active; map the `status` attribute with veza.employeeProperties to keep "leave".
 */
const STATUS: Record<string, { is_active: boolean; employment_status: string }> = {
  active: { is_active: true, employment_status: "ACTIVE" },
  leave: { is_active: true, employment_status: "ACTIVE" },
  onboarding: { is_active: false, employment_status: "PENDING" },
  inactive: { is_active: false, employment_status: "INACTIVE" },
};

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : typeof v === "number" || typeof v === "boolean" ? String(v) : "");
const value = (a: PersonioAttribute | undefined): unknown => a?.value;

/** `{type, attributes: {id, name}}` (department, office, team, subcompany: S1 L355-376), or undefined. */
function named(a: PersonioAttribute | undefined): { id: string; name: string } | undefined {
  const v = value(a) as { attributes?: { id?: unknown; name?: unknown } } | null | undefined;
  const id = str(v?.attributes?.id);
  const name = str(v?.attributes?.name);
  return id && name ? { id, name } : undefined;
}

/** A supervisor's id: `{type: "Employee", attributes: {id: {value}}}` (S1 L297-307). */
function supervisorId(a: PersonioAttribute | undefined): string {
  const v = value(a) as { attributes?: { id?: PersonioAttribute } } | null | undefined;
  return str(v?.attributes?.id?.value);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/**
 * A Personio date (`2014-11-09T00:00:00+01:00`, S1 L315-329; custom date fields as `2021-01-01`) as RFC 3339
 * midnight UTC of the same calendar day. The value is a day at midnight in the company's zone: converting the
 * instant to UTC would move it to the day before.
 */
export function personioDate(v: unknown): string | undefined {
  const m = DAY.exec(str(v));
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const valid = year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  return valid ? `${m[1]}-${m[2]}-${m[3]}T00:00:00Z` : undefined;
}

/** An attribute value as a custom property string: plain values as text, objects by name, lists joined. */
function propertyText(v: unknown): string {
  if (Array.isArray(v)) return v.map(propertyText).filter(Boolean).join(", ");
  if (v && typeof v === "object") {
    const attrs = (v as { attributes?: Record<string, unknown> }).attributes;
    if (attrs && "name" in attrs) return str(attrs.name);
    if (attrs && "first_name" in attrs) return `${str((attrs.first_name as PersonioAttribute)?.value)} ${str((attrs.last_name as PersonioAttribute)?.value)}`.trim();
    return "";
  }
  return str(v);
}

/**
 * Maps Personio employees to the Veza HRIS template: departments become DEPARTMENT groups (the employee's
 * `department`), teams TEAM groups and offices "Location: " groups (in `groups`; the office is also the
 * `work_location`); the supervisor becomes the manager; the subcompany is the `company`. Group ids are Personio's ids,
 * so a renamed department stays the same group. Identity mapping: `idp_id` from veza.idpIdField (an attribute key,
 * e.g. dynamic_24407) when set, else Veza matches the work email. Deterministic: groups sorted by id, employees in
 * Personio's order.
 */
export function buildHrisPayload(report: EmployeeReport, hris: HrisSettings, opts: DirectoryBuildOptions): BuildResult {
  const hostname = String(hris.hostname);
  const warnings: string[] = [];
  const groups = new Map<string, HrisGroup>();
  const group = (kind: string, ref: { id: string; name: string }, type: string, label = "") => {
    const id = `${kind}:${ref.id}`;
    if (!groups.has(id)) groups.set(id, { id, name: `${label}${ref.name}`, group_type: type });
    return { id };
  };
  const extraFields = Object.entries(opts.employeeProperties);
  const seenExtra = new Set<string>();
  const ids = new Set(report.map((e) => str(e.attributes.id.value)));
  let droppedManagers = 0;
  const badDates = new BadDates();
  const selfManaged: string[] = [];
  const dateOf = (field: string, id: string, a: PersonioAttribute | undefined) => {
    const converted = personioDate(value(a));
    if (converted === undefined && str(value(a))) badDates.add(field, id, value(a));
    return converted;
  };
  const unknownStatuses = new Set<string>();
  const employees: HrisEmployee[] = report.map(({ attributes: a }) => {
    const id = str(a.id.value);
    const first = str(value(a.first_name));
    const last = str(value(a.last_name));
    const status = str(value(a.status)).toLowerCase();
    let mapped = STATUS[status];
    if (!mapped) {
      unknownStatuses.add(status || "(none)");
      mapped = STATUS.inactive;
    }
    const employee: HrisEmployee = {
      id,
      name: `${first} ${last}`.trim() || id,
      // Personio has no standard employee number; its id is the number people see in Personio's URLs.
      employee_number: id,
      first_name: first,
      last_name: last,
      ...mapped,
    };
    // "Name (preferred)" is a full name in Personio (S1 L218-222), so it is the display name, not a first name.
    const preferred = str(value(a.preferred_name));
    if (preferred) employee.display_full_name = preferred;
    const company = named(a.subcompany);
    if (company) employee.company = company.name;
    const email = str(value(a.email));
    if (email) employee.email = email;
    if (opts.idpIdField) {
      const idpId = propertyText(value(a[opts.idpIdField]));
      if (idpId) employee.idp_id = idpId;
    }
    const position = str(value(a.position));
    if (position) employee.job_title = position;
    const start = dateOf("hire_date", id, a.hire_date);
    if (start) employee.start_date = start;
    // A termination date may lie ahead of an active employee; it is the employee's termination date either way.
    const end = dateOf("termination_date", id, a.termination_date);
    if (end) employee.termination_date = end;
    const department = named(a.department);
    if (department) employee.department = group("department", department, "DEPARTMENT");
    const memberships: { id: string }[] = [];
    const team = named(a.team);
    if (team) memberships.push(group("team", team, "TEAM"));
    const office = named(a.office);
    if (office) {
      employee.work_location = office.name;
      memberships.push(group("office", office, "GROUP", "Location: "));
    }
    if (memberships.length) employee.groups = memberships;
    const supervisor = supervisorId(a.supervisor);
    if (supervisor === id) selfManaged.push(id);
    else if (supervisor) {
      if (ids.has(supervisor)) employee.managers = [{ id: supervisor }];
      else droppedManagers++;
    }
    if (extraFields.length) {
      const props: Record<string, unknown> = {};
      for (const [prop, field] of extraFields) {
        if (field in a) seenExtra.add(field);
        const text = propertyText(value(a[field]));
        if (text) props[prop] = text;
      }
      if (Object.keys(props).length) employee.custom_properties = props;
    }
    return employee;
  });
  if (droppedManagers) warnings.push(`${droppedManagers} employees have a supervisor who is not in the report; their manager was left out`);
  warnings.push(...badDates.warnings(), ...managerWarnings(employees, selfManaged));
  if (unknownStatuses.size) warnings.push(`employees with a status Personio does not document (${[...unknownStatuses].sort().join(", ")}) are marked inactive`);
  if (report.length)
    for (const [prop, field] of extraFields)
      if (!seenExtra.has(field)) warnings.push(`veza.employeeProperties.${prop}: no employee has the Personio attribute "${field}" (check the attribute key, e.g. dynamic_123, and that the API credential may read it)`);
  return {
    payload: hrisPayload(opts, { type: "Personio", systemId: `personio:${hostname}`, url: `https://${hostname}.personio.de` }, employees, groups.values()),
    warnings,
  };
}
