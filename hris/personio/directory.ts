import type { HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, EmployeeMapper, hrisPayload } from "../../lib/veza/directory";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import type { EmployeeReport, PersonioAttribute, PersonioEmployee } from "./client";
import { BadDates, circleWarnings, managerCircles, selfManagerWarnings } from "../directoryChecks";

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
 * Maps Personio employees to the Veza HRIS template, one employee at a time (so a report can be read as a stream):
 * departments become DEPARTMENT groups (the employee's `department`), teams TEAM groups and offices "Location: "
 * groups (in `groups`; the office is also the `work_location`); the supervisor becomes the manager; the subcompany
 * is the `company`. Group ids are Personio's ids, so a renamed department stays the same group. Identity mapping:
 * `idp_id` from veza.idpIdField (an attribute key, e.g. dynamic_24407) when set, else Veza matches the work email.
 * Deterministic: groups sorted by id, employees in Personio's order.
 *
 * A supervisor who is not in the report is left out: with `knownIds` (every id of the report) that is decided here;
 * without (a first pass over a stream, before every id is known) each supervisor is kept and the caller drops the
 * ones never seen.
 */
export class PersonioEmployees implements EmployeeMapper {
  readonly system: { type: string; systemId: string; url: string };
  droppedManagers = 0;
  private readonly groupsById = new Map<string, HrisGroup>();
  private readonly extraFields: [string, string][];
  private readonly seenExtra = new Set<string>();
  private readonly badDates = new BadDates();
  private readonly selfManaged: string[] = [];
  private readonly unknownStatuses = new Set<string>();
  private count = 0;

  constructor(
    hris: HrisSettings,
    private readonly opts: DirectoryBuildOptions,
    private readonly knownIds?: ReadonlySet<string>,
  ) {
    const hostname = String(hris.hostname);
    this.system = { type: "Personio", systemId: `personio:${hostname}`, url: `https://${hostname}.personio.de` };
    this.extraFields = Object.entries(opts.employeeProperties);
  }

  private group(kind: string, ref: { id: string; name: string }, type: string, label = ""): { id: string } {
    const id = `${kind}:${ref.id}`;
    if (!this.groupsById.has(id)) this.groupsById.set(id, { id, name: `${label}${ref.name}`, group_type: type });
    return { id };
  }

  private dateOf(field: string, id: string, a: PersonioAttribute | undefined): string | undefined {
    const converted = personioDate(value(a));
    if (converted === undefined && str(value(a))) this.badDates.add(field, id, value(a));
    return converted;
  }

  map(record: unknown): HrisEmployee {
    const a = (record as PersonioEmployee).attributes;
    this.count++;
    const id = str(a.id.value);
    const first = str(value(a.first_name));
    const last = str(value(a.last_name));
    const status = str(value(a.status)).toLowerCase();
    let mapped = STATUS[status];
    if (!mapped) {
      this.unknownStatuses.add(status || "(none)");
      mapped = STATUS.inactive;
    }
    // "Name (preferred)" is a full name in Personio (S1 L218-222), so it is the display name, not a first name.
    const preferred = str(value(a.preferred_name));
    const company = named(a.subcompany);
    const email = str(value(a.email));
    const idpId = this.opts.idpIdField ? propertyText(value(a[this.opts.idpIdField])) : "";
    const position = str(value(a.position));
    const start = this.dateOf("hire_date", id, a.hire_date);
    // A termination date may lie ahead of an active employee; it is the employee's termination date either way.
    const end = this.dateOf("termination_date", id, a.termination_date);
    const department = named(a.department);
    const departmentRef = department ? this.group("department", department, "DEPARTMENT") : undefined;
    let memberships: { id: string }[] | undefined;
    const team = named(a.team);
    if (team) memberships = [this.group("team", team, "TEAM")];
    const office = named(a.office);
    if (office) (memberships ??= []).push(this.group("office", office, "GROUP", "Location: "));
    const supervisor = supervisorId(a.supervisor);
    let managers: { id: string }[] | undefined;
    if (supervisor === id) this.selfManaged.push(id);
    else if (supervisor) {
      if (!this.knownIds || this.knownIds.has(supervisor)) managers = [{ id: supervisor }];
      else this.droppedManagers++;
    }
    let props: Record<string, unknown> | undefined;
    for (const [prop, field] of this.extraFields) {
      if (field in a) this.seenExtra.add(field);
      const text = propertyText(value(a[field]));
      if (text) (props ??= {})[prop] = text;
    }
    // Every employee has every key, in the order of the text (JSON.stringify leaves out those set to undefined): one
    // shape for all the objects a sync makes. The order is the text's since the first Personio payload, so its hash
    // (and whether a deployment pushes) does not change.
    return {
      id,
      name: `${first} ${last}`.trim() || id,
      // Personio has no standard employee number; its id is the number people see in Personio's URLs.
      employee_number: id,
      first_name: first,
      last_name: last,
      is_active: mapped.is_active,
      employment_status: mapped.employment_status,
      display_full_name: preferred || undefined,
      company: company?.name,
      email: email || undefined,
      idp_id: idpId || undefined,
      job_title: position || undefined,
      start_date: start,
      termination_date: end,
      department: departmentRef,
      work_location: office?.name,
      groups: memberships,
      managers,
      custom_properties: props,
    };
  }

  groups(): Iterable<HrisGroup> {
    return this.groupsById.values();
  }

  warnings(circles: string[][], droppedManagers = this.droppedManagers): string[] {
    const warnings: string[] = [];
    if (droppedManagers) warnings.push(`${droppedManagers} employees have a supervisor who is not in the report; their manager was left out`);
    warnings.push(...this.badDates.warnings(), ...selfManagerWarnings(this.selfManaged), ...circleWarnings(circles));
    if (this.unknownStatuses.size) warnings.push(`employees with a status Personio does not document (${[...this.unknownStatuses].sort().join(", ")}) are marked inactive`);
    if (this.count)
      for (const [prop, field] of this.extraFields)
        if (!this.seenExtra.has(field)) warnings.push(`veza.employeeProperties.${prop}: no employee has the Personio attribute "${field}" (check the attribute key, e.g. dynamic_123, and that the API credential may read it)`);
    return warnings;
  }
}

/** The whole payload of a report in memory (a fetched report, tests); a large one is read as a stream (lib/veza/prepare.ts). */
export function buildHrisPayload(report: EmployeeReport, hris: HrisSettings, opts: DirectoryBuildOptions): BuildResult {
  const ids = new Set(report.map((e) => str(e.attributes.id.value)));
  const mapper = new PersonioEmployees(hris, opts, ids);
  const employees = report.map((e) => mapper.map(e));
  return {
    payload: hrisPayload(opts, mapper.system, employees, mapper.groups()),
    warnings: mapper.warnings(managerCircles(employees)),
  };
}
