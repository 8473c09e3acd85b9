import type { EmployeeReport } from "../bamboohr/client";
import type { HrisEmployee, HrisGroup, HrisPayload } from "./payload";

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

export interface BuildOptions {
  companyDomain: string;
  /** Payload and system name. */
  name: string;
  idpProviders: string[];
  /** Custom employee property (snake_case) → BambooHR field; all STRING. */
  employeeProperties: Record<string, string>;
}

export interface BuildResult {
  payload: HrisPayload;
  /** Non-fatal: data left out because BambooHR's data could not be represented. */
  warnings: string[];
}

const str = (v: unknown) => (v === null || v === undefined ? "" : String(v).trim());
const date = (v: unknown) => {
  const s = str(v);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && s !== "0000-00-00" && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) ? `${s}T00:00:00Z` : undefined;
};
const groupId = (kind: string, name: string) => `${kind}:${name.toLowerCase()}`;

/**
 * Maps BambooHR's employee report to the Veza HRIS template: departments, divisions and locations become groups
 * (department also as the employee's department), supervisors become managers, the work email is both `email`
 * and `idp_id` for identity mapping. Deterministic: groups sorted by id, employees in report order.
 */
export function buildHrisPayload(report: EmployeeReport, opts: BuildOptions): BuildResult {
  const warnings: string[] = [];
  const groups = new Map<string, HrisGroup>();
  const group = (kind: "department" | "division" | "location", name: string, type: string, label: string) => {
    const id = groupId(kind, name);
    if (!groups.has(id)) groups.set(id, { id, name: `${label}${name}`, group_type: type });
    return { id };
  };
  const ids = new Set(report.employees.map((e) => str(e.id)));
  let droppedManagers = 0;
  const employees: HrisEmployee[] = report.employees.map((e) => {
    const id = str(e.id);
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
    if (str(e.preferredName)) employee.preferred_name = str(e.preferredName);
    if (display) employee.display_full_name = display;
    if (email) {
      employee.email = email;
      employee.idp_id = email;
    }
    if (str(e.jobTitle)) employee.job_title = str(e.jobTitle);
    if (str(e.location)) employee.work_location = str(e.location);
    const start = date(e.hireDate);
    if (start) employee.start_date = start;
    const end = date(e.terminationDate);
    if (end && !active) employee.termination_date = end;
    const memberships: { id: string }[] = [];
    if (str(e.department)) {
      employee.department = group("department", str(e.department), "DEPARTMENT", "");
      memberships.push(employee.department);
    }
    if (str(e.division)) memberships.push(group("division", str(e.division), "BUSINESS_UNIT", ""));
    if (str(e.location)) memberships.push(group("location", str(e.location), "GROUP", "Location: "));
    if (memberships.length) employee.groups = memberships;
    const supervisor = str(e.supervisorEId);
    if (supervisor && supervisor !== id) {
      if (ids.has(supervisor)) employee.managers = [{ id: supervisor }];
      else droppedManagers++;
    }
    const props: Record<string, unknown> = {};
    for (const [prop, field] of Object.entries(opts.employeeProperties)) if (str(e[field])) props[prop] = str(e[field]);
    if (Object.keys(props).length) employee.custom_properties = props;
    return employee;
  });
  if (droppedManagers) warnings.push(`${droppedManagers} employees have a supervisor who is not in the report; their manager was left out`);
  return {
    payload: {
      name: opts.name,
      hris_type: "BambooHR",
      custom_property_definition: {
        system_properties: {},
        employee_properties: Object.fromEntries(Object.keys(opts.employeeProperties).sort().map((k) => [k, "STRING" as const])),
        group_properties: {},
      },
      system: {
        id: `bamboohr:${opts.companyDomain}`,
        name: opts.name,
        url: `https://${opts.companyDomain}.bamboohr.com`,
        idp_providers: opts.idpProviders as HrisPayload["system"]["idp_providers"],
      },
      employees,
      groups: [...groups.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    },
    warnings,
  };
}
