import { ChildProcess, fork } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../lib/paths";

/**
 * The tool host (test/helpers/toolHost.cjs), which most tests run the tools in: a run ends and shows what the tool's
 * own process would (exit code, stdout, stderr, Node's report of an error nothing handles), and leaves nothing behind
 * for the next run. Checked with small tools of its own; test/badInputs.test.ts checks the real tools against their
 * processes.
 */

interface Answer {
  status: number;
  stdout: string;
  stderr: string;
  left: string[];
}

const tools = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-tool-host-"));
const TOOLS: Record<string, string> = {
  exits: 'process.stdout.write("out\\n"); process.stderr.write("err\\n"); process.exit(3);',
  afterExit: 'process.stdout.write("a"); setTimeout(() => process.stdout.write("late"), 0); process.exit(0); process.stdout.write("b");',
  exitsLater: "setTimeout(() => process.exit(4), 5);",
  throwsOnLoad: 'throw new Error("boom on load");',
  throwsLater: 'setTimeout(() => { throw new Error("boom later"); }, 0);',
  rejects: 'Promise.reject(new Error("rejected"));',
  handles: 'process.on("uncaughtException", (e) => { process.stderr.write(`handled: ${e.message}\\n`); process.exit(2); }); setTimeout(() => { throw new Error("oops"); }, 0);',
  env: "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), x: process.env.WFM_X ?? null, cwd: process.cwd() })); process.exit(0);",
  listens: 'require("node:net").createServer().listen(0, "127.0.0.1", () => process.exit(0));',
};
for (const [name, code] of Object.entries(TOOLS)) fs.writeFileSync(path.join(tools, `${name}.js`), code);

let host: ChildProcess;
let next = 0;
function run(tool: string, args: string[] = [], env: Record<string, string> = {}, cwd = PROJECT_ROOT): Promise<Answer> {
  const id = ++next;
  return new Promise((resolve, reject) => {
    const died = (code: number | null) => reject(new Error(`the tool host exited (${code}) during the run of ${tool}`));
    const onMessage = (m: Answer & { id: number }) => {
      if (m.id !== id) return;
      host.off("message", onMessage);
      host.off("exit", died);
      resolve({ status: m.status, stdout: m.stdout, stderr: m.stderr, left: m.left });
    };
    host.on("message", onMessage);
    host.once("exit", died);
    host.send({ id, tool, args, env: { PATH: process.env.PATH ?? "", ...env }, cwd });
  });
}

beforeAll(() => {
  host = fork(path.join(PROJECT_ROOT, "test/helpers/toolHost.cjs"), [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: "", WFM_TEST_HOST_TOOLS: tools },
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
});
afterAll(() => {
  host.kill();
  fs.rmSync(tools, { recursive: true, force: true });
});

const NODE_REPORT = /^\s+at .+/m;

describe("the tool host", () => {
  it("answers a run with its exit code, stdout and stderr", async () => {
    expect(await run("exits")).toEqual({ status: 3, stdout: "out\n", stderr: "err\n", left: [] });
    expect(await run("exitsLater")).toMatchObject({ status: 4, stdout: "", stderr: "" });
  });

  it("ends a run at process.exit: the code after it does not run, and nothing written later is seen", async () => {
    expect(await run("afterExit")).toMatchObject({ status: 0, stdout: "a" });
  });

  it("reports an error nothing handles as Node does, with exit 1 and the stack, on load, later, or as a rejection", async () => {
    for (const [tool, message] of [["throwsOnLoad", "Error: boom on load"], ["throwsLater", "Error: boom later"], ["rejects", "Error: rejected"]]) {
      const r = await run(tool);
      expect(r.status, tool).toBe(1);
      expect(r.stderr, tool).toContain(message);
      expect(r.stderr, tool).toMatch(NODE_REPORT);
    }
  });

  it("lets a tool's own handler decide, and removes the handler after the run", async () => {
    expect(await run("handles")).toMatchObject({ status: 2, stderr: "handled: oops\n" });
    const after = await run("throwsLater");
    expect(after.status).toBe(1);
    expect(after.stderr).not.toContain("handled");
  });

  it("gives each run its arguments, exactly its environment and its folder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-tool-host-cwd-"));
    const first = JSON.parse((await run("env", ["--a", "b"], { WFM_X: "1" }, dir)).stdout);
    expect(first).toEqual({ argv: ["--a", "b"], x: "1", cwd: fs.realpathSync(dir) });
    const second = JSON.parse((await run("env")).stdout);
    expect(second).toEqual({ argv: [], x: null, cwd: PROJECT_ROOT });
  });

  it("says what a run left open, so its host is retired", async () => {
    const r = await run("listens");
    expect(r.status).toBe(0);
    expect(r.left).toEqual(["1 TCPServerWrap"]);
  });
});
