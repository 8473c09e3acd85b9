/**
 * Checks every directory reader applies to what an HRIS answers (or a saved report), so a mistake in the data is
 * named rather than sent: ids that are not text or numbers (an object would become "[object Object]"), dates that
 * are not dates (left out, counted and shown), employees who manage themselves or manage each other in a circle (a
 * reporting line Veza cannot walk), configured employee properties no employee has (a misspelt field id).
 */

const SAMPLES = 3;

/** An employee id as text; undefined when the value is not one (missing, empty, an object or a list). */
export function idText(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && value.trim()) return value.trim();
  return undefined;
}

/** Why a value is not an employee id, for the message naming where it is. */
export function idProblem(value: unknown): string | undefined {
  if (idText(value) !== undefined) return undefined;
  if (value === undefined || value === null || value === "") return "has no id";
  if (typeof value === "string") return "has an id of only blanks";
  return `has an id that is ${Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`}, not text or a number`;
}

/** Values of a field that could not be used, with a few samples (employee ids); the payload leaves them out. */
class LeftOutValues {
  private readonly byField = new Map<string, { count: number; samples: string[] }>();

  add(field: string, employeeId: string, raw: unknown): void {
    let entry = this.byField.get(field);
    if (!entry) this.byField.set(field, (entry = { count: 0, samples: [] }));
    entry.count++;
    if (entry.samples.length < SAMPLES) {
      const text = JSON.stringify(raw);
      entry.samples.push(`${text.length > 60 ? `${text.slice(0, 57)}...` : text} (employee ${employeeId})`);
    }
  }

  protected lines(what: string, expected: string): string[] {
    return [...this.byField].map(([field, e]) => `${e.count} employee${e.count === 1 ? " has" : "s have"} a ${field} that is ${what}, e.g. ${e.samples.join(", ")}; it was left out (expected ${expected})`);
  }
}

/** Dates that could not be read, by field. */
export class BadDates extends LeftOutValues {
  warnings(): string[] {
    return this.lines("not a date", "YYYY-MM-DD");
  }
}

/** Objects or lists where the HRIS sends text (a field id that names a table or a multi-value field), by field. */
export class NotText extends LeftOutValues {
  warnings(): string[] {
    return this.lines("an object or a list, not text", "text or a number: map a field that holds one value");
  }
}

/**
 * Employees who are their own manager (the manager is left out) and circles of managers (a → b → a), which the
 * builders keep since each link alone is valid but which no reporting line can have.
 */
export function managerWarnings(employees: readonly { id: string; managers?: readonly { id: string }[] }[], selfManaged: readonly string[]): string[] {
  return [...selfManagerWarnings(selfManaged), ...circleWarnings(managerCircles(employees))];
}

export function selfManagerWarnings(selfManaged: readonly string[]): string[] {
  if (!selfManaged.length) return [];
  return [
    `${selfManaged.length} employee${selfManaged.length === 1 ? " is" : "s are"} their own manager (${selfManaged.slice(0, SAMPLES).join(", ")}${selfManaged.length > SAMPLES ? ", ..." : ""}); that manager was left out`,
  ];
}

export function circleWarnings(circles: readonly string[][]): string[] {
  if (!circles.length) return [];
  const inCircles = circles.reduce((n, c) => n + c.length, 0);
  const shown = circles.slice(0, SAMPLES).map((c) => [...c, c[0]].join(" → "));
  return [`${circles.length} circle${circles.length === 1 ? "" : "s"} of managers (${inCircles} employees): ${shown.join("; ")}${circles.length > SAMPLES ? "; ..." : ""}; fix the reporting lines in the HRIS`];
}

/** The circles of managers among employees (each employee's first manager), each as the ids along it. */
export function managerCircles(employees: readonly { id: string; managers?: readonly { id: string }[] }[]): string[][] {
  const index = new Map<string, number>();
  employees.forEach((e, i) => index.set(e.id, i));
  const managerOf = new Int32Array(employees.length).fill(-1);
  employees.forEach((e, i) => {
    if (e.managers?.length) managerOf[i] = index.get(e.managers[0].id) ?? -1;
  });
  return findCircles(managerOf, (i) => employees[i].id);
}

/**
 * Circles in a one-manager-each reporting graph given as indexes (managerOf[i]: the manager's index, -1 for none),
 * found once each: walk up from each employee, colouring finished chains.
 */
export function findCircles(managerOf: Int32Array, idOf: (i: number) => string): string[][] {
  const state = new Uint8Array(managerOf.length); // 0 new, 1 on the current walk, 2 done
  const circles: string[][] = [];
  const path: number[] = [];
  for (let start = 0; start < managerOf.length; start++) {
    if (managerOf[start] < 0 || state[start]) continue;
    path.length = 0;
    let at = start;
    while (at >= 0 && !state[at]) {
      state[at] = 1;
      path.push(at);
      at = managerOf[at];
    }
    if (at >= 0 && state[at] === 1) circles.push(path.slice(path.indexOf(at)).map(idOf));
    for (const p of path) state[p] = 2;
  }
  return circles;
}

/** Configured fields (veza.employeeProperties, veza.idpIdField) that no employee in the report has. */
export function missingFieldWarnings(
  employeeCount: number,
  wanted: { setting: string; field: string }[],
  has: (field: string) => boolean,
  fieldKind = "field",
): string[] {
  if (employeeCount === 0) return [];
  return wanted
    .filter((w) => !has(w.field))
    .map((w) => `${w.setting}: no employee in the report has the ${fieldKind} "${w.field}", so it is sent empty; check the ${fieldKind} id (and that the report or credential includes it)`);
}

/** The configured fields a build reads, named by their setting. */
export function wantedFields(opts: { employeeProperties: Record<string, string>; idpIdField?: string }): { setting: string; field: string }[] {
  return [
    ...Object.entries(opts.employeeProperties).map(([prop, field]) => ({ setting: `veza.employeeProperties.${prop}`, field })),
    ...(opts.idpIdField ? [{ setting: "veza.idpIdField", field: opts.idpIdField }] : []),
  ];
}
