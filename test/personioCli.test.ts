import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakePersonio } from "../hris/personio/fake";
import { CliResult, runTool } from "./helpers/cli";

/** The sample stack Pulumi.initech-personio.yaml run by the tools against the fake Personio. */

const SECRET = "CANARY-initech-personio-secret";
const fake = new FakePersonio({ clients: { "papi-client-initech": SECRET } });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-personio-cli-"));
const env = { WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: SECRET };
const runs: Record<string, CliResult> = {};

beforeAll(async () => {
  const url = await fake.start();
  const t = fake.issueToken();
  const pages = await Promise.all([0, 100, 200].map((o) => fetch(`${url}/v1/company/employees?limit=100&offset=${o}`, { headers: { Authorization: `Bearer ${t}` } }).then((r) => r.json())));
  const report = path.join(dir, "personio-pages.json");
  fs.writeFileSync(report, JSON.stringify(pages));
  const stack = ["--stack", "initech-personio", "--hris-url", url];
  const jobs: Record<string, [string, string[], Record<string, string>]> = {
    types: ["action.ts", ["get-timeoff-types", ...stack], env],
    balance: ["action.ts", ["get-balance", "--input", "employeeId=1020", "--input", "timeOffTypeIds=113437", "--input", "hoursPerDay=7.5", ...stack], env],
    put: ["action.ts", ["put-timeoff-request", "--input", "employeeId=1020", "--input", "timeOffTypeId=113437", "--input", "status=approved", "--input", "start=2026-12-21", "--input", "end=2026-12-22", "--input", 'note=Say "hi" & bye', ...stack], env],
    wrongSecret: ["action.ts", ["get-timeoff-types", ...stack], { WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: "CANARY-not-the-secret" }],
    noSecret: ["action.ts", ["get-timeoff-types", ...stack], { WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: "" }],
    dryRun: ["vezaSync.ts", ["--dry-run", ...stack], env],
    fromReport: ["vezaSync.ts", ["--dry-run", "--stack", "initech-personio", "--from-report", report], {}],
  };
  // The tool host runs them one after the other (test/helpers/processServer.ts).
  const results = await Promise.all(Object.entries(jobs).map(async ([k, [tool, args, e]]) => [k, await runTool(tool, args, e)] as const));
  Object.assign(runs, Object.fromEntries(results));
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run action -- <role> --stack initech-personio --hris-url <fake>", () => {
  it("gets a token from the fake's /v1/auth and lists the day-unit time-off types", () => {
    expect(runs.types.status, runs.types.stdout + runs.types.stderr).toBe(0);
    expect(runs.types.stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/v1\/company\/time-off-types\?limit=200/);
    expect(runs.types.stdout).toContain("Authorization: [secret]");
    expect(runs.types.stdout).toContain('timeOffTypeIds: ["113437","113438","113440","113442"]');
    expect(runs.types.stdout).toContain("Verdict: success");
  });

  it("gets a balance in minutes", () => {
    expect(runs.balance.status).toBe(0);
    expect(runs.balance.stdout).toMatch(/balanceMinutes: \["-?\d+"\]/);
  });

  it("shows the form body of the create, with the note form-encoded", () => {
    expect(runs.put.status).toBe(0);
    expect(runs.put.stdout).toContain("skip_approval=true&comment=Say+%22hi%22+%26+bye");
    expect(runs.put.stdout).toMatch(/id: "\d+"/);
  });

  it("a wrong client secret fails in the auth stage and is never printed", () => {
    expect(runs.wrongSecret.status).toBe(1);
    expect(runs.wrongSecret.stdout).toContain("Verdict: FAILED [auth] AUTH_HTTP_401");
    expect(runs.wrongSecret.stdout + runs.wrongSecret.stderr).not.toContain("CANARY-not-the-secret");
    expect(runs.types.stdout + runs.types.stderr).not.toContain(SECRET);
  });

  it("without the client secret, names the variable to set and calls nothing", () => {
    expect(runs.noSecret.status).toBe(2);
    expect(runs.noSecret.stderr).toContain("WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET");
  });
});

describe("npm run veza:sync -- --dry-run --stack initech-personio", () => {
  it("reads every employee from the fake and validates the payload, sending nothing", () => {
    expect(runs.dryRun.status, runs.dryRun.stderr).toBe(0);
    expect(runs.dryRun.stdout).toContain("from Personio (initech), 100 per page");
    expect(runs.dryRun.stdout).toMatch(/payload [0-9a-f]{16}: 250 employees, \d+ groups/);
    expect(runs.dryRun.stdout).toContain("dry run: the payload is valid; nothing was sent to Veza");
  });

  it("builds the same payload from saved employee pages, with no Personio call or secret", () => {
    expect(runs.fromReport.status, runs.fromReport.stderr).toBe(0);
    expect(runs.fromReport.stdout).toContain("reading the Personio employees JSON");
    const hash = (r: CliResult) => /payload ([0-9a-f]{16})/.exec(r.stdout)?.[1];
    expect(hash(runs.fromReport)).toBe(hash(runs.dryRun));
  });
});
