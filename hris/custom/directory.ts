import type { DirectoryReader, HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, hrisPayload } from "../../lib/veza/directory";
import { FileValidationError, readJsonFile } from "../../lib/jsonFile";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import { BadDates, idProblem, managerWarnings, missingFieldWarnings, wantedFields } from "../directoryChecks";
import { HrisApiError } from "../errors";
import { authorizationHeader, sendWithRetry } from "../http";
import type { DirectoryMapping } from "./manifest";

type EmployeeRecord = Record<string, unknown>;

/** The value at a dotted path (`manager.id`) of a record. */
const at = (record: unknown, dotted: string | undefined): unknown =>
  dotted === undefined ? undefined : dotted.split(".").reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), record);

const text = (v: unknown): string => (typeof v === "string" ? v.trim() : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

/** A date (YYYY-MM-DD, or an RFC 3339 timestamp) as the payload's RFC 3339 timestamp; undefined when it is not one. */
function timestamp(v: unknown): string | undefined {
  const s = text(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const exists = y > 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (!exists) return undefined;
  return s.length === 10 ? `${s}T00:00:00Z` : Number.isNaN(Date.parse(s)) ? undefined : new Date(Date.parse(s)).toISOString().replace(/\.000Z$/, "Z");
}

/** The employee list of an answer or a saved report, or why there is none. */
function employeesOf(body: unknown, mapping: DirectoryMapping): { employees?: EmployeeRecord[]; problem?: string } {
  const list = mapping.employeesAt ? at(body, mapping.employeesAt) : body;
  if (!Array.isArray(list)) return { problem: `has no employee list at ${mapping.employeesAt || "the top level"} (directory.employeesAt)` };
  const bad = list.findIndex((e) => !e || typeof e !== "object" || Array.isArray(e) || idProblem(at(e, mapping.fields.id)));
  if (bad >= 0) {
    const problem = list[bad] && typeof list[bad] === "object" && !Array.isArray(list[bad]) ? idProblem(at(list[bad], mapping.fields.id))! : "is not an object";
    // An id that is an object would be sent as "[object Object]": refused like a missing one.
    return { problem: problem === "has no id" ? `has an employee without an id (${mapping.fields.id}) at index ${bad}` : `has an employee at index ${bad} that ${problem.replace("an id", `an id (${mapping.fields.id})`)}` };
  }
  return { employees: list as EmployeeRecord[] };
}

/**
 * A directory read with one GET and mapped field by field (wfm-hris.json `directory`): for an HRIS without an adapter
 * of its own. Departments become DEPARTMENT groups, locations GROUPs; managers must be in the list.
 */
export function fieldMappedDirectory(label: string, mapping: DirectoryMapping): DirectoryReader<EmployeeRecord[]> {
  const f = mapping.fields;
  return {
    reportDescription: `${label} employee list JSON (the answer of GET <hris.baseUrl>${mapping.path})`,
    async fetch(hris: HrisSettings, secret: string, options) {
      const url = `${hris.baseUrl}${mapping.path}`;
      const what = `Fetching the ${label} employee list`;
      options.onProgress?.(`fetching every employee from ${label} (${new URL(url).origin})`);
      const res = await sendWithRetry(url, { headers: { Authorization: await authorizationHeader(hris.auth, secret, options), Accept: "application/json" } }, options, what);
      const body = await res.text();
      if (!res.ok) throw new HrisApiError(`${what}: ${url.split("?")[0]} answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? " (check the HRIS credential)" : ""}`, res.status);
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new HrisApiError(`${what}: the answer is not JSON`, res.status);
      }
      const { employees, problem } = employeesOf(json, mapping);
      if (!employees) throw new HrisApiError(`${what}: the answer ${problem}`, res.status);
      return employees;
    },
    readReportFile(file) {
      const { value, issue } = readJsonFile(file);
      if (issue) throw new FileValidationError(`${label} report`, [issue]);
      const { employees, problem } = employeesOf(value, mapping);
      if (!employees) throw new FileValidationError(`${label} report`, [{ file, path: "$", problem: `is not a ${label} employee list: it ${problem}`, fix: `save the JSON answer of GET <hris.baseUrl>${mapping.path}` }]);
      return employees;
    },
    build(records, hris, opts: DirectoryBuildOptions): BuildResult {
      const warnings: string[] = [];
      const groups = new Map<string, HrisGroup>();
      const group = (kind: string, name: string, type: string, prefix: string) => {
        const id = `${kind}:${name.toLowerCase()}`;
        if (!groups.has(id)) groups.set(id, { id, name: `${prefix}${name}`, group_type: type });
        return { id };
      };
      const ids = new Set(records.map((r) => text(at(r, f.id))));
      const active = new Set(mapping.activeStatuses.map((s) => s.toLowerCase()));
      let droppedManagers = 0;
      const badDates = new BadDates();
      const selfManaged: string[] = [];
      const employees = records.map((r): HrisEmployee => {
        const id = text(at(r, f.id));
        const first = text(at(r, f.firstName));
        const last = text(at(r, f.lastName));
        const isActive = f.status ? active.has(text(at(r, f.status)).toLowerCase()) : true;
        const e: HrisEmployee = {
          id,
          name: text(at(r, f.displayName)) || `${first} ${last}`.trim() || id,
          employee_number: text(at(r, f.employeeNumber)) || id,
          first_name: first || id,
          last_name: last || id,
          is_active: isActive,
          employment_status: isActive ? "ACTIVE" : "INACTIVE",
        };
        const email = text(at(r, f.email));
        if (email) e.email = email;
        const jobTitle = text(at(r, f.jobTitle));
        if (jobTitle) e.job_title = jobTitle;
        const department = text(at(r, f.department));
        if (department) e.department = group("department", department, "DEPARTMENT", "");
        const location = text(at(r, f.location));
        if (location) (e.work_location = location), (e.groups = [group("location", location, "GROUP", "Location: ")]);
        for (const [field, key] of [
          ["startDate", "start_date"],
          ["terminationDate", "termination_date"],
        ] as const) {
          const raw = at(r, f[field]);
          const value = timestamp(raw);
          if (value && (key === "start_date" || !isActive)) e[key] = value;
          else if (text(raw) && !value) badDates.add(f[field] ?? field, id, raw);
        }
        const manager = text(at(r, f.managerId));
        if (manager === id) selfManaged.push(id);
        else if (manager) {
          if (ids.has(manager)) e.managers = [{ id: manager }];
          else droppedManagers++;
        }
        if (opts.idpIdField) {
          const idpId = text(at(r, opts.idpIdField));
          if (idpId) e.idp_id = idpId;
        }
        const props = Object.fromEntries(Object.entries(opts.employeeProperties).map(([p, field]) => [p, text(at(r, field))]).filter(([, v]) => v));
        if (Object.keys(props).length) e.custom_properties = props;
        return e;
      });
      if (droppedManagers) warnings.push(`${droppedManagers} employees have a manager who is not in the list; their manager was left out`);
      warnings.push(
        ...badDates.warnings(),
        ...managerWarnings(employees, selfManaged),
        ...missingFieldWarnings(records.length, wantedFields(opts), (field) => records.some((r) => at(r, field) !== undefined)),
      );
      return {
        payload: hrisPayload(opts, { type: label, systemId: `custom:${text(hris.name)}`, url: hris.baseUrl }, employees, groups.values()),
        warnings,
      };
    },
    employeeCount: (records) => records.length,
  };
}
