/**
 * The flow lint cache (lib/flows/lintCache.ts), which the offline plan turns on: a hit reports exactly what the lint
 * reports without the cache, and any change to what the result depends on (the flow's text, its substitutions, the
 * called actions' contracts, the configured names, the lint's code) is a miss.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { loadWorkflowSpecs } from "../lib/flows/contract";
import { CallableAction, FlowLintInput, callableAction, lintFlow } from "../lib/flows/lint";
import { lintCacheDir, lintCacheKey, lintCodeVersion, useLintCache } from "../lib/flows/lintCache";
import { PROJECT_ROOT, loadStackContent } from "../lib/stackContent";
import { validConfig } from "./helpers/config";

const config = validConfig();
const content = loadStackContent(config);
const spec = loadWorkflowSpecs(path.join(PROJECT_ROOT, "flows")).find((s) => s.task === "getTimeOffTypes")!;
const shipped = fs.readFileSync(path.join(PROJECT_ROOT, "flows/get-timeoff-types.yaml"), "utf8");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-lint-cache-"));
// Off around each test, as a process starts: the run's own cache (test/helpers/workerSetup.ts) is back afterwards.
beforeAll(() => useLintCache(undefined));
afterEach(() => useLintCache(undefined));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  useLintCache(inject("flowLintCache"));
});

const actions = () => new Map(content.actions.map((a) => [a.name, callableAction(a)]));
const typesAction = content.actions.find((a) => a.id === "get-timeoff-types")!.name;
const substitutions = {
  flow_name: "acme-dev-HRIS-Get-TimeOff-Types",
  division: "Home",
  data_action_category: config.genesys.integrationName,
  action_get_timeoff_types: typesAction,
};

let counter = 0;
function input(text: string, overrides: Partial<FlowLintInput> = {}): FlowLintInput {
  const file = path.join(tmp, `flow-${counter++}.yaml`);
  fs.writeFileSync(file, text);
  return {
    spec,
    path: file,
    file: "flows/get-timeoff-types.yaml",
    flowName: substitutions.flow_name,
    substitutions,
    category: config.genesys.integrationName,
    actions: actions(),
    ...overrides,
  };
}

/** A fresh cache folder, turned on. */
function freshCache(): string {
  const dir = fs.mkdtempSync(path.join(tmp, "cache-"));
  useLintCache(dir);
  return dir;
}
const entries = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".json"));

/** The lint's result with the cache off. */
function uncached(i: FlowLintInput) {
  useLintCache(undefined);
  return lintFlow(i);
}

/** A flow with findings of several kinds (an unknown output, a missing branch, an undeclared variable). */
const faulty = shipped
  .replace("Flow.statusCode", "Flow.statusCod")
  .replace(/failure:\n(\s+)actions:/, "failur:\n$1actions:");

describe("flow lint cache", () => {
  it("reports from a hit exactly what the lint reports without the cache: every finding, in order, every field", () => {
    const expected = uncached(input(faulty));
    expect(expected.issues.length).toBeGreaterThan(1);
    const dir = freshCache();
    const miss = lintFlow(input(faulty));
    expect(entries(dir)).toHaveLength(1);
    const hit = lintFlow(input(faulty));
    expect(miss).toStrictEqual(expected);
    expect(hit).toStrictEqual(expected);
    expect(entries(dir)).toHaveLength(1);
  });

  it("keeps what a clean flow calls", () => {
    freshCache();
    lintFlow(input(shipped));
    expect(lintFlow(input(shipped))).toStrictEqual(uncached(input(shipped)));
    expect(lintFlow(input(shipped)).flow.calls).toEqual([typesAction]);
  });

  it("misses when the flow's text changes", () => {
    const dir = freshCache();
    expect(lintFlow(input(shipped)).issues).toEqual([]);
    const edited = lintFlow(input(faulty));
    expect(edited).toStrictEqual(uncached(input(faulty)));
    expect(edited.issues.length).toBeGreaterThan(0);
    expect(entries(dir)).toHaveLength(2);
  });

  it("misses when a substitution changes", () => {
    freshCache();
    expect(lintFlow(input(shipped)).issues).toEqual([]);
    const renamed = { ...substitutions, flow_name: "acme-dev/HRIS" };
    const result = lintFlow(input(shipped, { substitutions: renamed }));
    expect(result).toStrictEqual(uncached(input(shipped, { substitutions: renamed })));
    expect(result.issues.map((i) => i.problem)).toContain("has a flow name with '/', which Genesys rejects");
  });

  it("misses when a called action's contract changes", () => {
    freshCache();
    expect(lintFlow(input(shipped)).issues).toEqual([]);
    const narrowed = actions();
    const before = narrowed.get(typesAction)!;
    const contract: CallableAction = { ...before, outputs: before.outputs.slice(1) };
    narrowed.set(typesAction, contract);
    const result = lintFlow(input(shipped, { actions: narrowed }));
    expect(result).toStrictEqual(uncached(input(shipped, { actions: narrowed })));
    expect(result.issues.map((i) => i.problem)).toContain(`reads the output ${before.outputs[0]}, which ${typesAction} does not have`);
  });

  it("misses when the category or the expected flow name changes", () => {
    freshCache();
    lintFlow(input(shipped));
    for (const overrides of [{ category: "Other-Category" }, { flowName: "another-name" }]) {
      const result = lintFlow(input(shipped, overrides));
      expect(result).toStrictEqual(uncached(input(shipped, overrides)));
      expect(result.issues.length).toBeGreaterThan(0);
    }
  });

  it("keys on the lint's code: a change to any module under lib/flows gives other keys", () => {
    const copy = path.join(tmp, "flows-code");
    fs.cpSync(path.join(PROJECT_ROOT, "lib", "flows"), copy, { recursive: true });
    const before = lintCodeVersion(copy);
    expect(lintCodeVersion(copy)).toBe(before);
    fs.appendFileSync(path.join(copy, "archy", "lint.ts"), "\n// a rule changed\n");
    const after = lintCodeVersion(copy);
    expect(after).not.toBe(before);
    expect(lintCacheKey("wfm-hris-workflow", { text: shipped }, after)).not.toBe(lintCacheKey("wfm-hris-workflow", { text: shipped }, before));
  });

  it("keeps at most its limit of entries, dropping the least recently used first", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "cache-"));
    useLintCache(dir, 5);
    // Five stacks' versions of the flow (another flow name each), each entry older than the one after it.
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const before = new Set(entries(dir));
      lintFlow(input(shipped, { flowName: `stack-${i}` }));
      names.push(entries(dir).find((f) => !before.has(f))!);
      fs.utimesSync(path.join(dir, names[i]), 1000 + i, 1000 + i);
    }
    lintFlow(input(shipped, { flowName: "stack-0" })); // used again: now the most recent
    lintFlow(input(shipped, { flowName: "stack-5" })); // a sixth: over the limit, down to four
    const left = entries(dir);
    expect(left).toHaveLength(4);
    expect(left).toContain(names[0]);
    expect(left).not.toContain(names[1]);
    expect(left).not.toContain(names[2]);
    expect(left).toEqual(expect.arrayContaining([names[3], names[4]]));
  });

  it("lints again over an entry that cannot be read (cut short by a process that died mid-write)", () => {
    const dir = freshCache();
    lintFlow(input(faulty));
    const [entry] = entries(dir);
    fs.writeFileSync(path.join(dir, entry), '{"issues":[');
    expect(lintFlow(input(faulty))).toStrictEqual(uncached(input(faulty)));
  });

  it("is off unless a tool turns it on, and the offline plan keeps it under the git-ignored .wfm-hris/", () => {
    const before = fs.readdirSync(tmp).length;
    lintFlow(input(shipped));
    expect(fs.readdirSync(tmp).length).toBe(before + 1); // the flow file written by input(), no cache folder
    expect(path.relative(PROJECT_ROOT, lintCacheDir(PROJECT_ROOT))).toBe(path.join(".wfm-hris", "cache", "flow-lint"));
    expect(fs.readFileSync(path.join(PROJECT_ROOT, ".gitignore"), "utf8").split("\n")).toContain(".wfm-hris/");
  });
});
