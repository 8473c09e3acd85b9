import type { HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, hrisPayload } from "../../lib/veza/directory";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import type { EmployeeReport } from "./client";
import { BadDates, idText, managerWarnings, missingFieldWarnings, wantedFields } from "../directoryChecks";

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
 * Maps BambooHR's employee report to the Veza HRIS template: departments, divisions and locations become groups
 * (the department as the employee's `department`, divisions and locations in `groups`), supervisors become
 * managers. Identity mapping: `idp_id` from the configured field when set, else Veza falls back to `email`, the
 * work email. Deterministic: groups sorted by id, employees in report order.
 */
export function buildHrisPayload(report: EmployeeReport, hris: HrisSettings, opts: DirectoryBuildOptions): BuildResult {
  const companyDomain = String(hris.companyDomain);
  const warnings: string[] = [];
  const groups = new Map<string, HrisGroup>();
  // One reference object per group, shared by its members; keyed by kind and raw name to skip re-normalising it.
  const refs = { department: new Map<string, { id: string }>(), division: new Map<string, { id: string }>(), location: new Map<string, { id: string }>() };
  const group = (kind: keyof typeof refs, name: string, type: string, label: string) => {
    let ref = refs[kind].get(name);
    if (!ref) {
      const id = `${kind}:${name.toLowerCase()}`;
      if (!groups.has(id)) groups.set(id, { id, name: `${label}${name}`, group_type: type });
      refs[kind].set(name, (ref = { id }));
    }
    return ref;
  };
  const dates = new Map<string, string | undefined>();
  const extraFields = Object.entries(opts.employeeProperties);
  const ids = new Set(report.employees.map((e) => idText(e.id) ?? ""));
  let droppedManagers = 0;
  const badDates = new BadDates();
  const selfManaged: string[] = [];
  // BambooHR writes 0000-00-00 for "no date"; anything else that is not a date is a data problem worth naming.
  const dateOf = (field: string, id: string, v: unknown) => {
    const converted = date(v, dates);
    if (converted === undefined && str(v) && str(v) !== "0000-00-00") badDates.add(field, id, v);
    return converted;
  };
  const employees: HrisEmployee[] = report.employees.map((e) => {
    const id = idText(e.id) ?? "";
    const first = str(e.firstName);
    const last = str(e.lastName);
    const display = str(e.displayName) || `${first} ${last}`.trim();
    const email = str(e.workEmail);
    const active = str(e.status).toLowerCase() === "active";
    const employee: HrisEmployee = {
      id,
      name: display || id,
      employee_number: str(e.employeeNumber) || id,
      first_name: first,
      last_name: last,
      is_active: active,
      employment_status: active ? "ACTIVE" : "INACTIVE",
    };
    const preferred = str(e.preferredName);
    if (preferred) employee.preferred_name = preferred;
    if (email) employee.email = email;
    if (opts.idpIdField) {
      const idpId = str(e[opts.idpIdField]);
      if (idpId) employee.idp_id = idpId;
    }
    const jobTitle = str(e.jobTitle);
    if (jobTitle) employee.job_title = jobTitle;
    const department = str(e.department);
    const division = str(e.division);
    const location = str(e.location);
    if (location) employee.work_location = location;
    const start = dateOf("hireDate", id, e.hireDate);
    if (start) employee.start_date = start;
    const end = dateOf("terminationDate", id, e.terminationDate);
    if (end && !active) employee.termination_date = end;
    const memberships: { id: string }[] = [];
    if (department) employee.department = group("department", department, "DEPARTMENT", "");
    if (division) memberships.push(group("division", division, "BUSINESS_UNIT", ""));
    if (location) memberships.push(group("location", location, "GROUP", "Location: "));
    if (memberships.length) employee.groups = memberships;
    const supervisor = str(e.supervisorEId);
    if (supervisor === id) selfManaged.push(id);
    else if (supervisor) {
      if (ids.has(supervisor)) employee.managers = [{ id: supervisor }];
      else droppedManagers++;
    }
    if (extraFields.length) {
      const props: Record<string, unknown> = {};
      let any = false;
      for (const [prop, field] of extraFields) {
        const value = str(e[field]);
        if (value) (props[prop] = value), (any = true);
      }
      if (any) employee.custom_properties = props;
    }
    return employee;
  });
  if (droppedManagers) warnings.push(`${droppedManagers} employees have a supervisor who is not in the report; their manager was left out`);
  warnings.push(
    ...badDates.warnings(),
    ...managerWarnings(employees, selfManaged),
    ...missingFieldWarnings(report.employees.length, wantedFields(opts), (field) => report.employees.some((e) => field in e)),
  );
  return {
    payload: hrisPayload(opts, { type: "BambooHR", systemId: `bamboohr:${companyDomain}`, url: `https://${companyDomain}.bamboohr.com` }, employees, groups.values()),
    warnings,
  };
}
