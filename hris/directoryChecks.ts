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
  return `has an id that is ${Array.isArray(value) ? "a list" : typeof value === "object" ? "an object" : `a ${typeof value}`}, not text or a number`;
}

/** Dates that could not be read, by field, with a few samples; the payload leaves them out. */
export class BadDates {
  private readonly byField = new Map<string, { count: number; samples: string[] }>();

  add(field: string, employeeId: string, raw: unknown): void {
    let entry = this.byField.get(field);
    if (!entry) this.byField.set(field, (entry = { count: 0, samples: [] }));
    entry.count++;
    if (entry.samples.length < SAMPLES) entry.samples.push(`${JSON.stringify(raw)} (employee ${employeeId})`);
  }

  warnings(): string[] {
    return [...this.byField].map(
      ([field, e]) => `${e.count} employee${e.count === 1 ? " has" : "s have"} a ${field} that is not a date, e.g. ${e.samples.join(", ")}; it was left out (expected YYYY-MM-DD)`,
    );
  }
}

/**
 * Employees who are their own manager (the manager is left out) and circles of managers (a → b → a), which the
 * builders keep since each link alone is valid but which no reporting line can have.
 */
export function managerWarnings(employees: readonly { id: string; managers?: readonly { id: string }[] }[], selfManaged: readonly string[]): string[] {
  const warnings: string[] = [];
  if (selfManaged.length)
    warnings.push(
      `${selfManaged.length} employee${selfManaged.length === 1 ? " is" : "s are"} their own manager (${selfManaged.slice(0, SAMPLES).join(", ")}${selfManaged.length > SAMPLES ? ", ..." : ""}); that manager was left out`,
    );
  const manager = new Map<string, string>();
  for (const e of employees) if (e.managers?.length) manager.set(e.id, e.managers[0].id);
  // Each employee has one manager here: walk up from each, colouring done chains, to find every circle once.
  const state = new Map<string, "walking" | "done">();
  const circles: string[][] = [];
  for (const start of manager.keys()) {
    const path: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !state.has(at)) {
      state.set(at, "walking");
      path.push(at);
      at = manager.get(at);
    }
    if (at !== undefined && state.get(at) === "walking") circles.push(path.slice(path.indexOf(at)));
    for (const p of path) state.set(p, "done");
  }
  if (circles.length) {
    const inCircles = circles.reduce((n, c) => n + c.length, 0);
    const shown = circles.slice(0, SAMPLES).map((c) => [...c, c[0]].join(" → "));
    warnings.push(
      `${circles.length} circle${circles.length === 1 ? "" : "s"} of managers (${inCircles} employees): ${shown.join("; ")}${circles.length > SAMPLES ? "; ..." : ""}; fix the reporting lines in the HRIS`,
    );
  }
  return warnings;
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
