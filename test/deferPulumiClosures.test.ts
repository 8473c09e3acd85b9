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

describe("Pulumi's optional parts on first use (tools/deferPulumiClosures.cjs)", () => {
  it("starts the SDK without the Automation API, the TypeScript compiler, Arborist, fdir or normalize-package-data", async () => {
    expect(await inFreshProcess(`return ${JSON.stringify(DEFERRED)}.filter(loaded);`)).toEqual([]);
  });

  it("loads the Automation API on first use, with every export", async () => {
    const r = (await inFreshProcess(`const names = Object.keys(pulumi.automation).sort();
      return { names, LocalWorkspace: typeof pulumi.automation.LocalWorkspace, loaded: loaded("/@pulumi/pulumi/automation/") };`)) as {
      names: string[];
      LocalWorkspace: string;
      loaded: boolean;
    };
    const eager = Object.keys(require("@pulumi/pulumi/automation")).sort();
    expect(r).toEqual({ names: eager, LocalWorkspace: "function", loaded: true });
  });

  it("computes a program's code paths (normalize-package-data, called through the stand-in) as without the deferral", async () => {
    const body = `const paths = await pulumi.runtime.computeCodePaths(); return { paths: [...paths.keys()].sort(), loaded: loaded("/normalize-package-data/") };`;
    const [deferred, eager] = (await Promise.all([inFreshProcess(body), inFreshProcess(body, false)])) as { paths: string[]; loaded: boolean }[];
    expect(deferred.loaded).toBe(true);
    expect(deferred.paths.length).toBeGreaterThan(0);
    expect(deferred).toEqual(eager);
  });

  it("serializes a function (the TypeScript compiler through the stand-in), as a dynamic provider needs", async () => {
    const r = (await inFreshProcess(`const f = (x) => x + 1; const s = await pulumi.runtime.serializeFunction(f); return { text: s.text.includes("x + 1"), loaded: loaded("/typescript/") };`)) as {
      text: boolean;
      loaded: boolean;
    };
    expect(r).toEqual({ text: true, loaded: true });
  });
});
