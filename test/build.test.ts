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
  for (const f of ["build.cjs", "run.cjs", "deferPulumiClosures.cjs"]) fs.copyFileSync(path.join(PROJECT_ROOT, "tools", f), path.join(root, "tools", f));
  fs.copyFileSync(path.join(PROJECT_ROOT, "tsconfig.json"), path.join(root, "tsconfig.json"));
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  fs.writeFileSync(path.join(root, "lib", "data.json"), '{ "greeting": "hello" }\n');
  fs.writeFileSync(path.join(root, "tools", "hello.ts"), 'import data from "../lib/data.json";\nconst who: string = process.argv[2];\nconsole.log(`${data.greeting} ${who}`);\n');
  return root;
}

const run = (root: string, args: string[]) =>
  withProcessSlot(
    () =>
      new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, [path.join(root, "tools", "run.cjs"), ...args], { cwd: root, encoding: "utf8" }, (e, stdout, stderr) =>
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
});
