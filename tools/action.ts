/**
 * Runs one data action of a stack offline, the way Genesys would, against the HRIS (or a fake of it).
 *
 *   npm run action -- <action name> [--stack dev] [--input key=value ...] [--hris-url http://127.0.0.1:PORT]
 *
 * Secrets come from the environment (WFM_HRIS_HRIS_API_KEY, WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET), else the stack
 * file. Exits 0 only when the action succeeded and its output satisfies the output contract.
 */
import { withHrisBaseUrl } from "../hris";
import { executeAction, ExecutionReport } from "../lib/dataActions/engine";
import { coerceInputs, credentialsFor, findAction } from "../lib/dataActions/runner";
import { isUserError } from "../lib/errors";
import { loadOfflineStack } from "../lib/plan/offlineStack";
import { loadStackContent } from "../lib/stackContent";
import { UsageError, parseCommandLine, runCommand } from "./cli";

const USAGE = "usage: npm run action -- <action name> [--stack <name>] [--stack-file <file>] [--input key=value ...] [--hris-url <url>] [--timeout <seconds>]";

const pretty = (text: string) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
};
const MAX_BODY = 4000;
const clip = (s: string) => (s.length > MAX_BODY ? `${s.slice(0, MAX_BODY)}\n… (${s.length - MAX_BODY} more characters)` : s);
const indent = (s: string) => s.replace(/^/gm, "    ");

function print(name: string, report: ExecutionReport) {
  const out: string[] = [`Data action ${name}`];
  if (report.request) {
    out.push("", "Request:", `    ${report.request.method} ${report.request.url}`);
    for (const [k, v] of Object.entries(report.request.headers)) out.push(`    ${k}: ${v}`);
    if (report.request.body !== undefined) out.push("", indent(pretty(report.request.body)));
  }
  if (report.response) {
    out.push("", `Response: HTTP ${report.response.status} (${report.response.headers["content-type"] ?? "no content type"})`);
    if (report.response.body) out.push(indent(clip(pretty(report.response.body))));
  }
  if (report.output !== undefined) out.push("", "Output:", indent(clip(JSON.stringify(report.output, null, 2))));
  if (report.flattened) {
    out.push("", "Flattened (as Architect sees it):");
    for (const [k, v] of Object.entries(report.flattened)) {
      const shown = Array.isArray(v) && v.length > 10 ? `${JSON.stringify(v.slice(0, 10)).slice(0, -1)}, … ${v.length} items]` : JSON.stringify(v);
      out.push(`    ${k}: ${shown}`);
    }
  }
  out.push("", report.ok ? "Verdict: success; the output satisfies the output contract" : `Verdict: FAILED ${report.failure!.message}`);
  process.stdout.write(out.join("\n") + "\n");
}

async function main(): Promise<number> {
  const parsed = parseCommandLine({
      allowPositionals: true,
    options: {
      stack: { type: "string", default: "dev" },
      "stack-file": { type: "string" },
      input: { type: "string", multiple: true, default: [] },
      "hris-url": { type: "string" },
      timeout: { type: "string" },
    },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError("name one data action");
  try {
    const stack = loadOfflineStack(values.stack!, values["stack-file"]);
    const config = values["hris-url"] ? { ...stack.config, hris: withHrisBaseUrl(stack.config.hris, values["hris-url"]) } : stack.config;
    const content = loadStackContent(config);
    const action = findAction(content, positionals[0]);
    const input = coerceInputs(action, values.input!);
    const report = await executeAction(action, input, {
      credentials: credentialsFor(config, content, stack.secret),
      authAction: content.auth.customAuthAction,
      timeoutMs: values.timeout ? Number(values.timeout) * 1000 : undefined,
    });
    print(action.name, report);
    return report.ok ? 0 : 1;
  } catch (e) {
    // A wrong action name or input is a usage problem: exit 2 like one.
    if (!isUserError(e)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
}

runCommand("action", USAGE, main);
