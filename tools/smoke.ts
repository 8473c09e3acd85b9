/**
 * Post-deploy smoke test: runs the deployed workflows in the org and checks their outputs against the WFM HRIS
 * contract. Read-only by default.
 *
 *   npm run smoke -- --stack <s> [--write --test-agent <HRIS id>]
 *
 * Credentials: genesys.oauthClientId (or GENESYSCLOUD_OAUTHCLIENT_ID) and GENESYSCLOUD_OAUTHCLIENT_SECRET.
 */
import * as path from "node:path";
import { isUserError } from "../lib/errors";
import { loadWorkflowSpecs } from "../lib/flows/contract";
import { GenesysApiError } from "../lib/genesys/api";
import { loadOfflineStack } from "../lib/plan/offlineStack";
import { runSmoke } from "../lib/smoke";
import { PROJECT_ROOT } from "../lib/paths";
import { UsageError, parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run smoke -- [--stack <name>] [--stack-file <file>] [--write --test-agent <HRIS agent id>] [--api-url <url>]";

async function main(): Promise<number> {
  const values = parseCommandLine({
    options: {
      stack: { type: "string", default: "dev" },
      "stack-file": { type: "string" },
      write: { type: "boolean", default: false },
      "test-agent": { type: "string" },
      "api-url": { type: "string" },
      "poll-ms": { type: "string", default: "2000" },
    },
  }).values;
  if (values.write && !values["test-agent"]) throw new UsageError("--write creates and cancels a real time-off request: name the agent with --test-agent <HRIS id>");
  const stack = loadOfflineStack(values.stack!, values["stack-file"]);
  const { config } = stack;
  const clientId = config.genesys.oauthClientId ?? process.env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = stack.secret("genesysOauthClientSecret");
  if (!clientId || !clientSecret) {
    process.stderr.write("The smoke test needs Genesys credentials: genesys.oauthClientId (or GENESYSCLOUD_OAUTHCLIENT_ID) and GENESYSCLOUD_OAUTHCLIENT_SECRET\n");
    return 2;
  }
  const specs = loadWorkflowSpecs(path.join(PROJECT_ROOT, "flows"));
  const flowNames = Object.fromEntries(
    specs.filter((s) => s.task !== "getAgents" || config.wfm.syncUserAccountIds).map((s) => [s.task, `${config.genesys.flowNamePrefix}${s.name}`]),
  );
  const results = await runSmoke({
    api: { region: config.genesys.region, apiBaseUrl: values["api-url"], loginBaseUrl: values["api-url"], clientId, clientSecret },
    specs,
    flowNames,
    write: values.write!,
    testAgent: values["test-agent"],
    today: new Date().toISOString().slice(0, 10),
    pollIntervalMs: Number(values["poll-ms"]),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  for (const r of results) process.stdout.write(`${r.ok ? "ok    " : "FAILED"} ${r.task} (${r.flowName})${r.problems.map((p) => `\n       - ${p}`).join("")}\n`);
  const failed = results.filter((r) => !r.ok).length;
  process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

runCommand("smoke test", USAGE, main, (e) => isUserError(e) || e instanceof GenesysApiError);
