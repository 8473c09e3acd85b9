/**
 * Post-deploy smoke test: runs the deployed workflows in the org and checks their outputs against the WFM HRIS
 * contract, then runs each deployed read-only data action through Genesys' action test endpoint and the offline
 * engine and reports any difference stage by stage. Read-only by default.
 *
 *   npm run smoke -- --stack <s> [--write --test-agent <HRIS id>] [--skip-actions]
 *
 * The data actions step also needs the HRIS credential (WFM_HRIS_HRIS_API_KEY or WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET,
 * else the stack file), since the engine calls the HRIS itself; without it the step is skipped and says so.
 * Credentials: genesys.oauthClientId (or GENESYSCLOUD_OAUTHCLIENT_ID) and GENESYSCLOUD_OAUTHCLIENT_SECRET.
 */
import * as path from "node:path";
import { AUTH_SECRET, hrisAdapter, withHrisBaseUrl } from "../hris";
import { isUserError } from "../lib/errors";
import { loadWorkflowSpecs } from "../lib/flows/contract";
import { GenesysApiError } from "../lib/genesys/api";
import { SECRET_ENV, loadOfflineStack } from "../lib/plan/offlineStack";
import { SmokeResult, runSmoke, runSmokeWithActions } from "../lib/smoke";
import { ActionComparison } from "../lib/smokeActions";
import { credentialsFor } from "../lib/dataActions/runner";
import { loadStackContent } from "../lib/stackContent";
import { PROJECT_ROOT } from "../lib/paths";
import { UsageError, intOption, parseCommandLine, runCommand, stackChoice, urlOption } from "./cli";

const USAGE = "usage: npm run smoke -- [--stack <name>] [--stack-file <file>] [--write --test-agent <HRIS agent id>] [--skip-actions] [--api-url <url>] [--hris-url <url>]";

async function main(): Promise<number> {
  const values = parseCommandLine({
    options: {
      stack: { type: "string" },
      "stack-file": { type: "string" },
      write: { type: "boolean", default: false },
      "test-agent": { type: "string" },
      "api-url": { type: "string" },
      "poll-ms": { type: "string", default: "2000" },
      "skip-actions": { type: "boolean", default: false },
      "hris-url": { type: "string" },
    },
  }).values;
  if (values.write && !values["test-agent"]?.trim()) throw new UsageError("--write creates and cancels a real time-off request: name the agent with --test-agent <HRIS id>");
  const apiUrl = urlOption("--api-url", values["api-url"]);
  const hrisUrl = urlOption("--hris-url", values["hris-url"]);
  const pollMs = intOption("--poll-ms", values["poll-ms"]!, 1, 600000, "2000");
  const { stack: stackName, stackFile } = stackChoice(values);
  const stack = loadOfflineStack(stackName, stackFile);
  const { config } = stack;
  const clientId = config.genesys.oauthClientId ?? (process.env.GENESYSCLOUD_OAUTHCLIENT_ID?.trim() || undefined);
  const clientSecret = stack.secret("genesysOauthClientSecret");
  if (!clientId || !clientSecret) {
    process.stderr.write("The smoke test needs Genesys credentials: genesys.oauthClientId (or GENESYSCLOUD_OAUTHCLIENT_ID) and GENESYSCLOUD_OAUTHCLIENT_SECRET\n");
    return 2;
  }
  const specs = loadWorkflowSpecs(path.join(PROJECT_ROOT, "flows"));
  const flowNames = Object.fromEntries(
    specs.filter((s) => s.task !== "getAgents" || config.wfm.syncUserAccountIds).map((s) => [s.task, `${config.genesys.flowNamePrefix}${s.name}`]),
  );
  const smoke = {
    api: { region: config.genesys.region, apiBaseUrl: apiUrl, loginBaseUrl: apiUrl, clientId, clientSecret },
    specs,
    flowNames,
    write: values.write!,
    testAgent: values["test-agent"],
    today: new Date().toISOString().slice(0, 10),
    pollIntervalMs: pollMs,
    log: (line: string) => process.stdout.write(`${line}\n`),
  };
  // The engine calls the HRIS itself: --hris-url points it at another base URL (a fake, a proxy) like npm run action.
  const engineConfig = hrisUrl ? { ...config, hris: withHrisBaseUrl(config.hris, hrisUrl) } : config;
  const content = loadStackContent(engineConfig);
  const hrisSecretKey = AUTH_SECRET[config.hris.auth.type];
  const actionsSkipped: string | undefined = values["skip-actions"]
    ? "--skip-actions"
    : !stack.secret(hrisSecretKey)
      ? `the offline engine needs the HRIS credential (${SECRET_ENV[hrisSecretKey]})`
      : undefined;
  let workflows: SmokeResult[];
  let actions: ActionComparison[] = [];
  if (actionsSkipped) workflows = await runSmoke(smoke);
  else
    ({ workflows, actions } = await runSmokeWithActions(smoke, {
      actions: content.actions,
      // Only here: without the HRIS credential the step is skipped (said above), never run with a placeholder.
      engine: { credentials: credentialsFor(engineConfig, content, stack.secret), authAction: content.auth.customAuthAction, errorHint: hrisAdapter(config.hris.kind).errorHint },
      hoursPerDay: config.hris.hoursPerDay,
    }));
  for (const r of workflows) process.stdout.write(`${r.ok ? "ok    " : "FAILED"} ${r.task} (${r.flowName})${r.problems.map((p) => `\n       - ${p}`).join("")}\n`);
  if (actionsSkipped) process.stdout.write(`skipped the data actions step: ${actionsSkipped}\n`);
  for (const a of actions) {
    if (a.skipped) {
      process.stdout.write(`skip   data action ${a.action}: ${a.skipped}\n`);
      continue;
    }
    process.stdout.write(`${a.ok ? "ok    " : "DIFFERS"} data action ${a.action}${a.differences.map((d) => `\n       - ${d}`).join("")}\n`);
    if (!a.ok) for (const s of a.stages) process.stdout.write(`         ${s.source.padEnd(7)} ${s.ok ? "ok    " : "failed"} ${s.stage}${s.detail ? `: ${s.detail}` : ""}\n`);
  }
  const checked = [...workflows.map((r) => r.ok), ...actions.filter((a) => !a.skipped).map((a) => a.ok)];
  const failed = checked.filter((ok) => !ok).length;
  process.stdout.write(`${checked.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

runCommand("smoke test", USAGE, main, (e) => isUserError(e) || e instanceof GenesysApiError);
