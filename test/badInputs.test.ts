import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUserError } from "../lib/errors";
import { loadOfflineStack } from "../lib/plan/offlineStack";
import { loadStackContent } from "../lib/stackContent";
import { directoryReader } from "../lib/veza/prepare";
import { PROJECT_ROOT } from "../lib/paths";
import { BAD_INPUTS, BadInput, HELP } from "./badInputs/cases";
import { runProcess, toolCommand } from "./helpers/cli";
import { runInHost } from "./helpers/processes";

/**
 * The bad-input battery (test/badInputs/cases.ts): every case runs as its npm script would, each in its own scratch
 * folder, in a tool host (test/helpers/toolHost.cjs: the tool run in-process, as its own process would run it) and,
 * for the cases marked asProcess (at least one per npm script), also in a process of its own through the script's
 * command line, which must end the same way. At most one process per core at a time and no time limit. Each must
 * exit as expected, name what to fix, print no stack trace and never print a planted credential.
 */

interface Outcome {
  status: number;
  output: string;
}

let busy: net.Server;
let busyPort = 0;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-bad-inputs-"));
const outcomes = new Map<string, Promise<Outcome>>();
/** The asProcess cases' outcomes in a process of their own, their scratch folder written as {dir}. */
const processOutcomes = new Map<string, Promise<Outcome>>();

/** The tools read these; a developer's or CI's own values must not change a case. */
const CLEARED_ENV = ["WFM_HRIS_HRIS_API_KEY", "WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET", "VEZA_API_KEY", "GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_SECRET", "WFM_HRIS_DEBUG"];

/** A scratch folder with the case's files; {dir} and {busyPort} filled in. */
function prepare(c: BadInput, dir: string): (s: string) => string {
  fs.mkdirSync(dir, { recursive: true });
  const fill = (s: string) => s.replaceAll("{dir}", dir).replaceAll("{busyPort}", String(busyPort));
  for (const [file, text] of Object.entries(c.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof text === "string" ? fill(text) : text);
  }
  return fill;
}

/** The environment `npm run` gives the tool: this one, without npm's own settings (npm_config_*) and the cleared keys, with the case's. */
function caseEnv(c: BadInput, fill: (s: string) => string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("npm_config_") && k !== "npm_lifecycle_event" && !CLEARED_ENV.includes(k)) env[k] = v;
  return Object.assign(env, { NODE_OPTIONS: "" }, Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, fill(v)])));
}

async function run(c: BadInput, index: number): Promise<Outcome> {
  const dir = path.join(scratch, String(index));
  const fill = prepare(c, dir);
  if (c.inProcess) return inProcess(c.inProcess, dir, c.exit);
  const { tool } = toolCommand({ script: c.script });
  const r = await runInHost({ tool, args: c.args.map(fill), env: caseEnv(c, fill), cwd: PROJECT_ROOT });
  return { status: r.status, output: withDirShown(`${r.stdout}${r.stderr}`, dir) };
}

/** The case's scratch folder as {dir} in what a tool printed, absolute or relative to the project (tools print either). */
function withDirShown(text: string, dir: string): string {
  return text.replaceAll(dir, "{dir}").replaceAll(path.relative(PROJECT_ROOT, dir), "{dir}");
}

/** An asProcess case in a process of its own (its own scratch folder, shown as {dir} in the output). */
async function runAsProcess(c: BadInput, index: number): Promise<Outcome> {
  const dir = path.join(scratch, `${index}-process`);
  const fill = prepare(c, dir);
  const { command } = toolCommand({ script: c.script });
  const r = await runProcess([...command, ...c.args.map(fill)], caseEnv(c, fill));
  return { status: r.status, output: withDirShown(`${r.stdout}${r.stderr}`, dir) };
}

/**
 * What the tool does with the stack file (and report), in this process: a user error is the message the tool prints
 * and its exit code; anything else would be a crash, reported with its stack so the test shows it.
 */
function inProcess(spec: NonNullable<BadInput["inProcess"]>, dir: string, exit: number): Outcome {
  try {
    const stack = loadOfflineStack(spec.stack, path.join(dir, spec.stackFile));
    if (spec.report) directoryReader(stack.config).readReportFile(path.join(dir, spec.report));
    else loadStackContent(stack.config);
    return { status: 0, output: "" };
  } catch (e) {
    return isUserError(e) ? { status: exit, output: e.message } : { status: 1, output: String((e as Error).stack) };
  }
}

for (const key of CLEARED_ENV) delete process.env[key];

beforeAll(async () => {
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
  [...HELP, ...BAD_INPUTS].forEach((c, i) => {
    outcomes.set(c.name, run(c, i));
    if (c.asProcess) processOutcomes.set(c.name, runAsProcess(c, i));
  });
});

afterAll(async () => {
  await Promise.all([...outcomes.values(), ...processOutcomes.values()]);
  await new Promise((resolve) => busy.close(resolve));
  fs.rmSync(scratch, { recursive: true, force: true });
});

const STACK_TRACE = /^\s+at .+|node:internal|\n\s*\^\s*\n/m;

/** A bad input's outcome: no stack trace, no planted credential, the expected words and exit code. */
function expectCleanOutcome(c: (typeof BAD_INPUTS)[number], { status, output }: { status: number; output: string }): void {
  expect(output, "a stack trace").not.toMatch(STACK_TRACE);
  for (const canary of c.canaries ?? []) expect(output, "a planted credential was printed").not.toContain(canary);
  for (const fragment of c.expect) expect(output).toContain(fragment);
  expect(status, output).toBe(c.exit);
}

describe("the bad-input battery", () => {
  it("has at least 150 bad inputs, each named once, across every npm script that runs a tool", () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(150);
    const names = [...HELP, ...BAD_INPUTS].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    const tools = Object.keys(scripts).filter((s) => scripts[s].includes("tools/run.cjs"));
    expect(new Set(BAD_INPUTS.map((c) => c.script))).toEqual(new Set(tools));
  });

  it.each(HELP.map((c) => [c.name, c] as const))("%s, exit 0", async (_, c) => {
    const { status, output } = await outcomes.get(c.name)!;
    expect(output).not.toMatch(STACK_TRACE);
    for (const fragment of c.expect) expect(output).toContain(fragment);
    expect(status).toBe(0);
  });

  it.each(BAD_INPUTS.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    expectCleanOutcome(c, await outcomes.get(c.name)!);
  });
});

describe("the bad-input battery in processes of their own", () => {
  const asProcess = [...HELP, ...BAD_INPUTS].filter((c) => c.asProcess);

  it("runs at least one case of every npm script that runs a tool in a process of its own, ending with exit 0, 1 and 2", () => {
    expect(new Set(asProcess.map((c) => c.script))).toEqual(new Set(BAD_INPUTS.map((c) => c.script)));
    expect(new Set(asProcess.map((c) => c.exit))).toEqual(new Set([0, 1, 2]));
    expect(asProcess.filter((c) => c.inProcess)).toEqual([]);
  });

  it.each(asProcess.map((c) => [c.name, c] as const))("%s: the same in a process of its own", async (_, c) => {
    const { status, output } = await processOutcomes.get(c.name)!;
    expectCleanOutcome(c, { status, output });
    // The tool host runs the tool as its process does: the same exit code, the same words.
    expect(await outcomes.get(c.name)!).toEqual({ status, output });
  });
});
