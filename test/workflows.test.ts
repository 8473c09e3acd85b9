import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { z } from "zod";
import { PROJECT_ROOT } from "../lib/paths";
import { runTool } from "./helpers/cli";
import { npmStandInEnv, withProcessSlot } from "./helpers/processes";

/** The part of GitHub's workflow syntax these workflows use, strictly: a typo is an error, not an ignored key. */
const Step = z
  .strictObject({
    name: z.string().optional(),
    id: z.string().optional(),
    if: z.string().optional(),
    uses: z.string().regex(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+$/, "must pin an action to a major version, owner/repo@vN").optional(),
    with: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    run: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    "working-directory": z.string().optional(),
    "continue-on-error": z.boolean().optional(),
  })
  .refine((s) => (s.uses === undefined) !== (s.run === undefined), { message: "a step has exactly one of uses or run" });

/** The pulumi/actions inputs these workflows use (github.com/pulumi/actions src/config.ts), strictly. */
// Without `command` the action only installs the CLI (pulumi/actions README: "If unspecified, the action will stop
// after installing Pulumi"); a command needs its stack.
const PulumiActionInputs = z.strictObject({
  command: z.enum(["preview", "up"]).optional(),
  "stack-name": z.string().optional(),
  "pulumi-version": z.string().regex(/^\d+\.\d+\.\d+$/, "must pin an exact CLI version (the action's default ^3 follows the latest release)"),
  upsert: z.boolean().optional(),
  policyPacks: z.string().optional(),
  diff: z.boolean().optional(),
  "comment-on-pr": z.boolean().optional(),
  "edit-pr-comment": z.boolean().optional(),
  "github-token": z.string().optional(),
});

const Job = z.strictObject({
  name: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.string().optional(),
  "runs-on": z.string(),
  environment: z.string().optional(),
  permissions: z.record(z.string(), z.enum(["read", "write", "none"])).optional(),
  outputs: z.record(z.string(), z.string()).optional(),
  strategy: z
    .strictObject({ "fail-fast": z.boolean().optional(), "max-parallel": z.number().int().min(1).optional(), matrix: z.record(z.string(), z.unknown()) })
    .optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(Step).min(1),
});

const Workflow = z.strictObject({
  name: z.string(),
  on: z.record(z.enum(["pull_request", "push", "workflow_dispatch", "schedule"]), z.unknown()),
  permissions: z.record(z.string(), z.enum(["read", "write", "none"])),
  concurrency: z.strictObject({ group: z.string(), "cancel-in-progress": z.boolean() }).optional(),
  env: z.record(z.string(), z.string()).optional(),
  jobs: z.record(z.string(), Job),
});

const dir = path.join(PROJECT_ROOT, ".github/workflows");
const files = fs.readdirSync(dir).filter((f) => f.endsWith(".yml"));
/** The workflows that preview or deploy stacks (policy-publish publishes the policy pack only). */
const STACK_WORKFLOWS = ["deploy.yml", "pull-request.yml"];
const load = (f: string) => YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"));
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts);

type Step = z.infer<typeof Step>;
type Job = z.infer<typeof Job>;
const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
/** The SDK npm ci installs; the CLI and the SDK are released together from pulumi/pulumi with the same version. */
const sdkVersion: string = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package-lock.json"), "utf8")).packages["node_modules/@pulumi/pulumi"].version;

/** The stack matrix every Pulumi job must use: the deployable stacks, computed by `npm run stacks`. */
const STACKS_COMMAND = "npm run --silent stacks -- --deployable --json";
const DEPLOYABLE_MATRIX = "${{ fromJSON(needs.stacks.outputs.deployable) }}";
const EMPTY_GUARD = "needs.stacks.outputs.deployable != '[]'";

/**
 * How a shell step's `npm run` runs: the real npm (its start-up included, as on the runner), or the npm stand-in
 * (test/helpers/npmStandIn.sh), which runs the same tool script in the tool host, for steps that run many.
 */
type Npm = "npm" | "stand-in";

/** Runs a shell command as the runner does (bash -e, GITHUB_OUTPUT), from the project root; returns its outputs. */
function runShell(script: string, stepEnv: Record<string, string>, npm: Npm): Promise<{ status: number; stdout: string; stderr: string; outputs: Record<string, string> }> {
  const outFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wfm-gh-")), "output");
  fs.writeFileSync(outFile, "");
  const env = { ...process.env, NODE_OPTIONS: "", GITHUB_OUTPUT: outFile, ...stepEnv, ...(npm === "stand-in" ? npmStandInEnv() : {}) };
  const start = () =>
    new Promise<{ status: number; stdout: string; stderr: string; outputs: Record<string, string> }>((resolve) =>
      execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd: PROJECT_ROOT, env, maxBuffer: 64 << 20 }, (e, stdout, stderr) => {
        const outputs = Object.fromEntries(
          fs.readFileSync(outFile, "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
        );
        resolve({ status: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr, outputs });
      }),
    );
  // With the real npm the step is a busy process of its own; with the stand-in its tools take their own slots.
  return npm === "npm" ? withProcessSlot(start) : start();
}

/** Runs a workflow step's script as the runner does. */
const runStep = (step: Step, npm: Npm) => runShell(step.run!, step.env ?? {}, npm);

/** Independent of lib/plan/deployable: the secure values a stack file holds that no Pulumi secrets manager wrote. */
function placeholderSecrets(file: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if (Object.keys(o).length === 1 && "secure" in o) {
        const c = String(o.secure ?? "");
        if (c.startsWith("v1:placeholder-") || !/^(v1:[A-Za-z0-9+/=]{16}:)?[A-Za-z0-9+/=]{24,}$/.test(c)) found.push(key);
      } else for (const [k, x] of Object.entries(o)) walk(x, `${key}.${k}`);
    }
  };
  walk((YAML.parse(fs.readFileSync(file, "utf8")) ?? {}).config ?? {}, "config");
  return found;
}

const b64 = (n: number, fill: number) => Buffer.alloc(n, fill).toString("base64");
/** A project with a sample stack (placeholders, not marked) and `marked`, marked deployable with the given secret. */
function fixtureProject(markedSecret: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-wf-"));
  const stack = (customer: string, secret: string, deployable: boolean) =>
    YAML.stringify({
      config: {
        ...(deployable ? { "wfm-hris:deployable": true } : {}),
        "wfm-hris:customer": customer,
        "wfm-hris:genesys": { region: "us-east-1" },
        "wfm-hris:hris": { kind: "bamboohr", companyDomain: customer },
        "wfm-hris:hrisApiKey": { secure: secret },
      },
    });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: wfm-hris\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.sample.yaml"), stack("sample", "v1:placeholder-not-a-real-ciphertext", false));
  fs.writeFileSync(path.join(dir, "Pulumi.marked.yaml"), stack("marked", markedSecret, true));
  return dir;
}

describe("GitHub Actions workflows", () => {
  it("has the pull-request and deploy workflows", () => {
    expect(files.sort()).toEqual(["deploy.yml", "policy-publish.yml", "pull-request.yml"]);
  });

  for (const file of files) {
    it(`${file} follows the workflow syntax`, () => {
      const parsed = Workflow.safeParse(load(file));
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)).toEqual([]);
    });

    it(`${file} needs only jobs it defines and runs only npm scripts that exist`, () => {
      const wf = load(file) as z.infer<typeof Workflow>;
      for (const [name, job] of Object.entries(wf.jobs)) {
        for (const need of ([] as string[]).concat(job.needs ?? [])) expect(Object.keys(wf.jobs), `${name} needs ${need}`).toContain(need);
        for (const step of job.steps)
          for (const m of (step.run ?? "").matchAll(/npm run (?:--silent )?([\w:-]+)/g)) expect(scripts, `${name}: npm run ${m[1]}`).toContain(m[1]);
      }
    });
  }

  it("tests, then comments the offline plan diff of every stack, then previews only deployable stacks with Pulumi credentials", () => {
    const wf = load("pull-request.yml");
    expect(wf.on).toHaveProperty("pull_request");
    expect(wf.permissions["pull-requests"]).toBe("write");
    expect(wf.jobs["offline-plan-diff"].needs).toBe("test");
    expect(wf.jobs["offline-plan-diff"].steps.map((s: Step) => s.run ?? "").join("\n")).toContain("plan-diff.sh");
    const preview = wf.jobs.preview;
    expect(preview.if).toBe(`needs.stacks.outputs.preview == 'true' && ${EMPTY_GUARD}`);
    expect(preview.strategy.matrix.stack).toBe(DEPLOYABLE_MATRIX);
    const [action] = pulumiSteps(preview);
    expect(action.with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true, upsert: true, policyPacks: "policy" });
    expect(action.env!.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
  });

  it("deploys only deployable stacks with pulumi up, creating a new stack, behind a GitHub environment of the same name, with the policy pack", () => {
    const wf = load("deploy.yml");
    expect(wf.on.push.branches).toEqual(["main"]);
    const up = wf.jobs.up;
    expect(up.needs).toContain("stacks");
    expect(up.environment).toBe("${{ matrix.stack }}");
    expect(up.strategy.matrix.stack).toBe(DEPLOYABLE_MATRIX);
    expect(up.strategy["max-parallel"], "a concurrency limit on deploys").toBeGreaterThanOrEqual(1);
    expect(up.strategy["fail-fast"]).toBe(false);
    const [action] = pulumiSteps(up);
    expect(action.with).toMatchObject({ command: "up", upsert: true, policyPacks: "policy" });
  });

  for (const file of STACK_WORKFLOWS)
    it(`${file}: a job with an empty list of deployable stacks is skipped (GitHub fails a matrix over []), and every Pulumi job runs on that list`, () => {
      const wf = load(file) as z.infer<typeof Workflow>;
      const list = wf.jobs.stacks.steps.find((s) => s.id === "list")!;
      expect(list.run).toContain(`deployable="$(${STACKS_COMMAND})"`);
      expect(list.run).toMatch(/^set -euo pipefail$/m); // a failing command fails the job instead of writing an empty list
      expect(wf.jobs.stacks.outputs!.deployable).toBe("${{ steps.list.outputs.deployable }}");
      const pulumiJobs = Object.entries(wf.jobs).filter(([, j]) => pulumiSteps(j).length > 0);
      expect(pulumiJobs.map(([n]) => n)).toEqual([file === "deploy.yml" ? "up" : "preview"]);
      for (const [name, job] of pulumiJobs) {
        expect(job.if, name).toContain(EMPTY_GUARD);
        expect(job.strategy?.matrix.stack, name).toBe(DEPLOYABLE_MATRIX);
      }
      for (const job of Object.values(wf.jobs)) for (const step of job.steps) expect(step.run ?? "").not.toMatch(/ls Pulumi\.\*/);
    });

  it("pins the Pulumi CLI in every pulumi/actions step to the release of the @pulumi/pulumi SDK that npm ci installs", () => {
    expect(sdkVersion).toMatch(/^\d+\.\d+\.\d+$/);
    const steps = files.flatMap((f) => Object.values((load(f) as z.infer<typeof Workflow>).jobs).flatMap(pulumiSteps).map((s) => [f, s] as const));
    expect(steps.map(([f, s]) => [f, s.with!.command ?? "install"]).sort()).toEqual([["deploy.yml", "up"], ["policy-publish.yml", "install"], ["pull-request.yml", "preview"]]);
    for (const [f, step] of steps) {
      expect(step.with!.command === undefined || typeof step.with!["stack-name"] === "string", `${f}: a command needs stack-name`).toBe(true);
      const parsed = PulumiActionInputs.safeParse(step.with);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${f}: ${i.path.join(".")}: ${i.message}`)).toEqual([]);
      expect(step.with!["pulumi-version"], f).toBe(sdkVersion);
    }
  });

  it("the workflows' stacks step writes the deployable stacks of this repository, none of them holding placeholder secrets", async () => {
    // deploy.yml's step with npm itself, as the runner runs it; pull-request.yml's (the same npm command) with the stand-in.
    const npm: Record<string, Npm> = { "deploy.yml": "npm", "pull-request.yml": "stand-in" };
    for (const file of STACK_WORKFLOWS) {
      const step = (load(file) as z.infer<typeof Workflow>).jobs.stacks.steps.find((s) => s.id === "list")!;
      const r = await runStep(step, npm[file]);
      expect(r, file).toMatchObject({ status: 0 });
      const matrix = JSON.parse(r.outputs.deployable) as string[];
      expect(Array.isArray(matrix)).toBe(true);
      if (matrix.length === 0) expect(r.outputs.deployable, "the value the empty-list guard compares with").toBe("[]");
      for (const stack of matrix) expect(placeholderSecrets(path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`)), stack).toEqual([]);
    }
  });

  it("the deploy matrix, built with the workflow's own arguments, never holds a stack whose secrets are placeholders", async () => {
    const step = (load("deploy.yml") as z.infer<typeof Workflow>).jobs.stacks.steps.find((s) => s.id === "list")!;
    const args = /npm run --silent stacks -- ([^)"]*)/.exec(step.run!)![1].trim().split(/\s+/);
    const real = fixtureProject(b64(48, 3));
    const ok = await runTool("stacks.ts", [...args, "--root", real]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(["marked"]);
    for (const stack of JSON.parse(ok.stdout)) expect(placeholderSecrets(path.join(real, `Pulumi.${stack}.yaml`)), stack).toEqual([]);

    // Marked deployable with the samples' placeholder: the stacks job fails, so the up job never runs.
    const bad = await runTool("stacks.ts", [...args, "--root", fixtureProject("v1:placeholder-not-a-real-ciphertext")]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toContain("Pulumi.marked.yaml: wfm-hris:hrisApiKey");
  });

  it("runs steps' npm scripts with the npm stand-in as npm does (the tool's output and exit code), and refuses other npm commands", async () => {
    const usage = await runShell("npm run --silent plan:diff -- only-one.json", {}, "stand-in");
    expect(usage).toMatchObject({ status: 2, stdout: "" });
    expect(usage.stderr).toContain("give two plan files (base and head), not 1");
    const other = await runShell("npm ci", {}, "stand-in");
    expect(other.status).toBe(127);
    expect(other.stderr).toContain("it runs only `npm run --silent <script> -- <args>`");
  });

  it("the plan-diff script comments every stack (a branch diffed against itself has no changes)", async () => {
    // Two plans and a diff per stack, each an `npm run`: with the npm stand-in, in the tool hosts.
    const r = await runShell(`bash ${path.join(PROJECT_ROOT, ".github/scripts/plan-diff.sh")} ${PROJECT_ROOT} ${PROJECT_ROOT}`, {}, "stand-in");
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    const stacks = fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
    for (const s of stacks) expect(out).toContain(`### wfm-hris/${s}: no changes`);
  });
});
