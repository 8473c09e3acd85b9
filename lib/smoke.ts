import { WorkflowSpec, WorkflowTask } from "./flows/contract";
import { ExecutableAction, ExecuteOptions } from "./dataActions/engine";
import { GenesysApiOptions, apiGet, apiGetAll, apiPost, getAccessToken } from "./genesys/api";
import { ActionComparison, buildSamples, compareActions } from "./smokeActions";

/**
 * The blueprint's "test the workflows" step, automated: run each deployed workflow through
 * POST /api/v2/flows/executions, poll it to the end, and check its outputs against the WFM HRIS contract.
 * Read-only unless `write` is set (then a request is created for a test agent and canceled again).
 * runSmokeWithActions adds the data actions step: the org's action test endpoint against the offline engine.
 */

export interface SmokeOptions {
  api: GenesysApiOptions;
  specs: WorkflowSpec[];
  /** Deployed flow name per task. */
  flowNames: Partial<Record<WorkflowTask, string>>;
  /** Create and cancel a time-off request for `testAgent`. */
  write: boolean;
  /** HRIS id of an agent to use; else the first agent the get-agents workflow returns. */
  testAgent?: string;
  /** The day the test runs (YYYY-MM-DD); dates used are after it. */
  today: string;
  pollIntervalMs?: number;
  executionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface SmokeResult {
  task: WorkflowTask;
  flowName: string;
  ok: boolean;
  problems: string[];
  outputs?: Record<string, unknown>;
}

const FINAL_OK = ["COMPLETED", "COMPLETE"];
const FINAL_FAILED = ["FAILED", "ERROR", "TERMINATED", "CANCELED", "CANCELLED"];

const addDays = (ymd: string, days: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Outputs keyed by contract name, whether Genesys reports them as `Flow.x` or `x`. */
function outputsOf(data: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data ?? {}).map(([k, v]) => [k.replace(/^Flow\./, ""), v]));
}

/** Problems with a workflow's outputs: contract types, WFM status, aligned lists. */
export function checkOutputs(spec: WorkflowSpec, outputs: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const v of spec.variables.filter((x) => x.direction === "output")) {
    const value = outputs[v.name];
    if (value === undefined || value === null) {
      // Genesys omits unset outputs; only the status triple must always be there.
      if (["status", "statusCode"].includes(v.name)) problems.push(`output ${v.name} is missing`);
      continue;
    }
    if (v.collection) {
      if (!Array.isArray(value) || value.some((x) => typeof x !== "string")) problems.push(`output ${v.name} must be a list of strings; got ${JSON.stringify(value).slice(0, 80)}`);
    } else if (v.type === "integer" ? !Number.isInteger(typeof value === "string" ? Number(value) : value) : typeof value !== "string")
      problems.push(`output ${v.name} must be ${v.type === "integer" ? "an integer" : "a string"}; got ${JSON.stringify(value)}`);
  }
  const status = outputs.status;
  const code = Number(outputs.statusCode);
  if (status !== "Complete" || code !== 200)
    problems.push(`the workflow reported status ${JSON.stringify(status)} with statusCode ${outputs.statusCode}${outputs.errorMsg ? `: ${outputs.errorMsg}` : ""}`);
  const sameLength = (...names: string[]) => {
    const lengths = names.map((n) => (Array.isArray(outputs[n]) ? (outputs[n] as unknown[]).length : 0));
    if (new Set(lengths).size > 1) problems.push(`outputs ${names.join(", ")} must be aligned; their lengths are ${lengths.join(", ")}`);
  };
  if (spec.task === "getTimeOffTypes") sameLength("ids", "names");
  if (spec.task === "getBalance") sameLength("dates", "timeOffTypeIds", "balanceMinutesPerDay");
  if (spec.task === "getAgents") {
    sameLength("emails", "externalIds");
    for (let i = 1; i <= 24; i++) sameLength(`emails${i}`, `externalIds${i}`);
  }
  return problems;
}

export async function runSmoke(opts: SmokeOptions): Promise<SmokeResult[]> {
  const log = opts.log ?? (() => {});
  const token = await getAccessToken(opts.api);
  const spec = (t: WorkflowTask) => opts.specs.find((s) => s.task === t)!;
  const results: SmokeResult[] = [];

  const run = async (task: WorkflowTask, inputs: Record<string, unknown>): Promise<SmokeResult> => {
    const flowName = opts.flowNames[task]!;
    const result: SmokeResult = { task, flowName, ok: false, problems: [] };
    results.push(result);
    const flows = await apiGetAll<{ id: string; name: string }>(opts.api, token, `/api/v2/flows?name=${encodeURIComponent(flowName)}&type=workflow`, `Finding workflow ${flowName}`);
    const exact = flows.filter((f) => f.name === flowName);
    if (exact.length !== 1) {
      result.problems.push(exact.length === 0 ? `no workflow named ${flowName} is deployed (run pulumi up)` : `${exact.length} workflows are named ${flowName}`);
      return result;
    }
    const inputData = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`Flow.${k}`, v]));
    log(`running ${flowName} (${task})`);
    const launched = (await apiPost(opts.api, token, "/api/v2/flows/executions", { flowId: exact[0].id, inputData, name: `wfm-hris smoke test ${task}` }, `Launching ${flowName}`)) as { id: string };
    const deadline = Date.now() + (opts.executionTimeoutMs ?? 120_000);
    for (;;) {
      const execution = (await apiGet(opts.api, token, `/api/v2/flows/executions/${encodeURIComponent(launched.id)}`, `Polling ${flowName}`)) as {
        status?: string;
        outputData?: Record<string, unknown>;
        flowErrorInfo?: { message?: string };
      };
      const status = String(execution.status ?? "").toUpperCase();
      if (FINAL_OK.includes(status)) {
        result.outputs = outputsOf(execution.outputData);
        result.problems.push(...checkOutputs(spec(task), result.outputs));
        break;
      }
      if (FINAL_FAILED.includes(status)) {
        result.problems.push(`the execution ended ${status}${execution.flowErrorInfo?.message ? `: ${execution.flowErrorInfo.message}` : ""}`);
        break;
      }
      if (Date.now() > deadline) {
        result.problems.push(`the execution did not finish within ${(opts.executionTimeoutMs ?? 120_000) / 1000} s (last status ${status || "unknown"})`);
        break;
      }
      await new Promise((r) => setTimeout(r, opts.pollIntervalMs ?? 2000));
    }
    result.ok = result.problems.length === 0;
    return result;
  };

  const types = await run("getTimeOffTypes", {});
  const agents = opts.flowNames.getAgents ? await run("getAgents", {}) : undefined;
  const agentId = opts.testAgent ?? (agents?.outputs?.externalIds as string[] | undefined)?.[0];
  const typeIds = ((types.outputs?.ids as string[] | undefined) ?? []).slice(0, 2);
  if (!agentId || typeIds.length === 0) {
    results.push({
      task: "getBalance",
      flowName: opts.flowNames.getBalance!,
      ok: false,
      problems: [`skipped: needs ${!agentId ? "an agent (pass --test-agent or map get-agents)" : "time-off types"} from the earlier workflows`],
    });
    return results;
  }
  const dates = [addDays(opts.today, 7), addDays(opts.today, 8)];
  await run("getBalance", { agentId, inputDates: dates, inputTimeOffTypeIds: typeIds, inputTimeOffTypeId2s: [] });

  if (opts.write) {
    const day = addDays(opts.today, 30);
    const request = { agentId, dates: [day], payableMinutes: ["60"], durationMinutes: ["60"], startDateTimes: [`${day}T09:00:00Z`], minDate: day, maxDate: day, timeOffTypeId: typeIds[0], timeOffTypeId2: "", notes: "wfm-hris smoke test" };
    const inserted = await run("insertTimeOff", { ...request, timeOffStatus: "APPROVED" });
    const requestId = inserted.outputs?.timeOffRequestId as string | undefined;
    if (requestId) await run("updateTimeOff", { ...request, timeOffStatus: "CANCELED", inputTimeOffRequestId: requestId, notes: "wfm-hris smoke test: cleaning up" });
    else results.push({ task: "updateTimeOff", flowName: opts.flowNames.updateTimeOff!, ok: false, problems: ["skipped: the insert returned no timeOffRequestId"] });
  }
  return results;
}

/** The data actions step: every deployed action through the org's test endpoint and the offline engine. */
export interface ActionCheckOptions {
  actions: (ExecutableAction & { request: { requestType: string } })[];
  engine: ExecuteOptions;
  hoursPerDay: number;
}

/**
 * The workflows, then the data actions on inputs the workflows found (the agent, the time-off types, a day a week
 * ahead), each compared stage by stage with the offline engine (lib/smokeActions.ts).
 */
export async function runSmokeWithActions(opts: SmokeOptions, check: ActionCheckOptions): Promise<{ workflows: SmokeResult[]; actions: ActionComparison[] }> {
  const workflows = await runSmoke(opts);
  const outputs = (task: WorkflowTask) => workflows.find((r) => r.task === task)?.outputs;
  const samples = buildSamples(check.actions, {
    employeeId: opts.testAgent ?? (outputs("getAgents")?.externalIds as string[] | undefined)?.[0],
    day: addDays(opts.today, 7),
    timeOffTypeIds: ((outputs("getTimeOffTypes")?.ids as string[] | undefined) ?? []).slice(0, 2),
    hoursPerDay: check.hoursPerDay,
  });
  const token = await getAccessToken(opts.api);
  const actions = await compareActions({ api: opts.api, token, samples, engine: check.engine, log: opts.log });
  return { workflows, actions };
}
