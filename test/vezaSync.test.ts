import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBambooHr } from "../hris/bamboohr/fake";
import { bigReport } from "./fakes/bigReport";
import { FakeVeza } from "./fakes/veza";
import { CliResult, runTool } from "./helpers/cli";

const hris = new FakeBambooHr({ companyDomain: "initech" });
const veza = new FakeVeza("CANARY-veza-api-key");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-vsync-"));
const stackFile = (extra = "") => {
  const file = path.join(dir, `Pulumi.s${fs.readdirSync(dir).length}.yaml`);
  fs.writeFileSync(
    file,
    `config:\n  wfm-hris:customer: initech\n  wfm-hris:genesys:\n    region: eu-west-1\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: initech\n` +
      `  wfm-hris:veza:\n    url: https://initech.vezacloud.com\n    idpProviders: [okta]\n    employeeProperties:\n      cost_center_code: customCostCenter\n${extra}`,
  );
  return file;
};
const env = { WFM_HRIS_HRIS_API_KEY: "test-api-key-admin", VEZA_API_KEY: "CANARY-veza-api-key" };
const sync = (file: string, args: string[] = [], e: Record<string, string> = env) =>
  runTool("vezaSync.ts", ["--stack", "s", "--stack-file", file, "--hris-url", hris.url, "--veza-url", veza.url, ...args], e);

let dry: CliResult;
let vezaRequestsAfterDryRun = -1;
let first: CliResult;
let second: CliResult;
beforeAll(async () => {
  await Promise.all([hris.start(), veza.start()]);
  const file = stackFile();
  dry = await sync(file, ["--dry-run"]);
  vezaRequestsAfterDryRun = veza.requests.length;
  first = await sync(file);
  second = await sync(file);
});
afterAll(async () => {
  await Promise.all([hris.stop(), veza.stop()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run veza:sync", () => {
  it("validates and reports the payload in a dry run, sending nothing to Veza", () => {
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/payload [0-9a-f]{16}: 300 employees, \d+ groups, \d+ bytes JSON, \d+ bytes gzipped/);
    expect(dry.stdout).toContain("dry run: the payload is valid; nothing was sent to Veza");
    expect(vezaRequestsAfterDryRun).toBe(0);
  });

  it("creates the provider and data source, pushes, and prints progress", () => {
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/created Veza custom provider "initech BambooHR"/);
    expect(first.stdout).toMatch(/created data source "initech BambooHR - initech"/);
    expect(first.stdout).toMatch(/pushing 300 employees and \d+ groups \([\d.]+ MB gzipped, [\d.]+ MB JSON\)/);
    expect(first.stdout).toMatch(/synced to Veza provider [0-9a-f-]{36}, data source [0-9a-f-]{36}/);
  });

  it("reuses the provider and data source on the next run, without duplicates", () => {
    expect(second.status).toBe(0);
    expect(veza.requests.filter((r) => r.path.includes(":push"))).toHaveLength(2);
    expect(second.stdout).toMatch(/using Veza custom provider "initech BambooHR"/);
    expect([...veza.providers.values()].filter((p) => p.name === "initech BambooHR")).toHaveLength(1);
    expect([...veza.dataSources.values()].filter((d) => d.name === "initech BambooHR - initech")).toHaveLength(1);
  });

  it("pushes what Veza accepts: employees with managers and groups, inactive ones included", async () => {
    await new Promise((r) => setTimeout(r, 50));
    const [ds] = [...veza.dataSources.values()];
    expect(ds.status).toBe("SUCCESS");
    expect(ds.lastPayload!.employees.length).toBe(300);
    expect(ds.lastPayload!.employees.some((e) => !e.is_active)).toBe(true);
    expect(ds.lastPayload!.employees.find((e) => e.id === "120")!.managers).toBeDefined();
  });

  it("names the unknown BambooHR field of veza.employeeProperties", async () => {
    const r = await sync(stackFile("      shoe_size: customShoeSize\n"));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("answered HTTP 406: Unknown field(s): customShoeSize (check veza.employeeProperties: a field does not exist)");
  });

  it("explains a rejected Veza key without printing any secret", async () => {
    const r = await sync(stackFile(), [], { ...env, VEZA_API_KEY: "CANARY-wrong-key" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("answered HTTP 401");
    for (const text of [r.stdout, r.stderr, first.stdout, first.stderr]) {
      expect(text).not.toContain("CANARY");
      expect(text).not.toContain("test-api-key-admin");
    }
  });

  it("builds the payload from a saved report instead of BambooHR", async () => {
    const report = path.join(dir, "saved-report.json");
    fs.writeFileSync(report, JSON.stringify(bigReport(40, 4)));
    const hrisRequests = hris.requests.length;
    const r = await sync(stackFile(), ["--from-report", report, "--dry-run"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/payload [0-9a-f]{16}: 40 employees, \d+ groups/);
    expect(hris.requests.length).toBe(hrisRequests);
  });

  it("names the report file and what is wrong with it, sending nothing", async () => {
    const report = path.join(dir, "report.json");
    fs.writeFileSync(report, JSON.stringify({ fields: [], employees: [{ id: "1" }, { firstName: "No id" }] }));
    const before = veza.requests.length;
    const r = await sync(stackFile(), ["--from-report", report]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${report} $.employees: is not a BambooHR employee report: it has an employee without an id at employees[1]`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(veza.requests.length).toBe(before);
  });

  it("says so when the stack has no veza section", async () => {
    const r = await runTool("vezaSync.ts", ["--stack", "dev"], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("stack dev has no veza section: nothing to sync");
  });
});
