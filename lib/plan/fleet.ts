import * as fs from "node:fs";
import * as path from "node:path";
import { isUserError } from "../errors";
import { diffPlans, summaryLine } from "./diff";
import { Plan, runPlan } from "./run";
import { listStacks, readOfflineConfig } from "./stackFiles";

/**
 * Plans every stack of a project in one process (`npm run plan -- --all`): the Pulumi SDK, the program's modules and
 * the data action and flow definitions load once, each stack only runs the program again (runPlan). A stack that
 * fails is reported in its row; the others still plan.
 */

export interface FleetRow {
  stack: string;
  /** Resources the plan registers; undefined when the stack failed. */
  resources?: number;
  /** What applying this plan would change against the saved one, or why there is nothing to compare with. */
  changes?: string;
  /** Warnings of the program and of the offline reading (ESC environments not in esc/, …). */
  warnings: string[];
  /** Why the stack did not plan: the message the single-stack plan would print. */
  error?: string;
  /** The error is not one the user fixes in config or files (a bug): its stack trace is wanted. */
  unexpected?: boolean;
}

export interface FleetOptions {
  /** Project directory with Pulumi.yaml and the Pulumi.<stack>.yaml files. */
  root: string;
  /** The Pulumi program (index.ts, or dist/index.js when compiled). */
  program: string;
  /** Folder of saved plans (`<stack>.json`). */
  plansDir: string;
  /** Write each stack's plan to plansDir after comparing it with the saved one. */
  save?: boolean;
  /** Called with each row as soon as its stack is planned, in order. */
  onRow?: (row: FleetRow) => void;
}

export const savedPlanFile = (plansDir: string, stack: string) => path.join(plansDir, `${stack}.json`);

/** The saved plan of a stack, undefined when there is none; a file that is not a plan is a warning, not a failure. */
function readSavedPlan(file: string, warnings: string[]): Plan | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const plan = JSON.parse(fs.readFileSync(file, "utf8")) as Plan;
    if (Array.isArray(plan.resources)) return plan;
  } catch {
    // reported below
  }
  warnings.push(`${file} is not a saved offline plan; compared as if there were none (npm run plan -- --all --save rewrites it)`);
  return undefined;
}

export function writeSavedPlan(plansDir: string, plan: Plan): void {
  fs.mkdirSync(plansDir, { recursive: true });
  fs.writeFileSync(savedPlanFile(plansDir, plan.stack), JSON.stringify(plan, null, 2) + "\n");
}

/** What to compare a plan with: a summary of the changes against the saved plan. */
export function changesAgainst(saved: Plan | undefined, plan: Plan): string {
  if (!saved) return "no saved plan";
  const changes = diffPlans(saved, plan);
  return changes.length ? summaryLine(changes) : "no changes";
}

/**
 * Runs `run` with stack traces off. The Pulumi SDK captures one for every promise it tracks (runtime/debuggable.js,
 * kept for its leak report) and every resource it registers (its source position); a plan uses neither, and they are
 * a third of the time a stack takes in a fleet. Errors then carry no trace: see planStack.
 */
async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return await run();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

async function planOnce(stack: string, options: FleetOptions, traces: boolean): Promise<FleetRow> {
  const warnings: string[] = [];
  try {
    const offline = readOfflineConfig(options.root, stack);
    warnings.push(...(offline.notes ?? []));
    const run = () => runPlan(offline, options.program, { onWarning: (m) => warnings.push(m) });
    const plan = traces ? await run() : await withoutStackTraces(run);
    const file = savedPlanFile(options.plansDir, stack);
    const changes = changesAgainst(readSavedPlan(file, warnings), plan);
    if (options.save) writeSavedPlan(options.plansDir, plan);
    return { stack, resources: plan.resources.length, changes, warnings };
  } catch (e) {
    // A user error is its message (file, key, fix); anything else is a bug, shown with where it happened.
    return { stack, warnings, error: isUserError(e) ? e.message : ((e as Error)?.stack ?? String(e)), unexpected: !isUserError(e) };
  }
}

/** Plans one stack; a stack that fails with an unexpected error is planned again with stack traces, to say where. */
export async function planStack(stack: string, options: FleetOptions): Promise<FleetRow> {
  const row = await planOnce(stack, options, false);
  if (!row.unexpected) return row;
  const { unexpected: _, ...traced } = await planOnce(stack, options, true);
  return traced;
}

/** Plans every `Pulumi.<stack>.yaml` of the project, one after the other, in stack name order. */
export async function planFleet(options: FleetOptions): Promise<FleetRow[]> {
  const rows: FleetRow[] = [];
  for (const stack of listStacks(options.root)) {
    const row = await planStack(stack, options);
    rows.push(row);
    options.onRow?.(row);
  }
  return rows;
}

const CHANGES_WIDTH = 50;

/** The table's header, for a fleet whose longest stack name is `nameWidth` long. */
export function fleetHeader(nameWidth: number): string {
  return `${"stack".padEnd(nameWidth)}  ${"resources".padStart(9)}  ${"changes vs saved plan".padEnd(CHANGES_WIDTH)}  warnings\n`;
}

/** One row of the table. */
export function fleetRow(row: FleetRow, nameWidth: number): string {
  const resources = row.resources === undefined ? "-" : String(row.resources);
  const changes = row.error ? "FAILED (see below)" : row.changes!;
  return `${row.stack.padEnd(nameWidth)}  ${resources.padStart(9)}  ${changes.padEnd(CHANGES_WIDTH)}  ${row.warnings.length}\n`;
}

const indent = (text: string) => text.replace(/\n/g, "\n    ");

/** After the table: each failure and warning in full, then the totals. */
export function fleetFooter(rows: FleetRow[], saved: boolean, plansDir: string): string {
  const lines: string[] = [""];
  for (const r of rows.filter((r) => r.error)) lines.push(`${r.stack}: failed: ${indent(r.error!)}`);
  for (const r of rows) for (const w of r.warnings) lines.push(`${r.stack}: warning: ${indent(w)}`);
  if (lines.length > 1) lines.push("");
  const failed = rows.filter((r) => r.error).length;
  const where = saved ? `; plans saved in ${plansDir}` : "";
  lines.push(`${rows.length - failed} of ${rows.length} stacks planned${failed ? `, ${failed} failed` : ""}${where}`);
  return lines.join("\n") + "\n";
}
