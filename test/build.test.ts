/**
 * tools/run.cjs and tools/build.cjs in a scratch project (a copy of the two scripts, one tool, this node_modules):
 * the npm commands run compiled code that is never stale, without a manual build.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../lib/paths";
import { withProcessSlot } from "./helpers/processes";

function scratchProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-build-"));
  fs.mkdirSync(path.join(root, "tools"));
  fs.mkdirSync(path.join(root, "lib"));
  for (const f of ["build.cjs", "run.cjs", "deferPulumiClosures.cjs", "deferModules.cjs", "startupCache.cjs"]) fs.copyFileSync(path.join(PROJECT_ROOT, "tools", f), path.join(root, "tools", f));
  fs.copyFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), path.join(root, "tsconfig.json"));
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  fs.writeFileSync(path.join(root, "lib", "data.json"), '{ "greeting": "hello" }\n');
  fs.writeFileSync(path.join(root, "tools", "hello.ts"), 'import data from "../lib/data.json";\nconst who: string = process.argv[2];\nconsole.log(`${data.greeting} ${who}`);\n');
  return root;
}

const run = (root: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  withProcessSlot(
    () =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [path.join(root, "tools", "run.cjs"), ...args], { cwd: root, encoding: "utf8", env }, (e, stdout, stderr) =>
          resolve({ status: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        ),
      ),
  );

describe("compiled tools (tools/run.cjs)", () => {
  it("compiles on first use, with the tool's arguments and the JSON files it imports", async () => {
    const root = scratchProject();
    const r = await run(root, ["hello", "world"]);
    expect(r).toMatchObject({ status: 0, stdout: "hello world\n" });
    expect(fs.existsSync(path.join(root, "dist", "tools", "hello.js"))).toBe(true);
  });

  it("recompiles when a source changes, so a command never runs stale code", async () => {
    const root = scratchProject();
    expect((await run(root, ["hello", "a"])).stdout).toBe("hello a\n");
    fs.writeFileSync(path.join(root, "lib", "data.json"), '{ "greeting": "goodbye" }\n');
    expect((await run(root, ["hello", "b"])).stdout).toBe("goodbye b\n");
  });

  it("runs every command when several start together on a stale tree, and leaves no lock", async () => {
    const root = scratchProject();
    const results = await Promise.all(["1", "2", "3", "4"].map((n) => run(root, ["hello", n])));
    expect(results.map((r) => r.stdout)).toEqual(["hello 1\n", "hello 2\n", "hello 3\n", "hello 4\n"]);
    expect(fs.existsSync(path.join(root, "dist.lock"))).toBe(false);
  });

  it("names the file and line of a syntax error, exit 1 and no stack trace", async () => {
    const root = scratchProject();
    fs.writeFileSync(path.join(root, "tools", "hello.ts"), "const x = ;\n");
    const r = await run(root, ["hello"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("tools/hello.ts:1:");
    expect(r.stderr).toContain("could not compile the sources to dist/");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 with the list of tools for an unknown one", async () => {
    const r = await run(scratchProject(), ["nope"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("where <tool> is one of: hello");
  });

  it("--warm (npm ci's prepare) builds, then plans every stack and the default one, leaving the plan tool's start-up cache", async () => {
    const root = scratchProject();
    // A stand-in plan tool that records how it was run.
    fs.writeFileSync(
      path.join(root, "tools", "plan.ts"),
      'import * as fs from "node:fs";\nfs.appendFileSync("runs.txt", `${JSON.stringify([process.argv.slice(2), Object.keys(process.env).filter((k) => k.startsWith("npm_"))])}\\n`);\n',
    );
    const env = { ...process.env, npm_config_save: "true", npm_lifecycle_event: "prepare" };
    const warm = await withProcessSlot(
      () =>
        new Promise<number>((resolve) =>
          execFile(process.execPath, [path.join(root, "tools", "build.cjs"), "--warm"], { cwd: root, env }, (e) => resolve(e ? ((e as { code?: number }).code ?? 1) : 0)),
        ),
    );
    expect(warm).toBe(0);
    // npm's settings (npm_config_save would read as a misplaced --save) are not passed on.
    expect(fs.readFileSync(path.join(root, "runs.txt"), "utf8")).toBe(`${JSON.stringify([["--all"], []])}\n${JSON.stringify([["--quiet"], []])}\n`);
    expect(fs.readdirSync(path.join(root, "dist", ".startup")).sort()).toEqual(["plan.code", "plan.resolutions.json"]);
  });

  it("--warm never fails the install, whatever the plan does", async () => {
    const root = scratchProject();
    fs.writeFileSync(path.join(root, "tools", "plan.ts"), "process.exit(1);\n");
    const warm = await withProcessSlot(
      () =>
        new Promise<number>((resolve) =>
          execFile(process.execPath, [path.join(root, "tools", "build.cjs"), "--warm"], { cwd: root }, (e) => resolve(e ? ((e as { code?: number }).code ?? 1) : 0)),
        ),
    );
    expect(warm).toBe(0);
    expect(fs.existsSync(path.join(root, "dist", "tools", "plan.js"))).toBe(true);
  });

  describe("start-up cache (tools/startupCache.cjs)", () => {
    const startup = (root: string) => path.join(root, "dist", ".startup");
    /** A tool that requires a module of its own (resolved and compiled like any other) and prints what it says. */
    function withHelper(root: string): string {
      fs.writeFileSync(path.join(root, "lib", "helper.ts"), 'export const word = "first";\n');
      fs.writeFileSync(path.join(root, "tools", "hello.ts"), 'import { word } from "../lib/helper";\nconsole.log(`${word} ${process.argv[2]}`);\n');
      return root;
    }

    it("keeps the tool's resolutions and compiled code, and a start from them prints the same", async () => {
      const root = withHelper(scratchProject());
      expect((await run(root, ["hello", "a"])).stdout).toBe("first a\n");
      expect(fs.readdirSync(startup(root)).sort()).toEqual(["hello.code", "hello.resolutions.json"]);
      const kept = JSON.parse(fs.readFileSync(path.join(startup(root), "hello.resolutions.json"), "utf8")) as { answers: Record<string, string> };
      expect(Object.values(kept.answers)).toContain(path.join(fs.realpathSync(root), "dist", "lib", "helper.js"));
      expect(await run(root, ["hello", "b"])).toMatchObject({ status: 0, stdout: "first b\n", stderr: "" });
    });

    it("runs a module changed in place, not its kept compiled code, even when its length is the same", async () => {
      const root = withHelper(scratchProject());
      await run(root, ["hello", "a"]);
      // As an installed package edited in place would be: no rebuild, same length (V8 only checks the length).
      const compiled = path.join(root, "dist", "lib", "helper.js");
      const text = fs.readFileSync(compiled, "utf8");
      fs.writeFileSync(compiled, text.replace('"first"', '"again"'));
      expect((await run(root, ["hello", "b"])).stdout).toBe("again b\n");
    });

    it("resolves again a kept resolution whose file is gone", async () => {
      const root = withHelper(scratchProject());
      await run(root, ["hello", "a"]);
      // lib/helper.js becomes lib/helper/index.js, as a package restructured without a new lockfile would.
      const compiled = path.join(root, "dist", "lib", "helper.js");
      fs.mkdirSync(path.join(root, "dist", "lib", "helper"));
      fs.writeFileSync(path.join(root, "dist", "lib", "helper", "index.js"), fs.readFileSync(compiled, "utf8").replace('"first"', '"moved"'));
      fs.rmSync(compiled);
      expect((await run(root, ["hello", "b"])).stdout).toBe("moved b\n");
    });

    it("drops kept code a start no longer uses once it is more than half of what the start used, and prints the same", async () => {
      const root = withHelper(scratchProject());
      // A module the tool needs only for one argument, larger than the rest (as zod is to a sync that finds its config validated).
      const functions = Array.from({ length: 400 }, (_, i) => `export function f${i}(x: number) { return x * ${i} + ${i}; }`).join("\n");
      fs.writeFileSync(path.join(root, "lib", "big.ts"), `${functions}\nexport const total = f399(1);\n`);
      fs.writeFileSync(
        path.join(root, "tools", "hello.ts"),
        'import { word } from "../lib/helper";\nconst extra = process.argv[2] === "big" ? ` ${(require("../lib/big") as { total: number }).total}` : "";\nconsole.log(`${word}${extra}`);\n',
      );
      const keptModules = () => {
        const blob = fs.readFileSync(path.join(startup(root), "hello.code"));
        return (JSON.parse(blob.toString("utf8", 4, 4 + blob.readUInt32LE(0))) as [string][]).map(([file]) => path.basename(file)).sort();
      };
      expect((await run(root, ["hello", "big"])).stdout).toBe("first 798\n");
      expect(keptModules()).toEqual(["big.js", "hello.js", "helper.js"]);
      expect((await run(root, ["hello", "small"])).stdout).toBe("first\n");
      expect(keptModules()).toEqual(["hello.js", "helper.js"]);
      expect((await run(root, ["hello", "big"])).stdout).toBe("first 798\n");
      expect(keptModules()).toEqual(["big.js", "hello.js", "helper.js"]);
    });

    it("keeps nothing with WFM_HRIS_STARTUP_CACHE=off", async () => {
      const root = withHelper(scratchProject());
      expect((await run(root, ["hello", "a"], { ...process.env, WFM_HRIS_STARTUP_CACHE: "off" })).stdout).toBe("first a\n");
      expect(fs.existsSync(startup(root))).toBe(false);
    });

    it("names the file and line of an error thrown by a module compiled from kept code", async () => {
      const root = scratchProject();
      fs.writeFileSync(path.join(root, "tools", "hello.ts"), 'if (process.argv[2] === "fail") {\n  throw new Error("boom");\n}\nconsole.log("ok");\n');
      expect((await run(root, ["hello", "x"])).stdout).toBe("ok\n");
      const kept = await run(root, ["hello", "fail"]);
      const compiledByNode = await run(root, ["hello", "fail"], { ...process.env, WFM_HRIS_STARTUP_CACHE: "off" });
      // The location Node prints first and the top stack frame: the same file, line and column either way.
      const where = (stderr: string) => [stderr.split("\n")[0], stderr.split("\n").find((l) => l.trim().startsWith("at "))];
      expect(kept.status).toBe(1);
      expect(where(kept.stderr)[0]).toMatch(new RegExp(`${path.join(fs.realpathSync(root), "dist", "tools", "hello.js").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+$`));
      expect(where(kept.stderr)).toEqual(where(compiledByNode.stderr));
      expect(kept.stderr).toContain("Error: boom");
    });

    it("leaves compiling to Node when source maps are on, so stack traces still name the TypeScript source", async () => {
      const root = scratchProject();
      fs.writeFileSync(path.join(root, "tools", "hello.ts"), 'if (process.argv[2] === "fail") {\n  throw new Error("boom");\n}\nconsole.log("ok");\n');
      const env = { ...process.env, NODE_OPTIONS: "--enable-source-maps" };
      expect((await run(root, ["hello", "x"], env)).stdout).toBe("ok\n");
      const r = await run(root, ["hello", "fail"], env);
      expect(r.stderr).toContain(`${path.join(fs.realpathSync(root), "tools", "hello.ts")}:2`);
      expect(fs.readdirSync(startup(root))).toEqual(["hello.resolutions.json"]);
    });
  });
});
