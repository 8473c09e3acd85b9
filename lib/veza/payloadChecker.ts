import { jsonPath } from "../jsonFile";
import { HashIndex, stringHash } from "./hashIndex";
import { validate as validateShape, validateEmployees } from "./hrisPayloadShape.generated";
import { HrisEmployee, HrisGroup, HrisPayload, MAX_REPORTED, PROPERTY_TYPES, PayloadIssue, PayloadValidationError, checkProperty, timestampExists } from "./payload";

export type PayloadHead = Omit<HrisPayload, "employees" | "groups">;
type PropertyType = (typeof PROPERTY_TYPES)[number];
type Path = (string | number)[];

/** Expected employees up to which the checker tells values apart with Maps of them (see StreamingPayloadChecker.exact). */
export const EXACT_INDEX_LIMIT = 50_000;

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
  private readonly oneEmployee: HrisEmployee[] = [];
  /** Every employee's id as written, by index. */
  readonly idList: string[] = [];
  /**
   * Up to EXACT_INDEX_LIMIT expected employees, the ids, numbers and emails seen are Maps of the values themselves:
   * V8 hashes a string natively, once, where stringHash runs a loop of JavaScript per character, costly before the
   * JIT has compiled it (a sync of 10,000 employees is over by then). Past it, HashIndex tables of 53-bit hashes:
   * by then the loop is compiled, and the tables keep no string alive (100,000 employees: ~10% less CPU, the
   * collector's work on the strings the Maps hold; 1,000,000: a twelfth of the memory).
   */
  readonly exact: boolean;
  /** Exact: first index of each lower-cased id. */
  private readonly idMap = new Map<string, number>();
  /** Hashed: first index of each lower-cased id (by hash, confirmed against idList; a rare different id of the same hash in `otherIds`). */
  private readonly ids?: HashIndex;
  private readonly otherIds = new Map<string, number>();
  /** First index of each employee number and lower-cased email: the value itself (exact), or its hash (a hit is a suspect, confirmed at the end). */
  private readonly numbers: HashIndex | Map<string, number>;
  private readonly emails: HashIndex | Map<string, number>;
  /** The indexes that share a number or email (exact), or its hash (suspects), by value or hash, the first holder first. */
  private readonly suspects = { employee_number: new Map<number | string, number[]>(), email: new Map<number | string, number[]>() };
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

  /**
   * `expectedEmployees`: about how many employees will come (a guess is fine: it sizes the tables, and chooses Maps or
   * hash tables, see `exact`); `exactUpTo`: that choice's limit (tests try both kinds on small payloads).
   */
  constructor(head: PayloadHead, expectedEmployees = 0, exactUpTo = EXACT_INDEX_LIMIT) {
    this.exact = expectedEmployees <= exactUpTo;
    if (this.exact) {
      this.numbers = new Map();
      this.emails = new Map();
    } else {
      this.ids = new HashIndex(expectedEmployees);
      this.numbers = new HashIndex(expectedEmployees);
      this.emails = new HashIndex(expectedEmployees);
    }
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

  /** A reference to a group from employee i's `field` (its `slot`-th, for a list). */
  private groupRef(id: string, i: number, field: "groups" | "department" | "cost_center", slot?: number): void {
    const ref = this.groupRefs.get(id);
    if (ref) ref.count++;
    else this.groupRefs.set(id, { key: id.toLowerCase(), count: 1, first: slot === undefined ? ["employees", i, field, "id"] : ["employees", i, field, slot, "id"] });
  }

  /** The index of the first employee with this id (lower-cased), if one has been seen. */
  indexOf(lowerCaseId: string): number | undefined {
    if (!this.ids) return this.idMap.get(lowerCaseId);
    const at = this.ids.get(stringHash(lowerCaseId));
    if (at >= 0 && this.idList[at].toLowerCase() === lowerCaseId) return at;
    return this.otherIds.get(lowerCaseId);
  }

  /** The index of the first employee with this id (lower-cased), having noted `i` as its index if it is the first. */
  private firstWithId(lowerCaseId: string, i: number): number | undefined {
    if (!this.ids) {
      const first = this.idMap.get(lowerCaseId);
      if (first === undefined) this.idMap.set(lowerCaseId, i);
      return first;
    }
    // One hash, one probe: the id's slot, or the first id that has its hash.
    const at = this.ids.add(stringHash(lowerCaseId), i);
    if (at < 0) return undefined;
    if (this.idList[at].toLowerCase() === lowerCaseId) return at;
    const other = this.otherIds.get(lowerCaseId);
    if (other === undefined) this.otherIds.set(lowerCaseId, i);
    return other;
  }

  /** Notes a value that repeats an earlier one (exact), or may (same hash: confirmed at the end). */
  private unique(index: HashIndex | Map<string, number>, field: "employee_number" | "email", value: string, i: number): void {
    let key: number | string;
    let first: number;
    if (index instanceof Map) {
      first = index.get((key = value)) ?? -1;
      if (first < 0) return void index.set(value, i);
    } else {
      first = index.add((key = stringHash(value)), i);
      if (first < 0) return;
    }
    const bucket = this.suspects[field].get(key);
    if (bucket) bucket.push(i);
    else this.suspects[field].set(key, [first, i]);
  }

  /** Employee numbers and emails that repeat (or share a hash): the real duplicates among them, each named with its first holder. */
  private confirmDuplicates(employeesAt: (indexes: Set<number>) => Map<number, HrisEmployee>): void {
    const wanted = new Set<number>();
    if (!this.exact) for (const buckets of Object.values(this.suspects)) for (const list of buckets.values()) for (const i of list) wanted.add(i);
    // Exact buckets hold equal values only: nothing to read back.
    const employees = wanted.size ? employeesAt(wanted) : undefined;
    for (const field of ["employee_number", "email"] as const)
      for (const list of this.suspects[field].values()) {
        const first = new Map<string, number>();
        for (const i of list) {
          const raw = employees ? employees.get(i)![field]! : "";
          const value = field === "email" ? raw.toLowerCase() : raw;
          const at = first.get(value);
          if (at === undefined) first.set(value, i);
          else this.add(["employees", i, field], `duplicates the ${field} of employees[${at}]`);
        }
      }
  }

  /** employee() for each of a batch (indexes from `first`): one shape check for the whole batch when it passes. */
  employees(batch: HrisEmployee[], first: number): void {
    const valid = validateEmployees(batch);
    for (let k = 0; k < batch.length; k++) this.employee(batch[k], first + k, valid);
  }

  /** `shapeChecked`: the employee's shape is already known to be valid. */
  employee(e: HrisEmployee, i: number, shapeChecked = false): void {
    this.employeeCount++;
    this.idList.push(typeof e?.id === "string" ? e.id : "");
    // The check of a list of employees, given a one-element list (the same each time: emptying it would cost the array
    // its fast elements); zod words a failure, in a payload with the real head.
    if (!shapeChecked) this.oneEmployee[0] = e;
    if (!shapeChecked && !validateEmployees(this.oneEmployee)) {
      this.wrapper.employees[0] = e;
      const valid = this.shape(this.wrapper, i, 0);
      this.wrapper.employees = [];
      if (!valid) return;
    }
    const id = e.id.toLowerCase();
    const firstId = this.firstWithId(id, i);
    if (firstId !== undefined) this.add(["employees", i, "id"], `duplicates the id of employees[${firstId}] ("${e.id}"); ids are unique, ignoring case`);
    this.unique(this.numbers, "employee_number", e.employee_number, i);
    if (e.email) this.unique(this.emails, "email", e.email.toLowerCase(), i);
    const managers = e.managers;
    if (managers)
      for (let j = 0; j < managers.length; j++) {
        const manager = managers[j].id.toLowerCase();
        if (manager === id) this.add(["employees", i, "managers", j, "id"], "makes the employee their own manager");
        else if (this.indexOf(manager) === undefined) this.laterManagers.push([i, j, manager, managers[j].id]);
      }
    const groups = e.groups;
    if (groups) for (let j = 0; j < groups.length; j++) this.groupRef(groups[j].id, i, "groups", j);
    if (e.department) this.groupRef(e.department.id, i, "department");
    if (e.cost_center) this.groupRef(e.cost_center.id, i, "cost_center");
    const start = e.start_date;
    const end = e.termination_date;
    if (start && !timestampExists(start)) this.add(["employees", i, "start_date"], "is not a date that exists");
    if (end && !timestampExists(end)) this.add(["employees", i, "termination_date"], "is not a date that exists");
    if (start && end && Date.parse(end) < Date.parse(start)) this.add(["employees", i, "termination_date"], "is before start_date");
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
