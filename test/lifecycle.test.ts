import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { LiveObject, Operation, UpResult } from "../lib/lifecycle/engine";
import { PROJECT_ROOT } from "../lib/paths";
import { withProcessSlot } from "./helpers/processes";

/**
 * What the second, tenth and last `pulumi up` do: sequences of config changes run through the real program
 * (lib/plan/run.ts, apply mode) and the lifecycle model (lib/lifecycle/engine.ts, Pulumi's documented rules and the
 * Genesys/Veza object rules in lib/lifecycle/objects.ts, with the Veza dynamic providers' own diff).
 */

interface Step {
  /** The stack file's `config:` map; `null` is `pulumi destroy`. */
  config: Record<string, unknown> | null;
  /** Project files to rewrite before this step (path relative to the project → new text), e.g. a data action. */
  files?: Record<string, string>;
}

interface Scenario {
  name: string;
  /** Applied in order, from an empty stack. */
  steps: Step[];
  /** Objects that exist before the first step, outside the stack (to adopt). */
  external?: LiveObject[];
}

/** What test/helpers/lifecycleRunner.cjs reports for each step. */
type StepResult = Pick<UpResult, "operations" | "violations" | "events">;

const NS = "wfm-hris";
type Config = Record<string, unknown>;
const apiKeyStack: Config = {
  [`${NS}:customer`]: "acme-dev",
  [`${NS}:genesys`]: { region: "us-east-1" },
  [`${NS}:hris`]: { kind: "bamboohr", companyDomain: "acme" },
  // The type named in config rather than discovered, so the WFM integration's properties (the flow ids) are known.
  [`${NS}:wfm`]: { integrationTypeId: "wfm-time-off-hris", flowPropertyFormat: "string" },
  [`${NS}:hrisApiKey`]: "k",
};
const withVeza: Config = {
  ...apiKeyStack,
  [`${NS}:veza`]: { url: "https://acme.vezacloud.com", providerName: "Acme BambooHR" },
  [`${NS}:vezaApiKey`]: "v",
};
const merge = (base: Config, key: string, patch: Record<string, unknown> | string | undefined): Config => {
  const next = { ...base };
  if (patch === undefined) delete next[`${NS}:${key}`];
  else next[`${NS}:${key}`] = typeof patch === "string" ? patch : { ...(base[`${NS}:${key}`] as object), ...patch };
  return next;
};
const oauthStack = merge(merge(apiKeyStack, "hris", { auth: { type: "oauth", clientId: "c", tokenUrl: "https://auth.acme.example/token" } }), "hrisApiKey", undefined);
oauthStack[`${NS}:hrisOauthClientSecret`] = "s";
const adopting = (keep?: boolean) => merge(apiKeyStack, "wfm", { adoptIntegrationId: "0f8fad5b-d9cb-469f-a165-70867728950e", ...(keep === undefined ? {} : { keepAdoptedIntegration: keep }) });

const withContractField = (file: string): Record<string, string> => {
  const def = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8"));
  def.contract.output.successSchema.properties.added = { type: "string" };
  return { [file]: JSON.stringify(def, null, 2) };
};
/** index.ts as it was before logical names were fixed: every name derived from the customer slug. */
const legacyProgram = (): Record<string, string> => {
  const now = fs.readFileSync(path.join(PROJECT_ROOT, "index.ts"), "utf8");
  const legacy = now
    .replace('new genesyscloud.Provider(\n  "genesyscloud",', "new genesyscloud.Provider(\n  `${config.customer}-genesyscloud`,")
    .replace('new WfmHris("wfm-hris",', "new WfmHris(config.customer,")
    .replace('new VezaHrisProvider("veza",', "new VezaHrisProvider(`${config.customer}-veza`,");
  if ((legacy.match(/config\.customer}-genesyscloud`,|WfmHris\(config\.customer,|config\.customer}-veza`,/g) ?? []).length !== 3)
    throw new Error("index.ts changed shape: update legacyProgram() so the migration scenario still starts from the old names");
  return { "index.ts": legacy };
};

const step = (config: Config | null, files?: Record<string, string>): Step => ({ config, files });
const SCENARIOS: Scenario[] = [
  { name: "no change", steps: [step(withVeza), step(withVeza)] },
  { name: "customer rename", steps: [step(apiKeyStack), step(merge(apiKeyStack, "customer", "acme-prod"))] },
  { name: "flow prefix rename", steps: [step(apiKeyStack), step(merge(apiKeyStack, "genesys", { flowNamePrefix: "Acme-" }))] },
  { name: "contract change", steps: [step(apiKeyStack), step(apiKeyStack, withContractField("hris/bamboohr/actions/get-balance.json"))] },
  { name: "veza url slash", steps: [step(withVeza), step(merge(withVeza, "veza", { url: "https://acme.vezacloud.com/" }))] },
  { name: "veza provider rename", steps: [step(withVeza), step(merge(withVeza, "veza", { providerName: "Acme HR" }))] },
  {
    name: "veza adopts and is removed",
    steps: [step(withVeza), step(merge(merge(withVeza, "veza", undefined), "vezaApiKey", undefined))],
    external: [{ id: "existing-provider", key: 'Veza custom provider "Acme BambooHR"' }],
  },
  { name: "auth basic to oauth", steps: [step(apiKeyStack), step(oauthStack)] },
  { name: "wfm disabled", steps: [step(apiKeyStack), step(merge(apiKeyStack, "wfm", { enabled: false }))] },
  { name: "destroy", steps: [step(withVeza), step(null)] },
  { name: "adopted wfm integration destroyed", steps: [step(adopting()), step(null)] },
  { name: "adopted wfm integration released", steps: [step(adopting()), step(adopting(false)), step(null)] },
  { name: "migration from customer-named resources", steps: [step(withVeza, legacyProgram()), step(withVeza)] },
];

let results: Record<string, StepResult[]> = {};
/** Plans every step of some scenarios in one process (test/helpers/lifecycleRunner.cjs, the program compiled). */
function runScenarios(scenarios: Scenario[]): Promise<Record<string, StepResult[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-lifecycle-test-"));
  const file = path.join(dir, "scenarios.json");
  fs.writeFileSync(file, JSON.stringify(scenarios));
  return withProcessSlot(
    () =>
      new Promise<Record<string, StepResult[]>>((resolve, reject) =>
        execFile(
          process.execPath,
          ["test/helpers/lifecycleRunner.cjs", file],
          { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "" } },
          (error, out, err) => (error ? reject(new Error(`lifecycle runner failed: ${err}`)) : resolve(JSON.parse(out))),
        ),
      ),
  ).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}
beforeAll(async () => {
  // All in one runner: the program's modules, and the TypeScript compiler that serializing the Veza providers loads,
  // load once. A runner per core would load them once per runner, for the same steps.
  results = await runScenarios(SCENARIOS);
});

const last = (name: string) => results[name].at(-1)!;
const changes = (name: string, i = results[name].length - 1) => results[name][i].operations.filter((o) => o.step !== "same");
const summary = (ops: Operation[]) => ops.map((o) => `${o.step}${o.order ? ` (${o.order})` : ""} ${o.name}`);
const violationsOf = (name: string) => results[name].flatMap((r) => r.violations.map((v) => v.message));

describe("pulumi up after pulumi up", () => {
  it("never has two live objects sharing a name Genesys or Veza require unique, in any scenario", () => {
    for (const s of SCENARIOS) expect(results[s.name].flatMap((r) => r.violations.filter((v) => v.kind === "duplicate-name")), s.name).toEqual([]);
  });

  it("never deletes an object another resource of the stack still uses", () => {
    for (const s of SCENARIOS) expect(results[s.name].flatMap((r) => r.violations.filter((v) => v.kind === "live-object-deleted")), s.name).toEqual([]);
  });

  it("does nothing when nothing changed", () => {
    expect(changes("no change")).toEqual([]);
  });

  it("renaming the customer renames in place; only the flows, named after it by default, are replaced new-first", () => {
    const ops = changes("customer rename");
    const FLOW = "genesyscloud:index/flow:Flow";
    expect(ops.filter((o) => o.step === "create")).toEqual([]);
    expect(ops.filter((o) => o.step === "replace" || o.step === "delete").every((o) => o.type === FLOW)).toBe(true);
    expect(ops.filter((o) => o.step === "replace").every((o) => o.order === "create-before-delete")).toBe(true);
    expect(summary(ops.filter((o) => o.step === "update"))).toEqual(
      expect.arrayContaining(["update wfm-hris-data-actions-integration", "update wfm-hris-data-actions-credential", "update wfm-hris-wfm-integration"]),
    );
  });

  it("a new flow prefix publishes the renamed flows, moves the WFM integration to them, then deletes the old flows", () => {
    const ops = summary(changes("flow prefix rename"));
    const flows = ["get-agents", "get-balance", "get-timeoff-types", "insert-timeoff", "update-timeoff"];
    for (const f of flows) expect(ops).toContain(`replace (create-before-delete) wfm-hris-workflows-${f}`);
    expect(ops).toContain("update wfm-hris-wfm-integration");
    const firstDelete = ops.findIndex((o) => o.startsWith("delete"));
    expect(ops.indexOf("update wfm-hris-wfm-integration")).toBeLessThan(firstDelete);
    expect(ops.filter((o) => o.startsWith("delete")).sort()).toEqual(flows.map((f) => `delete wfm-hris-workflows-${f}`));
  });

  it("a contract change replaces the action under a new name, republishes every workflow calling it, then deletes the old action", () => {
    const ops = changes("contract change");
    const replaced = ops.find((o) => o.name === "wfm-hris-data-actions-get-balance")!;
    expect(replaced).toMatchObject({ step: "replace", order: "create-before-delete" });
    expect(replaced.changed).toEqual(expect.arrayContaining(["contractOutput", "name"]));
    const callers = ["get-balance", "insert-timeoff", "update-timeoff"].map((f) => `wfm-hris-workflows-${f}`);
    for (const c of callers) expect(ops.find((o) => o.name === c)).toMatchObject({ step: "update", changed: ["substitutions"] });
    const deleteAt = ops.findIndex((o) => o.step === "delete" && o.name === "wfm-hris-data-actions-get-balance");
    for (const c of callers) expect(ops.findIndex((o) => o.name === c)).toBeLessThan(deleteAt);
    // Workflows that do not call it are left alone.
    expect(ops.map((o) => o.name)).not.toContain("wfm-hris-workflows-get-agents");
  });

  it("a trailing slash on veza.url changes nothing in Veza", () => {
    expect(changes("veza url slash").filter((o) => o.type.includes("veza"))).toEqual([]);
  });

  it("renaming the Veza provider creates the new one, moves the data source and push, then deletes the old provider", () => {
    const ops = summary(changes("veza provider rename"));
    expect(ops).toContain("replace (create-before-delete) veza-provider");
    expect(ops).toContain("replace (create-before-delete) veza-datasource");
    expect(ops.slice(-1)).toEqual(["delete veza-provider"]);
  });

  it("leaves a Veza provider the stack adopted in Veza when the veza section is removed", () => {
    const [first] = results["veza adopts and is removed"];
    expect(first.operations.find((o) => o.name === "veza-provider")!.step).toBe("create");
    const removed = changes("veza adopts and is removed");
    expect(removed.find((o) => o.name === "veza-provider")).toMatchObject({ step: "delete", changed: ["(retained)"] });
    expect(last("veza adopts and is removed").events.at(-1)!.live.some((o) => o.startsWith("existing-provider"))).toBe(true);
    expect(violationsOf("veza adopts and is removed")).toEqual([]);
  });

  it("switching Basic auth to OAuth adds the custom auth action and changes the credential in place", () => {
    const ops = summary(changes("auth basic to oauth"));
    expect(ops).toContain("create wfm-hris-data-actions-custom-auth");
    expect(ops).toContain("update wfm-hris-data-actions-credential");
    expect(ops.filter((o) => o.startsWith("delete"))).toEqual([]);
  });

  it("disabling the WFM integration is an update of that integration alone", () => {
    expect(summary(changes("wfm disabled"))).toEqual(["update wfm-hris-wfm-integration"]);
  });

  it("destroy deletes what the stack created", () => {
    const ops = changes("destroy");
    expect(ops.length).toBeGreaterThan(20);
    expect(ops.every((o) => o.step === "delete")).toBe(true);
    expect(last("destroy").events.at(-1)!.live).toEqual([]);
  });

  it("destroy leaves an adopted WFM integration in the org", () => {
    expect(results["adopted wfm integration destroyed"][0].operations.find((o) => o.name === "wfm-hris-wfm-integration")!.step).toBe("import");
    expect(changes("adopted wfm integration destroyed").find((o) => o.name === "wfm-hris-wfm-integration")).toMatchObject({ changed: ["(retained)"] });
    expect(violationsOf("adopted wfm integration destroyed")).toEqual([]);
  });

  it("wfm.keepAdoptedIntegration false, applied once, lets destroy delete the adopted integration", () => {
    expect(changes("adopted wfm integration released", 1)).toEqual([]);
    expect(changes("adopted wfm integration released").find((o) => o.name === "wfm-hris-wfm-integration")).toEqual(
      expect.not.objectContaining({ changed: ["(retained)"] }),
    );
    expect(last("adopted wfm integration released").violations.map((v) => v.kind)).toEqual(["adopted-object-deleted"]);
  });

  it("stacks deployed with customer-named resources keep every object: the old names are aliases", () => {
    const [legacy, current] = results["migration from customer-named resources"];
    expect(legacy.operations.find((o) => o.type === "wfm-hris:index:WfmHris")!.urn).toMatch(/::acme-dev$/);
    expect(changes("migration from customer-named resources")).toEqual([]);
    expect(current.operations.find((o) => o.name === "wfm-hris-data-actions-get-balance")!.formerUrn).toMatch(/::acme-dev-data-actions-get-balance$/);
  });
});

describe("identity table (docs/lifecycle.md)", () => {
  const rows = fs
    .readFileSync(path.join(PROJECT_ROOT, "docs/lifecycle.md"), "utf8")
    .split("## Identity table")[1]
    .split("\n## ")[0]
    .split("\n")
    .filter((l) => l.startsWith("| ") && l.includes("`"))
    .map((l) => l.split("|").map((c) => c.trim()))
    .map(([, , type, replaces, order, onDelete]) => ({ type: type.replace(/`/g, ""), replaces: replaces === "—" ? [] : replaces.split(", "), order, onDelete }));
  const typesOf = (plan: { resources: { type: string }[] }) => [...new Set(plan.resources.map((r) => r.type))];

  it("has a row for every resource type a stack registers", async () => {
    const { runTool } = await import("./helpers/cli");
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wfm-identity-")), "plan.json");
    const run = await runTool("plan.ts", ["--stack", "globex-prod", "--json", out, "--quiet"]);
    expect(run.stderr).toBe("");
    const plan = JSON.parse(fs.readFileSync(out, "utf8"));
    const custom = typesOf({ resources: plan.resources.filter((r: { custom: boolean; type: string }) => r.custom && !r.type.startsWith("pulumi:providers:")) });
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(custom));
    // Replace-on-change options the program registers are in the table too.
    for (const r of plan.resources as { type: string; options?: { replaceOnChanges?: string[] } }[])
      for (const k of r.options?.replaceOnChanges ?? []) expect(rows.find((row) => row.type === r.type)!.replaces).toContain(k);
  });

  it("lists exactly the replace-forcing inputs of lib/lifecycle/replacements.json", async () => {
    const { REPLACE_ON_CHANGE } = await import("../lib/lifecycle/identity");
    for (const row of rows) {
      const fromData = REPLACE_ON_CHANGE[row.type] ?? [];
      const fromOptions = row.type === "genesyscloud:index/flow:Flow" ? ["name"] : [];
      expect(new Set(row.replaces), row.type).toEqual(new Set([...fromData, ...fromOptions]));
    }
  });

  it("matches what the Veza providers' diff decides, input by input", async () => {
    const { DYNAMIC_DIFFS } = await import("../lib/lifecycle/objects");
    const { DELETE_BEFORE_REPLACE } = await import("../lib/lifecycle/identity");
    const olds: Record<string, unknown> = {
      baseUrl: "https://acme.vezacloud.com", apiKey: "k", name: "Acme", template: "hris", provisioning: false, keepAdopted: true, adopted: false,
      providerId: "p1", dataSourceId: "d1", payloadHash: "h1", payloadFile: "f", employeeCount: 1, groupCount: 1,
    };
    for (const row of rows.filter((r) => r.type in DYNAMIC_DIFFS)) {
      for (const key of Object.keys(olds).filter((k) => k !== "adopted")) {
        const changed = key === "baseUrl" ? "https://acme.vezacloud.com/" : typeof olds[key] === "string" ? `${olds[key]}-2` : typeof olds[key] === "number" ? 2 : !olds[key];
        const d = await DYNAMIC_DIFFS[row.type]("id", olds, { ...olds, [key]: changed });
        expect(d.replaces ?? [], `${row.type} ${key}`).toEqual(row.replaces.includes(key) ? [key] : []);
        expect(!!d.deleteBeforeReplace, `${row.type} ${key}`).toBe((DELETE_BEFORE_REPLACE[row.type] ?? []).includes(key));
      }
      expect(row.order.includes("delete-before-replace")).toBe(!!DELETE_BEFORE_REPLACE[row.type]);
    }
  });

  it("says retained when adopted exactly for the types the stack adopts", () => {
    const retained = rows.filter((r) => r.onDelete.includes("retained when adopted")).map((r) => r.type);
    expect(retained.sort()).toEqual(["genesyscloud:index/integration:Integration", "pulumi-nodejs:dynamic/veza:CustomProvider", "pulumi-nodejs:dynamic/veza:DataSource"]);
    // And the suite above shows it: adopted objects are left in place by destroy and by removing the section.
    expect(changes("adopted wfm integration destroyed").find((o) => o.name === "wfm-hris-wfm-integration")).toMatchObject({ changed: ["(retained)"] });
  });
});
