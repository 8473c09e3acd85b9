/**
 * lib/stackContentCache.ts: a stack's validated content is kept for the next start of a compiled tool, with what
 * loading it read; it is used only while every file, folder listing and existence it read is unchanged.
 */
import { createRequire } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cachedStackContent } from "../lib/stackContentCache";

/** Node's fs module as the compiled code reaches it (what the cache records the calls of). */
const nodeFs = createRequire(import.meta.url)("node:fs") as typeof fs;

const STARTUP_CACHE = Symbol.for("wfm-hris.startupCache");
const globals = globalThis as { [STARTUP_CACHE]?: { dir: string; sources: string; root: string } };

/** A project with a folder of definitions, and the cache turned on as tools/run.cjs does. */
function project(): { root: string; defs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-content-cache-"));
  const defs = path.join(root, "defs");
  fs.mkdirSync(defs);
  fs.writeFileSync(path.join(defs, "a.json"), '{"name":"A"}');
  globals[STARTUP_CACHE] = { dir: path.join(root, "dist", ".startup"), sources: "sources-1", root };
  return { root, defs };
}

/** A load like loadStackContent's: lists the folder, reads each file; counts its runs. */
function loader(defs: string) {
  const runs = { count: 0 };
  const load = () => {
    runs.count++;
    return { names: nodeFs.readdirSync(defs).sort().map((f) => (JSON.parse(nodeFs.readFileSync(path.join(defs, f), "utf8")) as { name: string }).name), optional: undefined };
  };
  return { load, runs };
}

afterEach(() => {
  delete globals[STARTUP_CACHE];
});

describe("stack content kept with what it read (lib/stackContentCache.ts)", () => {
  it("loads once, then gives back the same content while nothing it read changed", () => {
    const { root, defs } = project();
    const { load, runs } = loader(defs);
    const first = cachedStackContent({ stack: "dev" }, root, load);
    const again = cachedStackContent({ stack: "dev" }, root, load);
    expect(runs.count).toBe(1);
    expect(again).toStrictEqual(first);
    expect(again).toStrictEqual({ names: ["A"], optional: undefined });
  });

  it("loads again when a file it read changed", () => {
    const { root, defs } = project();
    const { load, runs } = loader(defs);
    cachedStackContent({ stack: "dev" }, root, load);
    fs.writeFileSync(path.join(defs, "a.json"), '{"name":"A2"}');
    expect(cachedStackContent({ stack: "dev" }, root, load)).toMatchObject({ names: ["A2"] });
    expect(runs.count).toBe(2);
  });

  it("loads again when a file is added to a folder it listed", () => {
    const { root, defs } = project();
    const { load, runs } = loader(defs);
    cachedStackContent({ stack: "dev" }, root, load);
    fs.writeFileSync(path.join(defs, "b.json"), '{"name":"B"}');
    expect(cachedStackContent({ stack: "dev" }, root, load)).toMatchObject({ names: ["A", "B"] });
    expect(runs.count).toBe(2);
  });

  it("loads again for another config or other compiled sources", () => {
    const { root, defs } = project();
    const { load, runs } = loader(defs);
    cachedStackContent({ stack: "dev" }, root, load);
    cachedStackContent({ stack: "prod" }, root, load);
    globals[STARTUP_CACHE] = { ...globals[STARTUP_CACHE]!, sources: "sources-2" };
    cachedStackContent({ stack: "dev" }, root, load);
    expect(runs.count).toBe(3);
  });

  it("never keeps a load that failed: its error comes again from a new load", () => {
    const { root } = project();
    let runs = 0;
    const failing = () => {
      runs++;
      throw new Error("Invalid data action definitions");
    };
    expect(() => cachedStackContent({ stack: "dev" }, root, failing)).toThrow("Invalid data action definitions");
    expect(() => cachedStackContent({ stack: "dev" }, root, failing)).toThrow("Invalid data action definitions");
    expect(runs).toBe(2);
  });

  it("never keeps a load that printed something (a warning is printed on every run)", () => {
    const { root, defs } = project();
    const { load, runs } = loader(defs);
    const warning = () => {
      process.stderr.write("");
      return load();
    };
    cachedStackContent({ stack: "dev" }, root, warning);
    cachedStackContent({ stack: "dev" }, root, warning);
    expect(runs.count).toBe(2);
  });

  it("keeps nothing unless tools/run.cjs turned it on", () => {
    const { root, defs } = project();
    delete globals[STARTUP_CACHE];
    const { load, runs } = loader(defs);
    cachedStackContent({ stack: "dev" }, root, load);
    cachedStackContent({ stack: "dev" }, root, load);
    expect(runs.count).toBe(2);
    expect(fs.existsSync(path.join(root, "dist"))).toBe(false);
  });
});
