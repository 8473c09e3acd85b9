import type { HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, EmployeeMapper, hrisPayload } from "../../lib/veza/directory";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import type { EmployeeReport } from "./client";
import { BadDates, NotText, circleWarnings, idText, managerCircles, missingFieldWarnings, selfManagerWarnings, wantedFields } from "../directoryChecks";

/** BambooHR fields the Veza payload is built from. */
export const BASE_FIELDS = [
  "employeeNumber",
  "firstName",
  "lastName",
  "preferredName",
  "displayName",
  "workEmail",
  "jobTitle",
  "department",
  "division",
  "location",
  "supervisorEId",
  "status",
  "hireDate",
  "terminationDate",
] as const;

const str = (v: unknown): string => (typeof v === "string" ? v.trim() : typeof v === "number" || typeof v === "boolean" ? String(v) : "");
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
/** BambooHR dates (YYYY-MM-DD; 0000-00-00 for none) as RFC 3339 midnight UTC. */
const date = (v: unknown, seen: Map<string, string | undefined>) => {
  // Employees share few distinct dates: each is checked once per build.
  const s = str(v);
  if (seen.has(s)) return seen.get(s);
  const converted = convertDate(s);
  seen.set(s, converted);
  return converted;
};
const convertDate = (s: string) => {
  const m = YMD.exec(s);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const valid = year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
  return valid ? `${m[0]}T00:00:00Z` : undefined;
};

/**
 * Maps BambooHR's employee report to the Veza HRIS template, one employee at a time (so a report can be read as a
 * stream): departments, divisions and locations become groups (the department as the employee's `department`,
 * divisions and locations in `groups`), supervisors become managers. Identity mapping: `idp_id` from the configured
 * field when set, else Veza falls back to `email`, the work email. Deterministic: groups sorted by id, employees in
 * report order.
 *
 * A supervisor who is not in the report is left out: with `knownIds` (every id of the report) that is decided here;
 * without (a first pass over a stream, before every id is known) each supervisor is kept and the caller drops the
 * ones never seen.
 */
export class BambooHrEmployees implements EmployeeMapper {
  readonly system: { type: string; systemId: string; url: string };
  droppedManagers = 0;
  private readonly groupsById = new Map<string, HrisGroup>();
  // One reference object per group, shared by its members; keyed by kind and raw name to skip re-normalising it.
  private readonly refs = { department: new Map<string, { id: string }>(), division: new Map<string, { id: string }>(), location: new Map<string, { id: string }>() };
  private readonly dates = new Map<string, string | undefined>();
  private readonly extraFields: [string, string][];
  private readonly badDates = new BadDates();
  private readonly notText = new NotText();
  private readonly selfManaged: string[] = [];
  private readonly wanted: { setting: string; field: string }[];
  /** Configured fields some employee has (a field no employee has is named in a warning). */
  private readonly fieldsSeen = new Set<string>();
  private count = 0;

  constructor(
    hris: HrisSettings,
    private readonly opts: DirectoryBuildOptions,
    private readonly knownIds?: ReadonlySet<string>,
  ) {
    const companyDomain = String(hris.companyDomain);
    this.system = { type: "BambooHR", systemId: `bamboohr:${companyDomain}`, url: `https://${companyDomain}.bamboohr.com` };
    this.extraFields = Object.entries(opts.employeeProperties);
    this.wanted = wantedFields(opts);
  }

  private group(kind: "department" | "division" | "location", name: string, type: string, label: string): { id: string } {
    let ref = this.refs[kind].get(name);
    if (!ref) {
      const id = `${kind}:${name.toLowerCase()}`;
      if (!this.groupsById.has(id)) this.groupsById.set(id, { id, name: `${label}${name}`, group_type: type });
      this.refs[kind].set(name, (ref = { id }));
    }
    return ref;
  }

  // BambooHR writes 0000-00-00 for "no date"; anything else that is not a date is a data problem worth naming.
  private dateOf(field: string, id: string, v: unknown): string | undefined {
    const converted = date(v, this.dates);
    if (converted === undefined && str(v) && str(v) !== "0000-00-00") this.badDates.add(field, id, v);
    return converted;
  }

  /** A field's text; an object or a list there (only ever checked when there is no text) is named in a warning. */
  private text(e: Record<string, unknown>, field: string, id: string): string {
    const v = e[field];
    const t = str(v);
    if (!t && typeof v === "object" && v !== null) this.notText.add(field, id, v);
    return t;
  }

  map(record: unknown): HrisEmployee {
    const e = record as Record<string, unknown>;
    this.count++;
    const id = idText(e.id) ?? "";
    const first = this.text(e, "firstName", id);
    const last = this.text(e, "lastName", id);
    const display = this.text(e, "displayName", id) || `${first} ${last}`.trim();
    const active = this.text(e, "status", id).toLowerCase() === "active";
    const department = this.text(e, "department", id);
    const division = this.text(e, "division", id);
    const location = this.text(e, "location", id);
    const start = this.dateOf("hireDate", id, e.hireDate);
    const end = this.dateOf("terminationDate", id, e.terminationDate);
    let groups: { id: string }[] | undefined;
    if (division) groups = [this.group("division", division, "BUSINESS_UNIT", "")];
    if (location) (groups ??= []).push(this.group("location", location, "GROUP", "Location: "));
    const supervisor = this.text(e, "supervisorEId", id);
    let managers: { id: string }[] | undefined;
    if (supervisor === id) this.selfManaged.push(id);
    else if (supervisor) {
      if (!this.knownIds || this.knownIds.has(supervisor)) managers = [{ id: supervisor }];
      else this.droppedManagers++;
    }
    let props: Record<string, unknown> | undefined;
    for (let i = 0; i < this.extraFields.length; i++) {
      const value = this.text(e, this.extraFields[i][1], id);
      if (value) (props ??= {})[this.extraFields[i][0]] = value;
    }
    if (this.fieldsSeen.size < this.wanted.length) for (const w of this.wanted) if (w.field in e) this.fieldsSeen.add(w.field);
    // Every employee has every key, in the order of the text (JSON.stringify leaves out those set to undefined): one
    // shape for all the objects a sync makes, which every later reader of them (checks, serialiser) handles fastest.
    return {
      id,
      name: display || id,
      employee_number: this.text(e, "employeeNumber", id) || id,
      first_name: first,
      last_name: last,
      is_active: active,
      employment_status: active ? "ACTIVE" : "INACTIVE",
      preferred_name: this.text(e, "preferredName", id) || undefined,
      email: this.text(e, "workEmail", id) || undefined,
      idp_id: (this.opts.idpIdField && this.text(e, this.opts.idpIdField, id)) || undefined,
      job_title: this.text(e, "jobTitle", id) || undefined,
      work_location: location || undefined,
      start_date: start || undefined,
      termination_date: (!active && end) || undefined,
      department: department ? this.group("department", department, "DEPARTMENT", "") : undefined,
      groups,
      managers,
      custom_properties: props,
    };
  }

  groups(): Iterable<HrisGroup> {
    return this.groupsById.values();
  }

  warnings(circles: string[][], droppedManagers = this.droppedManagers): string[] {
    return [
      ...(droppedManagers ? [`${droppedManagers} employees have a supervisor who is not in the report; their manager was left out`] : []),
      ...this.badDates.warnings(),
      ...this.notText.warnings(),
      ...selfManagerWarnings(this.selfManaged),
      ...circleWarnings(circles),
      ...missingFieldWarnings(this.count, this.wanted, (field) => this.fieldsSeen.has(field)),
    ];
  }
}

/** The whole payload of a report in memory (a fetched report, tests); a saved report is read as a stream (lib/veza/prepare.ts). */
export function buildHrisPayload(report: EmployeeReport, hris: HrisSettings, opts: DirectoryBuildOptions): BuildResult {
  const ids = new Set(report.employees.map((e) => idText(e.id) ?? ""));
  const mapper = new BambooHrEmployees(hris, opts, ids);
  const employees = report.employees.map((e) => mapper.map(e));
  return {
    payload: hrisPayload(opts, mapper.system, employees, mapper.groups()),
    warnings: mapper.warnings(managerCircles(employees)),
  };
}
