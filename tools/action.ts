/**
 * Runs one data action of a stack offline, the way Genesys would, against the HRIS (or a fake of it).
 *
 *   npm run action -- <action name> [--stack dev] [--input key=value ...] [--hris-url http://127.0.0.1:PORT]
 *   npm run action -- --file <definition.json> [--input key=value ...] [--hris-url <url>] [--api-url <url>]
 *                     [--credential-type basicAuth|userDefined] [--auth-action <custom auth export.json>]
 *
 * With --file, any data action export runs (Web Services or Genesys Cloud actions), held to Genesys' own rules.
 * Its credentials come from the environment: DATA_ACTION_CREDENTIAL_<FIELD> (USER_NAME and PASSWORD for Basic
 * Auth) or GENESYS_CLOUD_ACCESS_TOKEN for a Genesys Cloud action; --hris-url sends the request to another origin
 * (a fake), keeping its path; --api-url is where relative /api/v2 URLs go. An action that reads ${authResponse.x}
 * (User Defined (OAuth) credential) runs after its custom auth action, given with --auth-action; a custom auth
 * export given as --file runs on its own, its output (the token) masked.
 *
 * Secrets come from the environment only (WFM_HRIS_HRIS_API_KEY, WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET); a missing one
 * fails before any request. Exits 0 only when the action succeeded and its output satisfies the output contract.
 */
import { hrisAdapter, withHrisBaseUrl } from "../hris";
import { executeAction, type ExecutableAction, ExecutionReport } from "../lib/dataActions/engine";
import * as path from "node:path";
import { CUSTOM_AUTH, loadDataActionExport, type LoadedExport } from "../lib/dataActions/exportFile";
import { isCredentialHeader } from "../lib/dataActions/literalCredentials";
import { coerceInputs, credentialFieldsRead, credentialsFor, fileCredentials, findAction, RunnerInputError } from "../lib/dataActions/runner";
import { isUserError } from "../lib/errors";
import { loadOfflineStack, secretFromEnv } from "../lib/plan/offlineStack";
import { loadStackContent } from "../lib/stackContent";
import { UsageError, inputFile, parseCommandLine, runCommand, secondsOption, stackChoice, urlOption } from "./cli";

const USAGE =
  "usage: npm run action -- <action name> [--stack <name>] [--stack-file <file>] [--input key=value ...] [--hris-url <url>] [--timeout <seconds>]\n" +
  "       npm run action -- --file <definition.json> [--input key=value ...] [--hris-url <url>] [--api-url <url>] [--credential-type basicAuth|userDefined] [--auth-action <custom auth export.json>] [--timeout <seconds>]";

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
    if (report.request.droppedHeaders) out.push(`    (not sent: ${report.request.droppedHeaders.join(", ")}; the HTTP client sets these itself)`);
    for (const [k, v] of Object.entries(report.request.headers)) out.push(`    ${k}: ${isCredentialHeader(k) ? "[secret]" : v}`);
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
      stack: { type: "string" },
      "stack-file": { type: "string" },
      input: { type: "string", multiple: true, default: [] },
      "hris-url": { type: "string" },
      "api-url": { type: "string" },
      file: { type: "string" },
      "credential-type": { type: "string" },
      "auth-action": { type: "string" },
      timeout: { type: "string" },
    },
  });
  const { values, positionals } = parsed;
  values["hris-url"] = urlOption("--hris-url", values["hris-url"]);
  values["api-url"] = urlOption("--api-url", values["api-url"]);
  const timeoutMs = secondsOption("--timeout", values.timeout);
  // --input may repeat, one per key; the same key twice would silently keep one of the values.
  const keys = values.input!.map((pair) => pair.slice(0, Math.max(0, pair.indexOf("="))));
  const twice = keys.find((k, i) => k && keys.indexOf(k) !== i);
  if (twice) throw new UsageError(`--input ${twice}= is given twice: give each input once`);
  if (values["auth-action"] && !values.file) throw new UsageError("--auth-action goes with --file (a stack's actions take their custom auth action from the stack)");
  if (values.file) {
    inputFile("--file", values.file);
    if (values["auth-action"]) inputFile("--auth-action", values["auth-action"]);
    if (positionals.length) throw new UsageError("give either an action name or --file, not both");
    return runFile(values.file, values, timeoutMs);
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `name one data action, not ${positionals.length}: ${positionals.join(" ")}` : "name one data action, e.g. npm run action -- get-balance --input employeeId=120");
  const { stack: stackName, stackFile } = stackChoice(values);
  try {
    const stack = loadOfflineStack(stackName, stackFile);
    const config = values["hris-url"] ? { ...stack.config, hris: withHrisBaseUrl(stack.config.hris, values["hris-url"]) } : stack.config;
    const content = loadStackContent(config);
    const action = findAction(content, positionals[0]);
    const input = coerceInputs(action, values.input!);
    const report = await executeAction(action, input, {
      // Only the environment: a stack file's `secure:` value is ciphertext this offline tool cannot decrypt, and
      // sending it (or a placeholder) as the credential would only earn a confusing 401.
      credentials: credentialsFor(config, content, (key) => secretFromEnv(key)),
      authAction: content.auth.customAuthAction,
      timeoutMs,
      errorHint: hrisAdapter(config.hris.kind).errorHint,
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

/**
 * Prints an export's warnings and errors; true when it can run. A credential written into the request is an error
 * here (a warning when an export is only read): running the export would send it, and the README promises that such
 * a credential is refused, never sent.
 */
function reportLoad(loaded: LoadedExport): loaded is LoadedExport & { action: ExecutableAction } {
  const errors = [...loaded.literalCredentials, ...loaded.errors];
  for (const w of loaded.warnings) if (!loaded.literalCredentials.includes(w)) process.stderr.write(`warning: ${w.file} ${w.path} ${w.problem}${w.fix ? ` (fix: ${w.fix})` : ""}\n`);
  for (const e of errors) process.stderr.write(`${e.file} ${e.path} ${e.problem}${e.fix ? ` (fix: ${e.fix})` : ""}\n`);
  if (loaded.literalCredentials.length) process.stderr.write("Nothing was sent.\n");
  return !errors.length && !!loaded.action;
}

async function runFile(
  file: string,
  values: { input?: string[]; "hris-url"?: string; "api-url"?: string; "credential-type"?: string; "auth-action"?: string },
  timeoutMs: number | undefined,
): Promise<number> {
  const loaded = loadDataActionExport(path.resolve(file), file);
  if (!reportLoad(loaded)) return 2;
  const action = loaded.action;
  const authFile = values["auth-action"];
  const auth = authFile ? loadDataActionExport(path.resolve(authFile), authFile) : undefined;
  if (auth && !reportLoad(auth)) return 2;
  try {
    if (auth && auth.actionType !== CUSTOM_AUTH)
      throw new RunnerInputError(`--auth-action ${authFile}: is not a custom auth action export (its actionType is ${auth.actionType ?? "not set"}, not ${CUSTOM_AUTH})`);
    if (auth && values["credential-type"] && values["credential-type"] !== "userDefinedOAuth")
      throw new RunnerInputError(`--auth-action needs --credential-type userDefinedOAuth (or none), not ${values["credential-type"]}`);
    if (!auth && (loaded.authResponseFields.length || values["credential-type"] === "userDefinedOAuth"))
      throw new RunnerInputError(
        `${file}: ${loaded.authResponseFields.length ? `reads ${loaded.authResponseFields.map((f) => `\${authResponse.${f}}`).join(", ")}, the output of its integration's custom auth action` : "a User Defined (OAuth) credential runs the integration's custom auth action first"}: give that action's export with --auth-action <file.customAuth.json>`,
      );
    const input = coerceInputs(action, values.input ?? []);
    const textsOf = (a: ExecutableAction) => [a.request.requestUrlTemplate, a.request.requestTemplate, ...Object.values(a.request.headers)];
    const texts = [...textsOf(action), ...(auth ? textsOf(auth.action!) : [])];
    const credentialType = auth ? "userDefinedOAuth" : values["credential-type"];
    // A credential variable set to blanks counts as unset: it would be sent as the credential.
    const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v?.trim()));
    const credentials = fileCredentials(loaded.integrationType, credentialType, credentialFieldsRead(texts), env);
    const target = values["hris-url"] ? new URL(values["hris-url"]) : undefined;
    // --hris-url: every request goes to that origin (a fake or a test server), keeping its path and query.
    const fetchImpl: typeof fetch | undefined = target
      ? (url, init) => {
          const u = new URL(String(url));
          return fetch(new URL(`${u.pathname}${u.search}`, target.origin), init);
        }
      : undefined;
    const apiBaseUrl = values["api-url"] ?? (loaded.integrationType === "purecloud-data-actions" ? target?.origin : undefined);
    const report = await executeAction(action, input, {
      credentials,
      apiBaseUrl,
      fetchImpl,
      timeoutMs,
      authAction: auth?.action,
      outputIsSecret: loaded.actionType === CUSTOM_AUTH,
    });
    print(action.name, report);
    return report.ok ? 0 : 1;
  } catch (e) {
    if (!(e instanceof RunnerInputError)) throw e;
    process.stderr.write(`${e.message}\n`);
    return 2;
  }
}

runCommand("action", USAGE, main);
