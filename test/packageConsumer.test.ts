/**
 * The package as another TypeScript program uses it: examples/consumer depends on it by path (file:../..), imports
 * it by name, and composes its components its own way. Planned offline through the package's public entry point
 * (package.json exports → dist/components/index.js) and type-checked against the built declarations.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../lib/plan/run";
import { PROJECT_ROOT } from "../lib/paths";
import { runShared, withProcessSlot } from "./helpers/processes";
import { TYPE_CHECKS } from "./helpers/typeChecks";

const CONSUMER = path.join(PROJECT_ROOT, "examples/consumer");
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"));

const run = (file: string, args: string[], cwd = PROJECT_ROOT) =>
  withProcessSlot(
    () =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
        execFile(file, args, { cwd, maxBuffer: 64 << 20, encoding: "utf8" }, (e, stdout, stderr) => resolve({ status: e ? 1 : 0, stdout, stderr })),
      ),
  );

let plan: Plan;
// Asked now, so it runs beside the consumer's plan (answered once for the whole run: test/helpers/typeChecks.ts).
const typeChecks = runShared(TYPE_CHECKS);
beforeAll(async () => {
  // What `npm install` does for the consumer's file:../.. dependency: a link to the package, built (prepare).
  createRequire(import.meta.url)(path.join(PROJECT_ROOT, "tools/build.cjs")).ensureBuilt();
  const link = path.join(CONSUMER, "node_modules", "wfm-hris");
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
      fs.symlinkSync(path.relative(path.dirname(link), PROJECT_ROOT), link, "dir");
    } catch (e) {
      // Made meanwhile by the type checks, which link it the same way (test/helpers/tscProjects.cjs --link).
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  // The consumer's TypeScript compiled on load, the package as it is installed (dist/): test/helpers/compiledProgram.cjs.
  const r = await run(process.execPath, ["test/helpers/compiledProgram.cjs", "test/fixtures/consumerPlan.ts"]);
  if (r.status !== 0) throw new Error(`planning examples/consumer failed:\n${r.stderr}`);
  plan = JSON.parse(r.stdout);
});

const byType = (type: string) => plan.resources.filter((r) => r.type === type);

describe("the package's public entry point", () => {
  it("is what package.json exports, compiled JavaScript with declarations beside it", () => {
    expect(pkg.exports["."]).toEqual({ types: "./types/components/index.d.ts", default: "./dist/components/index.js" });
    expect(pkg.types).toBe("types/components/index.d.ts");
    expect(fs.existsSync(path.join(PROJECT_ROOT, pkg.exports["."].default))).toBe(true);
  });

  it("publishes the compiled code without what the tools keep between runs on the build machine (dist/.startup: compiled code, validated stack configs)", async () => {
    // There after npm ci (its warm-up) and any `npm run` of a tool; one more file makes sure the folder is not empty.
    const marker = path.join(PROJECT_ROOT, "dist", ".startup", `pack-check-${process.pid}`);
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, "");
    const r = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"]).finally(() => fs.rmSync(marker, { force: true }));
    expect(r.status, r.stderr).toBe(0);
    const files = (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toContain(pkg.exports["."].default.slice(2));
    expect(files.filter((f) => f.startsWith("dist/.startup/") || f.endsWith(".tsbuildinfo"))).toEqual([]);
  });

  it("is the only way the consumer reaches the package: it imports packages by name, never a path into this repository", () => {
    const source = fs.readFileSync(path.join(CONSUMER, "index.ts"), "utf8");
    const specifiers = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(specifiers.sort()).toEqual(["@pulumi/genesyscloud", "@pulumi/pulumi", "wfm-hris"]);
    expect(JSON.parse(fs.readFileSync(path.join(CONSUMER, "package.json"), "utf8")).dependencies["wfm-hris"]).toBe("file:../..");
  });
});

describe("a program composing the components its own way (examples/consumer)", () => {
  it("plans its own components under its own names, each resource parented in its component", () => {
    const components = plan.resources.filter((r) => !r.custom && r.type.startsWith("wfm-hris:"));
    expect(components.map((c) => [c.type, c.name])).toEqual([
      ["wfm-hris:genesys:DataActionLayer", "bamboohr-actions"],
      ["wfm-hris:genesys:WfmHrisIntegration", "wfm-time-off"],
      ["wfm-hris:genesys:Workflows", "time-off-workflows"],
    ]);
    for (const r of plan.resources.filter((r) => r.type.startsWith("genesyscloud:index/")))
      expect(r.provider, r.urn).toBe("urn:pulumi:prod::initrode-time-off::pulumi:providers:genesyscloud::genesys");
  });

  it("deploys the BambooHR data actions under its integration name and the workflows from the package's files, relative to the program", () => {
    const actions = byType("genesyscloud:index/integrationAction:IntegrationAction");
    expect(actions).toHaveLength(5);
    for (const a of actions) expect(a.inputs.category).toBe("Initrode HR Data Actions");
    const flows = byType("genesyscloud:index/flow:Flow");
    expect(flows.map((f) => [f.inputs.filepath, f.inputs.name]).sort()).toEqual([
      ["../../flows/get-agents.yaml", "Initrode HRIS-Get-Agents"],
      ["../../flows/get-balance.yaml", "Initrode HRIS-Get-Balance"],
      ["../../flows/get-timeoff-types.yaml", "Initrode HRIS-Get-TimeOff-Types"],
      ["../../flows/insert-timeoff.yaml", "Initrode HRIS-Insert-TimeOff"],
      ["../../flows/update-timeoff.yaml", "Initrode HRIS-Update-TimeOff"],
    ]);
    for (const f of flows) expect(fs.existsSync(path.resolve(CONSUMER, f.inputs.filepath as string))).toBe(true);
  });

  it("points WFM at the four time-off workflows only, with the type it named", () => {
    const [wfm] = byType("genesyscloud:index/integration:Integration").filter((i) => i.name === "wfm-time-off-integration");
    expect(wfm.inputs).toMatchObject({ integrationType: "wfm-type-from-the-org", intendedState: "ENABLED", config: { name: "Initrode Time Off (BambooHR)" } });
  });

  it("keeps the BambooHR key secret: a secret credential, and the key nowhere in the plan", () => {
    const [credential] = byType("genesyscloud:index/integrationCredential:IntegrationCredential");
    expect(credential.inputs).toMatchObject({ name: "initrode-bamboohr", credentialTypeName: "basicAuth", fields: "[secret]" });
    expect(JSON.stringify(plan)).not.toContain("canary-initrode-bamboo-key");
  });
});

describe("the built declarations", () => {
  it("type-check the consumer against the package's exported types", async () => {
    // `tsc -p tsconfig.package.json` (npm run build:types), then `tsc -p examples/consumer` (noEmit in its config),
    // in one process that parses the libraries' declarations once for both, and for the component schema
    // test/componentSchema.test.ts reads from the same run (test/helpers/tscProjects.cjs, TYPE_CHECKS).
    const r = await typeChecks;
    expect(r.status, r.stderr).toBe(0);
    const [built, checked] = (JSON.parse(r.stdout) as { projects: { project: string; status: number; output: string }[] }).projects;
    expect(built, "the package's declarations").toEqual({ project: "tsconfig.package.json", status: 0, output: "" });
    expect(checked, "the consumer against them").toEqual({ project: "examples/consumer/tsconfig.json", status: 0, output: "" });
  });
});
