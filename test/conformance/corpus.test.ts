import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusFiles, locateCorpus } from "./corpus";
import { gitAvailable, readFromMirror } from "./mirror";

/**
 * How the suites find the corpora they never commit: a folder, else the local mirror read at each recorded commit,
 * else a printed reason to skip. The mirror here is a bare git snapshot built in a temporary folder.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "corpus-test-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("where a corpus comes from", () => {
  it("skips, saying why, when there is neither a corpus folder nor a mirror", () => {
    expect(locateCorpus("data-actions", { WFM_HRIS_MIRROR: path.join(tmp, "no-mirror") })).toEqual({
      reason: `no corpus folder (WFM_HRIS_CORPUS) and no mirror of public repositories at ${path.join(tmp, "no-mirror")} (WFM_HRIS_MIRROR)`,
    });
  });

  it("uses WFM_HRIS_CORPUS first, and names it when the suite's folder is missing there", () => {
    fs.mkdirSync(path.join(tmp, "corpus", "flows"), { recursive: true });
    expect(locateCorpus("flows", { WFM_HRIS_CORPUS: path.join(tmp, "corpus"), WFM_HRIS_MIRROR: "/nowhere" })).toMatchObject({ dir: path.join(tmp, "corpus", "flows") });
    expect(locateCorpus("data-actions", { WFM_HRIS_CORPUS: path.join(tmp, "corpus") })).toEqual({
      reason: `WFM_HRIS_CORPUS is set but ${path.join(tmp, "corpus", "data-actions")} does not exist`,
    });
  });

  it("skips, naming the repositories to fetch, when the mirror lacks some", () => {
    fs.mkdirSync(path.join(tmp, "empty-mirror"));
    const l = locateCorpus("flows", { WFM_HRIS_MIRROR: path.join(tmp, "empty-mirror") });
    expect(l.dir).toBeUndefined();
    expect((l as { reason: string }).reason).toMatch(/lacks \d+ of its repositories \(GenesysCloudBlueprints\/[^ ]+ is not in the mirror; .*fetch those named in test\/conformance\/flows\/manifest.json$/);
  });

  it("needs, for each manifest entry, its file at its commit and its repository's licence file", () => {
    const files = corpusFiles("flows");
    const callback = files.filter((f) => f.wanted.repo === "GenesysCloudBlueprints/callback-prioritization").map((f) => f.dest);
    expect(callback).toEqual([
      "files/callback-prioritization--terraform_Callback-Prioritization-Workflow.yaml",
      "actions/callback-prioritization/Get-Callback-Priority.custom.json",
      "actions/callback-prioritization/Get-Interaction-State.custom.json",
      "actions/callback-prioritization/Update-Callback-Priority.custom.json",
      "licenses/callback-prioritization.LICENSE",
    ]);
    expect(files.find((f) => f.dest === "licenses/callback-prioritization.LICENSE")!.wanted.paths[0]).toBe("LICENSE");
  });
});

describe.skipIf(!gitAvailable())("reading a mirror", () => {
  const mirror = path.join(tmp, "mirror");
  let first = "";
  let second = "";
  beforeAll(() => {
    const work = path.join(tmp, "work");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-C", work, ...args], { encoding: "utf8" }).trim();
    fs.mkdirSync(path.join(work, "exports"), { recursive: true });
    execFileSync("git", ["init", "-q", work]);
    fs.writeFileSync(path.join(work, "exports", "Get Thing.custom.json"), '{"name":"v1"}\n');
    fs.writeFileSync(path.join(work, "LICENSE.md"), "MIT License\n");
    git("add", ".");
    git("commit", "-qm", "one");
    first = git("rev-parse", "HEAD");
    fs.writeFileSync(path.join(work, "exports", "Get Thing.custom.json"), '{"name":"v2"}\n');
    git("commit", "-qam", "two");
    second = git("rev-parse", "HEAD");
    execFileSync("git", ["clone", "-q", "--bare", work, path.join(mirror, "acme+blueprint", "repo")]);
  });

  it("reads a file as it was at the recorded commit, not as it is now, paths with spaces included", () => {
    const [a, b] = readFromMirror(mirror, [
      { repo: "acme/blueprint", commit: first, paths: ["exports/Get Thing.custom.json"] },
      { repo: "acme/blueprint", commit: second, paths: ["exports/Get Thing.custom.json"] },
    ]);
    expect(a.ok && a.content.toString()).toBe('{"name":"v1"}\n');
    expect(b.ok && b.content.toString()).toBe('{"name":"v2"}\n');
  });

  it("takes the first licence file name the commit has", () => {
    const [l] = readFromMirror(mirror, [{ repo: "acme/blueprint", commit: first, paths: ["LICENSE", "LICENSE.md"] }]);
    expect(l).toMatchObject({ ok: true, path: "LICENSE.md" });
  });

  it("tells a repository the mirror lacks from a path its commit lacks", () => {
    const [absent, missing] = readFromMirror(mirror, [
      { repo: "acme/other", commit: first, paths: ["x.json"] },
      { repo: "acme/blueprint", commit: first, paths: ["exports/Nothing.json"] },
    ]);
    expect(absent).toEqual({ ok: false, problem: "acme/other is not in the mirror", repoAbsent: true });
    expect(missing).toEqual({ ok: false, problem: `acme/blueprint has no exports/Nothing.json at ${first}`, repoAbsent: false });
  });
});
