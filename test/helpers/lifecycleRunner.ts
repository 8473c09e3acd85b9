/**
 * Runs lifecycle scenarios in one process started as the Pulumi program is (`node --import tsx`): each scenario is
 * a sequence of stack configs applied with `pulumi up` one after the other, from an empty stack; prints, per step,
 * the operations and violations the lifecycle model derives (lib/lifecycle/engine.ts), as JSON.
 *
 *   node --import tsx test/helpers/lifecycleRunner.ts <scenarios.json>
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { OFFLINE_PLAN_ENV } from "../../lib/genesys/resolveWfmType";
import { LiveObject, StateResource, UpResult, simulateUp } from "../../lib/lifecycle/engine";
import { DYNAMIC_DIFFS, GENESYS_AND_VEZA } from "../../lib/lifecycle/objects";
import { PROJECT_ROOT } from "../../lib/paths";
import { runPlan } from "../../lib/plan/run";
import { readOfflineConfig } from "../../lib/plan/stackFiles";

export interface Step {
  /** The stack file's `config:` map; `null` is `pulumi destroy`. */
  config: Record<string, unknown> | null;
  /** Project files to rewrite before this step (path relative to the project → new text), e.g. a data action. */
  files?: Record<string, string>;
}

export interface Scenario {
  name: string;
  /** Applied in order, from an empty stack. */
  steps: Step[];
  /** Objects that exist before the first step, outside the stack (to adopt). */
  external?: LiveObject[];
}

export type StepResult = Pick<UpResult, "operations" | "violations" | "events">;

async function main() {
  process.env[OFFLINE_PLAN_ENV] = "1";
  // As plan --all does (lib/plan/fleet.ts): no stack traces for the SDK to capture at every resource and promise, a
  // third of a step's time. WFM_HRIS_DEBUG=1 keeps them, to see where a failing step failed.
  if (!process.env.WFM_HRIS_DEBUG) Error.stackTraceLimit = 0;
  const scenarios = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as Scenario[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-lifecycle-"));
  // A copy of the project, so a step can edit its files (contracts) without touching the checkout other tests read.
  // Not copied: what the program never reads from its own folder (dependencies come through the node_modules link,
  // the genesyscloud SDK through node_modules' own link to the checkout's sdks/), or what it writes.
  const root = path.join(dir, "project");
  const skip = new Set(["node_modules", ".git", ".wfm-hris", ".plan", "dist", "sdks"].map((d) => path.join(PROJECT_ROOT, d)));
  fs.cpSync(PROJECT_ROOT, root, { recursive: true, filter: (src) => !skip.has(src) });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  const original = (rel: string) => fs.readFileSync(path.join(PROJECT_ROOT, rel), "utf8");
  const results: Record<string, StepResult[]> = {};
  for (const scenario of scenarios) {
    let state: StateResource[] = [];
    let serial = 1;
    const edited = new Set<string>();
    results[scenario.name] = [];
    for (const [i, step] of scenario.steps.entries()) {
      for (const rel of edited) fs.writeFileSync(path.join(root, rel), original(rel));
      for (const [rel, text] of Object.entries(step.files ?? {})) {
        fs.writeFileSync(path.join(root, rel), text);
        edited.add(rel);
      }
      const program = path.join(dir, "empty.ts");
      fs.writeFileSync(program, "export {};\n");
      const file = path.join(dir, `Pulumi.step${i}.yaml`);
      fs.writeFileSync(file, YAML.stringify({ config: step.config ?? {} }));
      const offline = readOfflineConfig(root, "lifecycle", file);
      // Destroy: a program that declares nothing, so the engine deletes everything.
      const entry = step.config === null ? program : path.join(root, "index.ts");
      const up = await simulateUp(state, (resolve) => runPlan(offline, entry, { preview: false, resolve }), GENESYS_AND_VEZA, {
        dynamicDiffs: DYNAMIC_DIFFS,
        serialStart: serial,
        external: i === 0 ? scenario.external : undefined,
      });
      for (const rel of edited) fs.writeFileSync(path.join(root, rel), original(rel));
      // The stack resource itself is not an object anywhere: keep the report to the resources.
      results[scenario.name].push({ operations: up.operations.filter((o) => o.type !== "pulumi:pulumi:Stack"), violations: up.violations, events: up.events });
      state = up.state;
      serial = up.nextSerial;
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
