import * as fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DirectoryFetchOptions, DirectoryReader, HrisSettings } from "../adapter";
import { BuildResult, DirectoryBuildOptions, EmployeeMapper, hrisPayload } from "../../lib/veza/directory";
import { FileValidationError, readJsonFile } from "../../lib/jsonFile";
import type { HrisEmployee, HrisGroup } from "../../lib/veza/payload";
import { readJsonArrayFile } from "../../lib/veza/reportFile";
import { BadDates, circleWarnings, idProblem, managerCircles, missingFieldWarnings, selfManagerWarnings, wantedFields } from "../directoryChecks";
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

/** Why a record of the list is not an employee (not an object, or its id missing or not text or a number), or undefined. */
function recordProblem(record: unknown, index: number, mapping: DirectoryMapping): string | undefined {
  const isObject = !!record && typeof record === "object" && !Array.isArray(record);
  const problem = isObject ? idProblem(at(record, mapping.fields.id)) : "is not an object";
  if (!problem) return undefined;
  // An id that is an object would be sent as "[object Object]": refused like a missing one.
  return problem === "has no id" ? `has an employee without an id (${mapping.fields.id}) at index ${index}` : `has an employee at index ${index} that ${problem.replace("an id", `an id (${mapping.fields.id})`)}`;
}

const noList = (mapping: DirectoryMapping) => `has no employee list at ${mapping.employeesAt || "the top level"} (directory.employeesAt)`;

/** The employee list of an answer or a saved report, or why there is none. */
function employeesOf(body: unknown, mapping: DirectoryMapping): { employees?: EmployeeRecord[]; problem?: string } {
  const list = mapping.employeesAt ? at(body, mapping.employeesAt) : body;
  if (!Array.isArray(list)) return { problem: noList(mapping) };
  for (let i = 0; i < list.length; i++) {
    const problem = recordProblem(list[i], i, mapping);
    if (problem) return { problem };
  }
  return { employees: list as EmployeeRecord[] };
}

/**
 * Reads a saved answer as a stream, handing over each record of the list at `employeesAt` as it is read (lib/veza/
 * reportFile.ts: a byte order mark skipped, a syntax error named with its line and column), with the checks of a
 * fetched answer. Returns the number of records.
 */
function eachEmployeeInFile(label: string, mapping: DirectoryMapping, file: string, visit: (record: EmployeeRecord, index: number) => void): number {
  const fail = (problem: string): never => {
    throw new FileValidationError(`${label} report`, [{ file, path: "$", problem: `is not a ${label} employee list: it ${problem}`, fix: `save the JSON answer of GET <hris.baseUrl>${mapping.path}` }]);
  };
  const { found, count, issue } = readJsonArrayFile(file, mapping.employeesAt ? mapping.employeesAt.split(".") : [], {
    element(record, i) {
      const problem = recordProblem(record, i, mapping);
      if (problem) fail(problem);
      visit(record as EmployeeRecord, i);
    },
  });
  if (issue) throw new FileValidationError(`${label} report`, [issue]);
  if (!found) fail(noList(mapping));
  return count;
}

/**
 * Maps records field by field to the Veza HRIS template, one at a time (so an answer can be read as a stream).
 * Departments become DEPARTMENT groups, locations GROUPs. A manager who is not in the list is left out: with
 * `knownIds` (every id of the list) that is decided here; without (a first pass over a stream) each manager is kept
 * and the caller drops the ones never seen.
 */
class FieldMappedEmployees implements EmployeeMapper {
  readonly system: { type: string; systemId: string; url: string };
  droppedManagers = 0;
  private readonly groupsById = new Map<string, HrisGroup>();
  private readonly active: Set<string>;
  private readonly badDates = new BadDates();
  private readonly selfManaged: string[] = [];
  private readonly wanted: { setting: string; field: string }[];
  private readonly fieldsSeen = new Set<string>();
  private readonly properties: [string, string][];
  private count = 0;

  constructor(
    label: string,
    private readonly mapping: DirectoryMapping,
    hris: HrisSettings,
    private readonly opts: DirectoryBuildOptions,
    private readonly knownIds?: ReadonlySet<string>,
  ) {
    this.system = { type: label, systemId: `custom:${text(hris.name)}`, url: hris.baseUrl };
    this.active = new Set(mapping.activeStatuses.map((s) => s.toLowerCase()));
    this.wanted = wantedFields(opts);
    this.properties = Object.entries(opts.employeeProperties);
  }

  private group(kind: string, name: string, type: string, prefix: string): { id: string } {
    const id = `${kind}:${name.toLowerCase()}`;
    if (!this.groupsById.has(id)) this.groupsById.set(id, { id, name: `${prefix}${name}`, group_type: type });
    return { id };
  }

  map(r: unknown): HrisEmployee {
    const f = this.mapping.fields;
    this.count++;
    const id = text(at(r, f.id));
    const first = text(at(r, f.firstName));
    const last = text(at(r, f.lastName));
    const isActive = f.status ? this.active.has(text(at(r, f.status)).toLowerCase()) : true;
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
    if (department) e.department = this.group("department", department, "DEPARTMENT", "");
    const location = text(at(r, f.location));
    if (location) (e.work_location = location), (e.groups = [this.group("location", location, "GROUP", "Location: ")]);
    for (const [field, key] of DATES) {
      const raw = at(r, f[field]);
      const value = timestamp(raw);
      if (value && (key === "start_date" || !isActive)) e[key] = value;
      else if (text(raw) && !value) this.badDates.add(f[field] ?? field, id, raw);
    }
    const manager = text(at(r, f.managerId));
    if (manager === id) this.selfManaged.push(id);
    else if (manager) {
      if (!this.knownIds || this.knownIds.has(manager)) e.managers = [{ id: manager }];
      else this.droppedManagers++;
    }
    if (this.opts.idpIdField) {
      const idpId = text(at(r, this.opts.idpIdField));
      if (idpId) e.idp_id = idpId;
    }
    let props: Record<string, unknown> | undefined;
    for (const [p, field] of this.properties) {
      const v = text(at(r, field));
      if (v) (props ??= {})[p] = v;
    }
    if (props) e.custom_properties = props;
    if (this.fieldsSeen.size < this.wanted.length) for (const w of this.wanted) if (at(r, w.field) !== undefined) this.fieldsSeen.add(w.field);
    return e;
  }

  groups(): Iterable<HrisGroup> {
    return this.groupsById.values();
  }

  warnings(circles: string[][], droppedManagers = this.droppedManagers): string[] {
    return [
      ...(droppedManagers ? [`${droppedManagers} employees have a manager who is not in the list; their manager was left out`] : []),
      ...this.badDates.warnings(),
      ...selfManagerWarnings(this.selfManaged),
      ...circleWarnings(circles),
      ...missingFieldWarnings(this.count, this.wanted, (field) => this.fieldsSeen.has(field)),
    ];
  }
}

const DATES = [
  ["startDate", "start_date"],
  ["terminationDate", "termination_date"],
] as const;

/**
 * A directory read with one GET and mapped field by field (wfm-hris.json `directory`): for an HRIS without an adapter
 * of its own. Departments become DEPARTMENT groups, locations GROUPs; managers must be in the list. A live answer is
 * written as it arrives to a private temporary file and read from there as a stream, as a saved one is.
 */
export function fieldMappedDirectory(label: string, mapping: DirectoryMapping): DirectoryReader<EmployeeRecord[]> {
  const what = `Fetching the ${label} employee list`;
  /** GET <baseUrl><path>; an answer other than 2xx becomes an HrisApiError. */
  async function request(hris: HrisSettings, secret: string, options: DirectoryFetchOptions): Promise<Response> {
    const url = `${hris.baseUrl}${mapping.path}`;
    options.onProgress?.(`fetching every employee from ${label} (${new URL(url).origin})`);
    const res = await sendWithRetry(url, { headers: { Authorization: await authorizationHeader(hris.auth, secret, options), Accept: "application/json" } }, options, what);
    if (!res.ok) {
      await res.body?.cancel();
      throw new HrisApiError(`${what}: ${url.split("?")[0]} answered HTTP ${res.status}${res.status === 401 || res.status === 403 ? " (check the HRIS credential)" : ""}`, res.status);
    }
    return res;
  }
  const mapper = (hris: HrisSettings, opts: DirectoryBuildOptions, knownIds?: ReadonlySet<string>) => new FieldMappedEmployees(label, mapping, hris, opts, knownIds);
  const reader: DirectoryReader<EmployeeRecord[]> = {
    reportDescription: `${label} employee list JSON (the answer of GET <hris.baseUrl>${mapping.path})`,
    async fetch(hris: HrisSettings, secret: string, options) {
      const res = await request(hris, secret, options);
      const body = await res.text();
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
    async download(hris: HrisSettings, secret: string, options, file: string) {
      const res = await request(hris, secret, options);
      if (!res.body) throw new HrisApiError(`${what}: the answer has no body`, res.status);
      try {
        await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), fs.createWriteStream(file, { flags: "wx", mode: 0o600 }));
      } catch (e) {
        throw new HrisApiError(`${what}: the answer was cut short (${(e as Error).message}); run the sync again`, res.status);
      }
    },
    readReportFile(file) {
      const employees: EmployeeRecord[] = [];
      eachEmployeeInFile(label, mapping, file, (r) => employees.push(r));
      return employees;
    },
    build(records, hris, opts: DirectoryBuildOptions): BuildResult {
      const ids = new Set(records.map((r) => text(at(r, mapping.fields.id))));
      const m = mapper(hris, opts, ids);
      const employees = records.map((r) => m.map(r));
      return { payload: hrisPayload(opts, m.system, employees, m.groups()), warnings: m.warnings(managerCircles(employees)) };
    },
    employeeCount: (records) => records.length,
    streaming: {
      mapper,
      records: (records) => records,
      eachRecordInFile: (file, visit) => eachEmployeeInFile(label, mapping, file, visit),
    },
  };
  // The stream finds the list through objects only; a path through a list (`results.0.people`) is read whole, as before.
  if (!mapping.employeesAt.split(".").some((key) => /^\d+$/.test(key))) return reader;
  return { ...reader, download: undefined, streaming: undefined, readReportFile: (file) => wholeReportFile(label, mapping, file) };
}

/** A saved answer read whole (a list the stream cannot reach), with the checks of a fetched answer. */
function wholeReportFile(label: string, mapping: DirectoryMapping, file: string): EmployeeRecord[] {
  const { value, issue } = readJsonFile(file);
  if (issue) throw new FileValidationError(`${label} report`, [issue]);
  const { employees, problem } = employeesOf(value, mapping);
  if (!employees) throw new FileValidationError(`${label} report`, [{ file, path: "$", problem: `is not a ${label} employee list: it ${problem}`, fix: `save the JSON answer of GET <hris.baseUrl>${mapping.path}` }]);
  return employees;
}
