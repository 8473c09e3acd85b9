/**
 * tools/deferPulumiClosures.cjs: the parts of @pulumi/pulumi a program may never use load on first use, and behave
 * as if loaded eagerly. Checked in a fresh process (the test workers install the deferral themselves).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../lib/paths";
import { withProcessSlot } from "./helpers/processes";

/** Runs `body` after the deferral (unless `defer` is false) and `require("@pulumi/pulumi")` in a fresh node; it prints one JSON value. */
const inFreshProcess = (body: string, defer = true) =>
  withProcessSlot(
    () =>
      new Promise<unknown>((resolve, reject) =>
        execFile(
          process.execPath,
          [
            "-e",
            `${defer ? `require(${JSON.stringify(path.join(PROJECT_ROOT, "tools", "deferPulumiClosures.cjs"))}).deferPulumiClosures();` : ""}
const pulumi = require("@pulumi/pulumi");
const loaded = (part) => Object.keys(require.cache).some((f) => f.replace(/\\\\/g, "/").includes(part));
(async () => { ${body} })().then((v) => process.stdout.write(JSON.stringify(v)), (e) => { console.error(e); process.exit(1); });`,
          ],
          { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
          (e, stdout, stderr) => (e ? reject(new Error(stderr)) : resolve(JSON.parse(stdout))),
        ),
      ),
  );

const DEFERRED = ["/@pulumi/pulumi/automation/", "/typescript/", "/@npmcli/arborist/", "/fdir/", "/normalize-package-data/"];

/** What a program computing its code paths sees: the paths, and whether normalize-package-data was loaded before and after. */
const CODE_PATHS = `const before = loaded("/normalize-package-data/"); const paths = await pulumi.runtime.computeCodePaths();
  return { paths: [...paths.keys()].sort(), before, loaded: loaded("/normalize-package-data/") };`;

interface FirstUses {
  start: string[];
  codePaths: { paths: string[]; before: boolean; loaded: boolean };
  serialize: { text: boolean; before: boolean; loaded: boolean };
  automation: { names: string[]; LocalWorkspace: string; before: boolean; loaded: boolean };
}

/**
 * One fresh process with the deferral for every first use below, one after the other (a process costs ~0.5 s of CPU
 * loading the SDK): each part is checked unloaded just before its first use, so each use still observes its own
 * load. The code paths come first: they are what the eager process below computes too.
 */
let firstUses: Promise<FirstUses> | undefined;
const deferredFirstUses = () =>
  (firstUses ??= inFreshProcess(`const start = ${JSON.stringify(DEFERRED)}.filter(loaded);
    const codePaths = await (async () => { ${CODE_PATHS} })();
    const serialize = await (async () => { const before = loaded("/typescript/"); const f = (x) => x + 1; const s = await pulumi.runtime.serializeFunction(f);
      return { text: s.text.includes("x + 1"), before, loaded: loaded("/typescript/") }; })();
    const before = loaded("/@pulumi/pulumi/automation/");
    const names = Object.keys(pulumi.automation).sort();
    const automation = { names, LocalWorkspace: typeof pulumi.automation.LocalWorkspace, before, loaded: loaded("/@pulumi/pulumi/automation/") };
    return { start, codePaths, serialize, automation };`) as Promise<FirstUses>);

describe("Pulumi's optional parts on first use (tools/deferPulumiClosures.cjs)", () => {
  it("starts the SDK without the Automation API, the TypeScript compiler, Arborist, fdir or normalize-package-data", async () => {
    expect((await deferredFirstUses()).start).toEqual([]);
  });

  it("loads the Automation API on first use, with every export", async () => {
    const r = (await deferredFirstUses()).automation;
    const eager = Object.keys(require("@pulumi/pulumi/automation")).sort();
    expect(r).toEqual({ names: eager, LocalWorkspace: "function", before: false, loaded: true });
  });

  it("computes a program's code paths (normalize-package-data, called through the stand-in) as without the deferral", async () => {
    const [{ codePaths: deferred }, eager] = (await Promise.all([deferredFirstUses(), inFreshProcess(CODE_PATHS, false)])) as [FirstUses, FirstUses["codePaths"]];
    expect(deferred.before).toBe(false);
    expect(deferred.loaded).toBe(true);
    expect(deferred.paths.length).toBeGreaterThan(0);
    expect(deferred.paths).toEqual(eager.paths);
  });

  it("serializes a function (the TypeScript compiler through the stand-in), as a dynamic provider needs", async () => {
    expect((await deferredFirstUses()).serialize).toEqual({ text: true, before: false, loaded: true });
  });
});
