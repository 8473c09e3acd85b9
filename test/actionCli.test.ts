import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBambooHr } from "./fakes/bamboohr";
import { CliResult, runTool } from "./helpers/cli";

const fake = new FakeBambooHr({ companyDomain: "acmedev" });
const runs: Record<string, CliResult> = {};
const API_KEY = "test-api-key-admin";

beforeAll(async () => {
  const url = await fake.start();
  const env = { WFM_HRIS_HRIS_API_KEY: API_KEY };
  const jobs: Record<string, [string[], Record<string, string>]> = {
    balance: [["get-balance", "--input", "employeeId=120", "--input", "end=2026-12-01", "--hris-url", url], env],
    put: [["Bamboo-Put-TimeOff-Request", "--input", "employeeId=120", "--input", "timeOffTypeId=78", "--input", "status=approved", "--input", "start=2026-12-21", "--input", "end=2026-12-21", "--input", "dates=2026-12-21", "--input", "payableMinutes=450", "--input", 'note=Say "hi"', "--hris-url", url], env],
    wrongKey: [["get-timeoff-types", "--hris-url", url], { WFM_HRIS_HRIS_API_KEY: "wrong-api-key-5678" }],
    badInput: [["get-balance", "--input", "employeeId=abc", "--input", "end=2026-12-01", "--hris-url", url], env],
    undeclared: [["get-balance", "--input", "employee=120", "--hris-url", url], env],
    unknownAction: [["get-everything", "--hris-url", url], env],
  };
  const results = await Promise.all(Object.entries(jobs).map(async ([k, [args, e]]) => [k, await runTool("action.ts", args, e)] as const));
  Object.assign(runs, Object.fromEntries(results));
});
afterAll(() => fake.stop());

describe("npm run action", () => {
  it("prints the request, the raw response, the output, the flattened output and the verdict; exits 0 on success", () => {
    const { status, stdout } = runs.balance;
    expect(status).toBe(0);
    expect(stdout).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/gateway\.php\/acmedev\/v1\/employees\/120\/time_off\/calculator\?end=2026-12-01&precision=4/);
    expect(stdout).toContain("Response: HTTP 200 (application/json)");
    expect(stdout).toContain('"balanceMinutes": [');
    expect(stdout).toMatch(/Flattened \(as Architect sees it\):\n    end: "2026-12-01"\n    timeOffTypeIds: \["78","79","80","83","85"\]/);
    expect(stdout).toContain("Verdict: success; the output satisfies the output contract");
  });

  it("shows the rendered JSON body of a PUT, with the note escaped", () => {
    expect(runs.put.status).toBe(0);
    expect(runs.put.stdout).toContain('"note": "Say \\"hi\\""');
    expect(runs.put.stdout).toContain('"amount": 7.5');
  });

  it("exits 1 with the failing stage and a hint, never printing the key", () => {
    const { status, stdout, stderr } = runs.wrongKey;
    expect(status).toBe(1);
    expect(stdout).toContain("Verdict: FAILED [response] HTTP_401");
    expect(stdout + stderr).not.toContain("wrong-api-key-5678");
    expect(stdout).not.toContain(Buffer.from("wrong-api-key-5678:x").toString("base64"));
  });

  it("exits 1 when the input breaks the input contract, without calling the HRIS", () => {
    expect(runs.badInput.status).toBe(1);
    expect(runs.badInput.stdout).toContain('Verdict: FAILED [input] INPUT_CONTRACT: input does not satisfy the input contract: /employeeId must match pattern "^[0-9]+$"');
    expect(runs.badInput.stdout).not.toContain("Request:");
  });

  it("rejects an input the action does not declare, listing the ones it takes", () => {
    expect(runs.undeclared.status).toBe(2);
    expect(runs.undeclared.stderr).toContain("--input employee: Bamboo-Get-Balance declares no such input; it takes: employeeId, end, hoursPerDay");
  });

  it("names the known actions for an unknown one", () => {
    expect(runs.unknownAction.status).toBe(2);
    expect(runs.unknownAction.stderr).toMatch(/no data action "get-everything" in this stack; known: Bamboo-Change-TimeOff-Request-Status, Bamboo-Get-Agents, /);
  });
});
