import { jsonPath } from "../jsonFile";
import { HashIndex, stringHash } from "./hashIndex";
import { validate as validateShape } from "./hrisPayloadShape.generated";
import { HrisEmployee, HrisGroup, HrisPayload, MAX_REPORTED, PROPERTY_TYPES, PayloadIssue, PayloadValidationError, checkProperty, timestampExists } from "./payload";

export type PayloadHead = Omit<HrisPayload, "employees" | "groups">;
type PropertyType = (typeof PROPERTY_TYPES)[number];
type Path = (string | number)[];

/**
 * validateHrisPayload (payload.ts) for a payload that is never whole in memory: the head first, then each employee as
 * it is built, then the groups. The same checks and the same wording (test/vezaStream.test.ts compares the two on bad
 * payloads); the order of the problems may differ, since references to groups and managers can only be checked once
 * every group and employee has been seen. Holds one entry per employee id, number and email, for the duplicates.
 */
export class StreamingPayloadChecker {
  private readonly issues: PayloadIssue[] = [];
  private total = 0;
  private readonly wrapper: HrisPayload;
  private readonly employeeWrapper = {
    name: "-",
    hris_type: "-",
    custom_property_definition: { system_properties: {}, employee_properties: {}, group_properties: {} },
    system: { id: "-", name: "-", idp_providers: [] },
    employees: [] as HrisEmployee[],
    groups: [],
  };
  /** Every employee's id as written, by index. */
  readonly idList: string[] = [];
  /** First index of each lower-cased id (by hash, confirmed against idList; a rare different id of the same hash in `otherIds`). */
  private readonly ids: HashIndex;
  private readonly otherIds = new Map<string, number>();
  /** First index of each employee number and lower-cased email, by hash: a hit is a suspect, confirmed at the end. */
  private readonly numbers: HashIndex;
  private readonly emails: HashIndex;
  private readonly suspects = { employee_number: new Map<number, number[]>(), email: new Map<number, number[]>() };
  /** Managers not yet among the employees when referred to: [employee, manager slot, lower-cased id]. */
  private readonly laterManagers: [number, number, string, string][] = [];
  /**
   * Employees' references to groups, by group id as written: the lower-cased id, how many, and the first place. Only
   * the first reference to a group the payload lacks is listed (the others are counted): the groups are only known at
   * the end, and keeping every place would cost memory on every valid payload.
   */
  private readonly groupRefs = new Map<string, { key: string; count: number; first: Path }>();
  private readonly defs: PayloadHead["custom_property_definition"];
  employeeCount = 0;

  /** `expectedEmployees`: about how many employees will come (a guess is fine: it only sizes the tables). */
  constructor(head: PayloadHead, expectedEmployees = 0) {
    this.ids = new HashIndex(expectedEmployees);
    this.numbers = new HashIndex(expectedEmployees);
    this.emails = new HashIndex(expectedEmployees);
    this.wrapper = { ...head, employees: [], groups: [] } as HrisPayload;
    this.shape(this.wrapper, 0, 0);
    this.defs = this.wrapper.custom_property_definition;
  }

  private add(path: Path, problem: string | (() => string)): void {
    this.total++;
    if (this.issues.length < MAX_REPORTED) this.issues.push({ path: jsonPath(path), problem: typeof problem === "string" ? problem : problem() });
  }

  /** The compiled shape check of the wrapper; zod words the problems, with the employee's own index. */
  private shape(wrapper: HrisPayload, employeeIndex: number, groupOffset: number): boolean {
    if (validateShape(wrapper)) return true;
    const parsed = HrisPayload.safeParse(wrapper);
    if (parsed.success) return true;
    for (const i of parsed.error.issues) {
      const path = [...(i.path as Path)];
      if (path[0] === "employees" && typeof path[1] === "number") path[1] = employeeIndex;
      if (path[0] === "groups" && typeof path[1] === "number") path[1] += groupOffset;
      if (i.code === "unrecognized_keys") for (const k of i.keys) this.add([...path, k], "is not a field of the HRIS template");
      else this.add(path, i.message);
    }
    return false;
  }

  private properties(path: () => Path, values: Record<string, unknown>, def: Record<string, PropertyType>, section: string): void {
    for (const k in values) {
      // Own keys only: "constructor" or "__proto__" must not find Object.prototype's members.
      const type = Object.hasOwn(def, k) ? def[k] : undefined;
      if (!type) this.add([...path(), k], `is not declared in custom_property_definition.${section}`);
      else {
        const problem = checkProperty(type, values[k]);
        if (problem) this.add([...path(), k], `${problem} (declared ${type})`);
      }
    }
  }

  private groupRef(id: string, path: () => Path): void {
    const ref = this.groupRefs.get(id);
    if (ref) ref.count++;
    else this.groupRefs.set(id, { key: id.toLowerCase(), count: 1, first: path() });
  }

  /** The index of the first employee with this id (lower-cased), if one has been seen. */
  indexOf(lowerCaseId: string): number | undefined {
    const at = this.ids.get(stringHash(lowerCaseId));
    if (at >= 0 && this.idList[at].toLowerCase() === lowerCaseId) return at;
    return this.otherIds.get(lowerCaseId);
  }

  private addId(lowerCaseId: string, i: number): void {
    const hash = stringHash(lowerCaseId);
    if (this.ids.get(hash) < 0) this.ids.set(hash, i);
    else this.otherIds.set(lowerCaseId, i);
  }

  /** Notes a value that may repeat an earlier one (same hash), to be confirmed at the end. */
  private unique(index: HashIndex, field: "employee_number" | "email", value: string, i: number): void {
    const hash = stringHash(value);
    const first = index.get(hash);
    if (first < 0) return index.set(hash, i);
    const bucket = this.suspects[field].get(hash);
    if (bucket) bucket.push(i);
    else this.suspects[field].set(hash, [first, i]);
  }

  /** Employee numbers and emails that share a hash: the real duplicates among them, each named with its first holder. */
  private confirmDuplicates(employeesAt: (indexes: Set<number>) => Map<number, HrisEmployee>): void {
    const wanted = new Set<number>();
    for (const buckets of Object.values(this.suspects)) for (const list of buckets.values()) for (const i of list) wanted.add(i);
    if (!wanted.size) return;
    const employees = employeesAt(wanted);
    for (const field of ["employee_number", "email"] as const)
      for (const list of this.suspects[field].values()) {
        const first = new Map<string, number>();
        for (const i of list) {
          const raw = employees.get(i)![field]!;
          const value = field === "email" ? raw.toLowerCase() : raw;
          const at = first.get(value);
          if (at === undefined) first.set(value, i);
          else this.add(["employees", i, field], `duplicates the ${field} of employees[${at}]`);
        }
      }
  }

  employee(e: HrisEmployee, i: number): void {
    this.employeeCount++;
    this.idList.push(typeof e?.id === "string" ? e.id : "");
    // The compiled check sees the employee in a payload whose head is the least that is valid (the head was checked
    // once; an employee's shape does not depend on it); zod words a failure with the real head. The same one-element
    // list each time (emptying it would cost the array its fast elements).
    this.employeeWrapper.employees[0] = e;
    if (!validateShape(this.employeeWrapper)) {
      this.wrapper.employees[0] = e;
      const valid = this.shape(this.wrapper, i, 0);
      this.wrapper.employees = [];
      if (!valid) return;
    }
    const id = e.id.toLowerCase();
    const firstId = this.indexOf(id);
    if (firstId === undefined) this.addId(id, i);
    else this.add(["employees", i, "id"], `duplicates the id of employees[${firstId}] ("${e.id}"); ids are unique, ignoring case`);
    this.unique(this.numbers, "employee_number", e.employee_number, i);
    if (e.email) this.unique(this.emails, "email", e.email.toLowerCase(), i);
    if (e.managers)
      e.managers.forEach((m, j) => {
        const manager = m.id.toLowerCase();
        if (manager === id) this.add(["employees", i, "managers", j, "id"], "makes the employee their own manager");
        else if (this.indexOf(manager) === undefined) this.laterManagers.push([i, j, manager, m.id]);
      });
    if (e.groups) for (let j = 0; j < e.groups.length; j++) this.groupRef(e.groups[j].id, () => ["employees", i, "groups", j, "id"]);
    if (e.department) this.groupRef(e.department.id, () => ["employees", i, "department", "id"]);
    if (e.cost_center) this.groupRef(e.cost_center.id, () => ["employees", i, "cost_center", "id"]);
    if (e.start_date && !timestampExists(e.start_date)) this.add(["employees", i, "start_date"], "is not a date that exists");
    if (e.termination_date && !timestampExists(e.termination_date)) this.add(["employees", i, "termination_date"], "is not a date that exists");
    if (e.start_date && e.termination_date && Date.parse(e.termination_date) < Date.parse(e.start_date)) this.add(["employees", i, "termination_date"], "is before start_date");
    if (e.custom_properties) this.properties(() => ["employees", i, "custom_properties"], e.custom_properties, this.defs.employee_properties, "employee_properties");
  }

  /**
   * The groups, then what needed every employee and group: throws a PayloadValidationError listing the problems.
   * `employeesAt` gives back the employees at some indexes (only called when numbers or emails may repeat).
   */
  finish(groups: HrisGroup[], employeesAt: (indexes: Set<number>) => Map<number, HrisEmployee>): void {
    this.confirmDuplicates(employeesAt);
    this.wrapper.groups = groups;
    const valid = this.shape(this.wrapper, 0, 0);
    this.wrapper.groups = [];
    if (valid) {
      const groupIds = new Map<string, number>();
      groups.forEach((g, i) => {
        const key = g.id.toLowerCase();
        if (groupIds.has(key)) this.add(["groups", i, "id"], `duplicates the id of groups[${groupIds.get(key)}] ("${g.id}"); group ids are unique across all group types, ignoring case`);
        else groupIds.set(key, i);
      });
      for (const [id, ref] of this.groupRefs)
        if (!groupIds.has(ref.key)) {
          this.add(ref.first, `refers to group "${id}", which the payload does not define${ref.count > 1 ? ` (as do ${ref.count - 1} more references)` : ""}`);
          this.total += ref.count - 1;
        }
      groups.forEach((g, i) => {
        if (g.parent) {
          if (!groupIds.has(g.parent.id.toLowerCase())) this.add(["groups", i, "parent", "id"], `refers to group "${g.parent.id}", which the payload does not define`);
          // Follow the parents: a cycle would make the hierarchy endless.
          const seen = new Set([g.id.toLowerCase()]);
          let at = g.parent.id.toLowerCase();
          while (groupIds.has(at)) {
            if (seen.has(at)) {
              this.add(["groups", i, "parent", "id"], `makes a cycle in the group hierarchy through "${groups[groupIds.get(at)!].id}"`);
              break;
            }
            seen.add(at);
            const parent = groups[groupIds.get(at)!].parent;
            if (!parent) break;
            at = parent.id.toLowerCase();
          }
        }
        if (g.custom_properties) this.properties(() => ["groups", i, "custom_properties"], g.custom_properties, this.defs.group_properties, "group_properties");
      });
    }
    for (const [i, j, manager, raw] of this.laterManagers)
      if (this.indexOf(manager) === undefined) this.add(["employees", i, "managers", j, "id"], `refers to manager "${raw}", who is not among the employees`);
    if (this.wrapper.system.custom_properties) this.properties(() => ["system", "custom_properties"], this.wrapper.system.custom_properties, this.defs.system_properties, "system_properties");
    if (this.total) throw new PayloadValidationError(this.issues, this.total);
  }
}
