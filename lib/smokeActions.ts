import { isDeepStrictEqual } from "node:util";
import { ExecutableAction, ExecuteOptions, ExecutionReport, Stage, executeAction } from "./dataActions/engine";
import { GenesysApiOptions, apiGetAll, apiPost } from "./genesys/api";

/**
 * The org as the final check on the offline engine: each deployed data action runs through Genesys' action test
 * endpoint, POST /api/v2/integrations/actions/{actionId}/test ("Test the execution of an action. Responses will show
 * execution steps broken out with intermediate results"; body: the map of input parameters; permission
 * integrations:action:execute), and through lib/dataActions/engine.ts on the same input. Any difference is
 * reported stage by stage: it is either an engine bug or a construct Genesys does not run the way the engine does
 * (#foreach, #set, ranges, .add(), $input in success templates: docs/architect.md).
 *
 * The response is Genesys' TestExecutionResult (platform-client-sdk-go platformclientv2/testexecutionresult.go,
 * testexecutionoperationresult.go): `operations[]` of {step, name, success, result, error}, `error` (ErrorBody),
 * `finalResult` ("the response that would be returned during normal action execution") and `success`. The names of
 * the operations are not documented, so they are shown as Genesys gives them and not mapped onto the engine's stages.
 */

export interface ErrorBody {
  message?: string;
  code?: string;
  status?: number;
}
export interface TestExecutionOperationResult {
  step?: number;
  name?: string;
  success?: boolean;
  result?: unknown;
  error?: ErrorBody;
}
export interface TestExecutionResult {
  operations?: TestExecutionOperationResult[];
  error?: ErrorBody;
  finalResult?: unknown;
  success?: boolean;
}

/** One line of the stage-by-stage view. */
export interface StageLine {
  source: "genesys" | "engine";
  stage: string;
  ok: boolean;
  detail?: string;
}

export interface ActionComparison {
  action: string;
  /** Why the action was not run (not deployed, writes to the HRIS). */
  skipped?: string;
  /** Genesys and the engine agree. */
  ok: boolean;
  differences: string[];
  stages: StageLine[];
}

export interface ActionSample {
  action: ExecutableAction;
  /** Sample input; undefined skips the action with `skipReason`. */
  input?: Record<string, unknown>;
  skipReason?: string;
}

const MAX_PATHS = 10;
/** The engine's stages in the order it runs them (lib/dataActions/engine.ts Stage). */
const ENGINE_STAGES: Stage[] = ["input", "auth", "render", "request", "response", "translation", "successTemplate", "output"];
const show = (v: unknown) => {
  const text = JSON.stringify(v);
  return text === undefined ? "nothing" : text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** JSON paths where two values differ (at most MAX_PATHS). */
export function jsonDifferences(genesys: unknown, engine: unknown, at = "$", out: string[] = []): string[] {
  if (out.length >= MAX_PATHS || isDeepStrictEqual(genesys, engine)) return out;
  const bothObjects = genesys && engine && typeof genesys === "object" && typeof engine === "object" && Array.isArray(genesys) === Array.isArray(engine);
  if (!bothObjects) {
    out.push(`${at}: Genesys ${show(genesys)}, engine ${show(engine)}`);
    return out;
  }
  const keys = Array.isArray(genesys)
    ? Array.from({ length: Math.max((genesys as unknown[]).length, (engine as unknown[]).length) }, (_, i) => i)
    : [...new Set([...Object.keys(genesys as object), ...Object.keys(engine as object)])].sort();
  for (const k of keys) jsonDifferences((genesys as Record<string, unknown>)[k], (engine as Record<string, unknown>)[k], typeof k === "number" ? `${at}[${k}]` : `${at}.${k}`, out);
  return out;
}

/** The stage-by-stage view and the differences between Genesys' test run and the engine's run of one action. */
export function compareRuns(genesys: TestExecutionResult, engine: ExecutionReport): { differences: string[]; stages: StageLine[] } {
  const stages: StageLine[] = [];
  const operations = [...(genesys.operations ?? [])].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
  for (const op of operations)
    stages.push({ source: "genesys", stage: `step ${op.step ?? "?"} ${op.name ?? "(unnamed)"}`, ok: op.success === true, detail: op.success ? undefined : op.error?.message });
  const failedAt = engine.failure ? ENGINE_STAGES.indexOf(engine.failure.stage) : ENGINE_STAGES.length;
  for (const [i, stage] of ENGINE_STAGES.entries()) {
    if (i === failedAt) {
      stages.push({ source: "engine", stage, ok: false, detail: `${engine.failure!.code}: ${engine.failure!.detail}` });
      break;
    }
    // The custom auth action runs only for OAuth credentials; show it when it failed.
    if (stage !== "auth") stages.push({ source: "engine", stage, ok: true });
  }

  const differences: string[] = [];
  const gOk = genesys.success === true;
  const failedOp = operations.find((o) => o.success === false);
  const gFailure = failedOp ? `failed at step ${failedOp.step ?? "?"} "${failedOp.name ?? ""}": ${failedOp.error?.message ?? genesys.error?.message ?? "no message"}` : `failed: ${genesys.error?.message ?? "no message"}`;
  const eFailure = engine.failure ? `failed at ${engine.failure.stage} (${engine.failure.code}): ${engine.failure.detail}` : "";
  if (gOk && !engine.ok) differences.push(`Genesys succeeded; the engine ${eFailure}`);
  else if (!gOk && engine.ok) differences.push(`the engine succeeded; Genesys ${gFailure}`);
  else if (gOk && engine.ok) for (const d of jsonDifferences(genesys.finalResult, engine.output)) differences.push(`final result differs at ${d}`);
  return { differences, stages };
}

/** Runs each sample through the org's test endpoint and through the engine, and compares them. */
export async function compareActions(opts: {
  api: GenesysApiOptions;
  token: string;
  samples: ActionSample[];
  engine: ExecuteOptions;
  log?: (line: string) => void;
}): Promise<ActionComparison[]> {
  const results: ActionComparison[] = [];
  for (const sample of opts.samples) {
    const name = sample.action.name;
    if (!sample.input) {
      results.push({ action: name, skipped: sample.skipReason ?? "no sample input", ok: true, differences: [], stages: [] });
      continue;
    }
    const found = await apiGetAll<{ id: string; name: string }>(opts.api, opts.token, `/api/v2/integrations/actions?name=${encodeURIComponent(name)}`, `Finding data action ${name}`);
    const exact = found.filter((a) => a.name === name);
    if (exact.length !== 1) {
      results.push({ action: name, ok: false, differences: [exact.length ? `${exact.length} data actions are named ${name}` : `no data action named ${name} is deployed (run pulumi up)`], stages: [] });
      continue;
    }
    opts.log?.(`testing data action ${name} in the org and offline`);
    const genesys = (await apiPost(opts.api, opts.token, `/api/v2/integrations/actions/${encodeURIComponent(exact[0].id)}/test`, sample.input, `Testing data action ${name}`)) as TestExecutionResult;
    const engine = await executeAction(sample.action, sample.input, opts.engine);
    const { differences, stages } = compareRuns(genesys, engine);
    results.push({ action: name, ok: differences.length === 0, differences, stages });
  }
  return results;
}

/** Request types that change the HRIS: the smoke test does not send sample data to them. */
export const WRITES = ["POST", "PUT", "PATCH", "DELETE"];

/** Values the smoke test has for the actions' inputs, by contract input name. */
export interface SampleContext {
  employeeId?: string;
  /** A day after today (YYYY-MM-DD). */
  day: string;
  timeOffTypeIds: string[];
  hoursPerDay: number;
}

/**
 * A sample input per action from its input contract: read-only actions get values the workflows found (an agent,
 * time-off types, a future day); actions that change the HRIS are skipped, since a test run really sends them.
 */
export function buildSamples(actions: (ExecutableAction & { request: { requestType: string } })[], ctx: SampleContext): ActionSample[] {
  const known: Record<string, string | undefined> = {
    employeeId: ctx.employeeId,
    start: ctx.day,
    end: ctx.day,
    timeOffTypeIds: ctx.timeOffTypeIds.join(","),
    hoursPerDay: String(ctx.hoursPerDay),
  };
  return actions.map((action) => {
    if (WRITES.includes(action.request.requestType.toUpperCase())) return { action, skipReason: `${action.request.requestType} changes the HRIS; the smoke test sends it no sample data` };
    const properties = Object.keys((action.contractInput.properties ?? {}) as object);
    const required = (action.contractInput.required ?? []) as string[];
    const missing = required.filter((k) => known[k] === undefined);
    if (missing.length) return { action, skipReason: `no sample value for its required input ${missing.join(", ")}` };
    return { action, input: Object.fromEntries(properties.filter((k) => known[k] !== undefined).map((k) => [k, known[k]])) };
  });
}
