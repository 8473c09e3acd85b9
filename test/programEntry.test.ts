/**
 * `pulumi up` runs the program as Pulumi.yaml says, not as `npm run plan` does. The CLI's Node.js language host
 * starts `node <runtime.options.nodeargs> .../@pulumi/pulumi/cmd/run <main>`; @pulumi/pulumi/cmd/run/run.js then
 * registers ts-node only when PULUMI_NODEJS_TYPESCRIPT is "true" (`typescript: false` turns it off), takes the
 * program from Pulumi.yaml's `main` (package.json's `exports`/`main` only when there is none: here that would be the
 * component library, dist/components/index.js), and `require`s it unless package.json says "type": "module".
 * The offline plan runs the compiled dist/index.js with start-up caches; these tests hold the CLI's path to the same
 * program and the same resources.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../lib/paths";
import { runTool } from "./helpers/cli";
import { TSX_PLAN_STACK, tsxProgramRun } from "./helpers/tsxProgram";

const project = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
  main?: string;
  runtime: { name: string; options?: { typescript?: boolean; nodeargs?: string } };
};
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { type?: string; dependencies: Record<string, string> };
const runJs = fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "cmd", "run", "run.js"), "utf8");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-entry-"));

describe("the program the Pulumi CLI runs (Pulumi.yaml)", () => {
  it("is index.ts, named as main and run through tsx, with Pulumi's own TypeScript support off", () => {
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false, nodeargs: "--import tsx", packagemanager: "npm" } });
    expect(project.main).toBe("index.ts");
    expect(fs.statSync(path.join(PROJECT_ROOT, project.main!)).isFile()).toBe(true);
    // A dependency, not a dev dependency: `pulumi install` / `npm ci --omit=dev` on a deploy machine keeps it.
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it("is required as CommonJS by the SDK's runner, as this package is not an ES module package", () => {
    expect(pkg.type).not.toBe("module");
    // The SDK's branch: dynamic import only for "type": "module", else require(program).
    expect(runJs).toContain('if (packageObject["type"] === "module") {');
    expect(runJs).toContain("programExport = require(program);");
    expect(runJs).toContain('const typeScript = process.env["PULUMI_NODEJS_TYPESCRIPT"] === "true";');
  });

  // globex-prod (TSX_PLAN_STACK): the sample with the most moving parts (OAuth credentials, custom naming, Veza's
  // dynamic providers, whose functions the SDK serializes). One stack: an uncompiled plan costs ~3 CPU-s of the suite.
  // The plan is made by the program as the CLI loads it (test/helpers/programUnderTsx.ts, first thing in its process).
  it.each([TSX_PLAN_STACK])("plans %s from the sources through tsx exactly as the compiled offline plan (dist/, start-up and lint caches) does", async (stack) => {
    const compiledFile = path.join(tmp, `${stack}.json`);
    const [{ status, plan: cli }, compiled] = await Promise.all([tsxProgramRun(), runTool("plan.ts", ["--stack", stack, "--quiet", "--json", compiledFile])]);
    expect(cli.stderr).toBe("");
    expect(status).toBe(0);
    expect(cli.stdout).not.toBeNull();
    expect(compiled.status).toBe(0);
    expect(JSON.parse(cli.stdout!).resources.length).toBeGreaterThan(15);
    expect(cli.stdout).toBe(fs.readFileSync(compiledFile, "utf8"));
  });
});
