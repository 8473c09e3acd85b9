import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../lib/plan/run";
import { PROJECT_ROOT } from "../lib/paths";
import { CliResult, runTool } from "./helpers/cli";

const CANARY = "CANARY-fleet-secret-93c1";
const sample = (name: string) => fs.readFileSync(path.join(PROJECT_ROOT, `Pulumi.${name}.yaml`), "utf8");

/** A project folder with the project file and the given stack files (name → text). */
function fleet(stacks: Record<string, string>, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-fleet-"));
  fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [name, text] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${name}.yaml`), text);
  for (const [file, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

/** The table row of a stack: [stack, resources, changes, warnings]. */
function row(out: string, stack: string): string[] {
  const line = out.split("\n").find((l) => l.startsWith(`${stack} `));
  if (!line) throw new Error(`no row for ${stack} in:\n${out}`);
  return line.trim().split(/\s{2,}/);
}

const mixed = fleet({
  dev: sample("dev"),
  "globex-prod": sample("globex-prod"),
  broken: "config:\n  wfm-hris:customer: Broken Co\n",
  // A secret stored in plain text: the program warns (without the value).
  plain: sample("dev").replace("acme-dev", "plain").replace(/ {2}wfm-hris:hrisApiKey:\n {4}secure: \S+/, `  wfm-hris:hrisApiKey: ${CANARY}`),
  // An environment the repository does not keep in esc/: its secrets are taken as supplied, with a warning.
  cloud: `environment:\n  - wfm-hris/kept-in-pulumi-cloud\n${sample("dev").replace("acme-dev", "cloud").replace(/ {2}wfm-hris:(hrisApiKey|genesysOauthClientSecret):\n {4}secure: \S+\n/g, "")}`,
});
const saving = fleet({ dev: sample("dev"), "initech-personio": sample("initech-personio") });

const runs: Record<string, CliResult> = {};
const single: Record<string, Plan> = {};
beforeAll(async () => {
  const singleDev = path.join(mixed, "dev.json");
  const jobs: Record<string, () => Promise<CliResult>> = {
    mixed: () => runTool("plan.ts", ["--all", "--root", mixed]),
    singleDev: () => runTool("plan.ts", ["--stack", "dev", "--quiet", "--json", singleDev]),
    allWithStack: () => runTool("plan.ts", ["--all", "--stack", "dev"]),
    // --save, then an unchanged run, then a run after a change to one stack.
    saving: async () => {
      const first = await runTool("plan.ts", ["--all", "--root", saving, "--save"]);
      const unchanged = await runTool("plan.ts", ["--all", "--root", saving]);
      fs.writeFileSync(path.join(saving, "Pulumi.dev.yaml"), sample("dev").replace("integrationName: Acme Dev WFM HRIS Data Actions", "integrationName: Acme Dev HRIS Actions"));
      const changed = await runTool("plan.ts", ["--all", "--root", saving]);
      runs.savingUnchanged = unchanged;
      runs.savingChanged = changed;
      return first;
    },
  };
  const results = await Promise.all(Object.entries(jobs).map(async ([k, job]) => [k, await job()] as const));
  Object.assign(runs, Object.fromEntries(results));
  single.dev = JSON.parse(fs.readFileSync(singleDev, "utf8"));
});

describe("plan --all", () => {
  it("prints one row per stack, in name order, with the resources each plan registers", () => {
    const out = runs.mixed.stdout;
    const names = out.split("\n").filter((l) => /^\S+ +(\d+|-) {2}/.test(l)).map((l) => l.split(" ")[0]);
    expect(names).toEqual(["broken", "cloud", "dev", "globex-prod", "plain"]);
    // The same count as the single-stack plan of the same file.
    expect(row(out, "dev")[1]).toBe(String(single.dev.resources.length));
  });

  it("gives a stack that fails validation its row and the error, plans the others, and exits 1", () => {
    const { status, stdout } = runs.mixed;
    expect(status).toBe(1);
    expect(row(stdout, "broken").slice(1, 3)).toEqual(["-", "FAILED (see below)"]);
    expect(stdout).toContain('broken: failed: Invalid stack configuration for stack "broken"');
    expect(stdout).toContain("wfm-hris:customer: must be a slug");
    expect(row(stdout, "globex-prod")[2]).toBe("no saved plan");
    expect(stdout).toMatch(/\n4 of 5 stacks planned, 1 failed\n$/);
    expect(stdout).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace for a config error
  });

  it("counts and lists each stack's warnings under the table, never showing a secret", () => {
    const out = runs.mixed.stdout + runs.mixed.stderr;
    expect(row(runs.mixed.stdout, "plain")[3]).toBe("1");
    expect(runs.mixed.stdout).toContain("plain: warning: wfm-hris:hrisApiKey is stored in plain text in the stack file");
    expect(row(runs.mixed.stdout, "dev")[3]).toBe("0");
    expect(out).not.toContain(CANARY);
  });

  it("warns that an environment not kept in esc/ is taken to supply the secrets the stack needs", () => {
    expect(row(runs.mixed.stdout, "cloud")[1]).toBe(row(runs.mixed.stdout, "dev")[1]);
    expect(runs.mixed.stdout).toContain(
      "cloud: warning: wfm-hris/kept-in-pulumi-cloud is not in esc/, so what it gives is not known offline; taken to supply wfm-hris:genesysOauthClientSecret, wfm-hris:hrisApiKey (placeholders)",
    );
  });

  it("saves each plan with --save and compares the next run with it", () => {
    expect(runs.saving.status).toBe(0);
    expect(runs.saving.stdout).toMatch(/plans saved in .*\.plans\n$/);
    const saved = JSON.parse(fs.readFileSync(path.join(saving, ".plans", "dev.json"), "utf8")) as Plan;
    expect(saved.stack).toBe("dev");
    expect(saved.resources.length).toBe(Number(row(runs.saving.stdout, "dev")[1]));
    expect(row(runs.savingUnchanged.stdout, "dev")[2]).toBe("no changes");
    expect(row(runs.savingUnchanged.stdout, "initech-personio")[2]).toBe("no changes");
  });

  it("reports what changed against the saved plan for the stack that changed only", () => {
    expect(row(runs.savingChanged.stdout, "dev")[2]).toMatch(/^0 to add, [1-9]\d* to change, 0 to replace, 0 to remove$/);
    expect(row(runs.savingChanged.stdout, "initech-personio")[2]).toBe("no changes");
  });

  it("refuses single-stack options with --all as a usage error", () => {
    expect(runs.allWithStack.status).toBe(2);
    expect(runs.allWithStack.stderr).toContain("--all plans every stack: --stack is for one stack");
    expect(runs.allWithStack.stderr).toContain("usage: npm run plan --");
  });
});
