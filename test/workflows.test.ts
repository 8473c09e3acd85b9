import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { z } from "zod";
import { PROJECT_ROOT } from "../lib/stackContent";

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

const Job = z.strictObject({
  name: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.string().optional(),
  "runs-on": z.string(),
  environment: z.string().optional(),
  permissions: z.record(z.string(), z.enum(["read", "write", "none"])).optional(),
  outputs: z.record(z.string(), z.string()).optional(),
  strategy: z.strictObject({ "fail-fast": z.boolean().optional(), "max-parallel": z.number().optional(), matrix: z.record(z.string(), z.unknown()) }).optional(),
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
const load = (f: string) => YAML.parse(fs.readFileSync(path.join(dir, f), "utf8"));
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")).scripts);

describe("GitHub Actions workflows", () => {
  it("has the pull-request and deploy workflows", () => {
    expect(files.sort()).toEqual(["deploy.yml", "pull-request.yml"]);
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

  it("tests, then comments the offline plan diff, then previews per stack only with Pulumi credentials", () => {
    const wf = load("pull-request.yml");
    expect(wf.on).toHaveProperty("pull_request");
    expect(wf.permissions["pull-requests"]).toBe("write");
    expect(wf.jobs["offline-plan-diff"].needs).toBe("test");
    const preview = wf.jobs.preview;
    expect(preview.if).toBe("needs.stacks.outputs.preview == 'true'");
    const action = preview.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@"));
    expect(action.with).toMatchObject({ command: "preview", diff: true, "comment-on-pr": true });
    expect(action.env.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
  });

  it("deploys each stack with pulumi up behind a GitHub environment of the same name, with the policy pack", () => {
    const wf = load("deploy.yml");
    expect(wf.on.push.branches).toEqual(["main"]);
    const up = wf.jobs.up;
    expect(up.environment).toBe("${{ matrix.stack }}");
    expect(up.steps.find((s: { uses?: string }) => s.uses?.startsWith("pulumi/actions@")).with).toMatchObject({ command: "up", policyPacks: "policy" });
  });

  it("the plan-diff script comments every stack (a branch diffed against itself has no changes)", async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile("bash", [path.join(PROJECT_ROOT, ".github/scripts/plan-diff.sh"), PROJECT_ROOT, PROJECT_ROOT], { cwd: PROJECT_ROOT, timeout: 120_000 }, (e, stdout, stderr) =>
        e ? reject(new Error(stderr || e.message)) : resolve(stdout),
      ),
    );
    const stacks = fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice(7, -5));
    for (const s of stacks) expect(out).toContain(`### wfm-hris/${s}: no changes`);
  }, 120_000);
});
