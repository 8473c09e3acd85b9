/**
 * What a compiled tool loads (tools/deferModules.cjs, lib/config/validationCache.ts): a stack's start-up loads what
 * that stack uses. Each command runs as npm runs it (node tools/run.cjs), with a preload that records every module
 * the process loaded.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../lib/paths";
import { withProcessSlot } from "./helpers/processes";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-startup-laziness-"));
/** Preload: on exit, writes the files of every loaded module to $LOADED_MODULES. */
const PRELOAD = path.join(dir, "record.cjs");
fs.writeFileSync(PRELOAD, 'process.on("exit", () => require("node:fs").writeFileSync(process.env.LOADED_MODULES, Object.keys(require.cache).join("\\n")));\n');

interface Loaded {
  status: number;
  stdout: string;
  modules: string[];
}
/** Runs a tool as the npm scripts do; the modules it loaded, relative to the project (node_modules/<package>/...). */
function loadedBy(args: string[]): Promise<Loaded> {
  const list = path.join(dir, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  return withProcessSlot(
    () =>
      new Promise((resolve) =>
        execFile(
          process.execPath,
          ["-r", PRELOAD, path.join(PROJECT_ROOT, "tools", "run.cjs"), ...args],
          { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, LOADED_MODULES: list } },
          (e, stdout) =>
            resolve({
              status: e ? ((e as { code?: number }).code ?? 1) : 0,
              stdout,
              modules: fs.readFileSync(list, "utf8").split("\n").map((f) => path.relative(PROJECT_ROOT, f)),
            }),
        ),
      ),
  );
}

const REPORT = path.join(dir, "report.json");
fs.writeFileSync(
  REPORT,
  JSON.stringify({
    fields: ["employeeNumber", "firstName", "lastName", "workEmail", "department", "status"].map((id) => ({ id, type: "text", name: id })),
    employees: [{ id: "1000", employeeNumber: "E1000", firstName: "Ada", lastName: "Lovelace", workEmail: "ada@example.com", department: "Ops", status: "Active", supervisorEId: null, hireDate: "2020-01-01", terminationDate: "0000-00-00" }],
  }),
);
const STACK = path.join(dir, "Pulumi.lazy.yaml");
fs.writeFileSync(
  STACK,
  "config:\n  wfm-hris:customer: lazy\n  wfm-hris:genesys:\n    region: us-east-1\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: lazyco\n" +
    "  wfm-hris:hrisApiKey: unused-here\n  wfm-hris:veza:\n    url: https://lazy.vezacloud.com\n  wfm-hris:vezaApiKey: unused-here\n",
);

/**
 * Three starts of the plan of `dev`, one after the other, for the three tests of a plan's start below (each process
 * costs ~0.6 s of CPU): the first leaves what a start keeps, the second is --quiet, the third plans as the first did.
 */
let devPlans: Promise<{ first: Loaded; quiet: Loaded; again: Loaded }> | undefined;
const planDev = () =>
  (devPlans ??= (async () => {
    const first = await loadedBy(["plan", "--stack", "dev"]);
    const quiet = await loadedBy(["plan", "--stack", "dev", "--quiet"]);
    const again = await loadedBy(["plan", "--stack", "dev"]);
    return { first, quiet, again };
  })());

describe("what a compiled tool loads", () => {
  it("plans a BambooHR stack without Veza without loading another HRIS kind's modules or the Veza provider's", async () => {
    const r = (await planDev()).quiet;
    expect(r.status).toBe(0);
    expect(r.modules).toContain(path.join("dist", "index.js"));
    const unused = r.modules.filter((m) => /^dist[\\/](hris[\\/](personio|custom)[\\/]|components[\\/]veza\.js|lib[\\/]veza[\\/](prepare|stackPayload|client)\.js|hris[\\/]bamboohr[\\/]veza\.js)/.test(m));
    expect(unused).toEqual([]);
  });

  it("plans a stack, from the second start on, with its validated config and content kept: without zod or velocityjs", async () => {
    const { first, again: second } = await planDev();
    expect(second).toMatchObject({ status: 0, stdout: first.stdout });
    expect(second.modules.filter((m) => /node_modules[\\/](zod|velocityjs)[\\/]/.test(m))).toEqual([]);
  });

  it("plans under mocks without loading gRPC, OpenTelemetry or semver (nothing connects to an engine)", async () => {
    const r = (await planDev()).quiet;
    expect(r.status).toBe(0);
    expect(r.modules.filter((m) => /node_modules[\\/](@grpc[\\/]grpc-js|@opentelemetry[\\/]api|semver)[\\/]/.test(m))).toEqual([]);
  });

  it("syncs a report to Veza, from the second start on, without loading zod or the Pulumi SDK", async () => {
    const args = ["vezaSync", "--stack-file", STACK, "--stack", "lazy", "--from-report", REPORT, "--dry-run"];
    const first = await loadedBy(args);
    expect(first.status).toBe(0);
    const second = await loadedBy(args);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stdout).toContain("1 employees");
    expect(second.modules.filter((m) => /node_modules[\\/](zod|@pulumi)[\\/]/.test(m))).toEqual([]);
    expect(second.modules.filter((m) => /^dist[\\/]hris[\\/](personio|custom)[\\/]/.test(m))).toEqual([]);
  });
});
