import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Reads files at given commits from a local mirror of public repositories: one bare git snapshot per repository,
 * `<mirror>/<owner>+<name>/repo` (the layout the snapshot fetcher writes) or `<mirror>/<owner>+<name>` itself.
 * Nothing is fetched here: what the mirror lacks is reported, never downloaded.
 */

export interface Wanted {
  repo: string;
  commit: string;
  /** Candidate paths in the commit, first present wins (e.g. LICENSE, LICENSE.md). */
  paths: string[];
}
export type Found = { ok: true; path: string; content: Buffer } | { ok: false; problem: string; repoAbsent: boolean };

/** The git directory of a repository in the mirror, if the mirror has it. */
export function gitDirOf(mirror: string, repo: string): string | undefined {
  const base = path.join(mirror, repo.replace("/", "+"));
  return [path.join(base, "repo"), base].find((d) => fs.existsSync(path.join(d, "HEAD")) && fs.existsSync(path.join(d, "objects")));
}

/** Whether git can be run here (the corpora are read with `git cat-file`). */
export function gitAvailable(): boolean {
  const r = spawnSync("git", ["--version"], { stdio: "ignore" });
  return !r.error && r.status === 0;
}

/**
 * One `git cat-file --batch` per repository: the answer for each request is `<sha> blob <size>\n<bytes>\n`, or
 * `<request> missing` when the commit or the path does not exist.
 */
function catFiles(gitDir: string, requests: string[]): (Buffer | undefined)[] {
  const r = spawnSync("git", ["--git-dir", gitDir, "cat-file", "--batch"], { input: requests.join("\n") + "\n", maxBuffer: 512 * 1024 * 1024 });
  if (r.error || r.status !== 0) throw new Error(`git cat-file failed in ${gitDir}: ${r.error?.message ?? r.stderr.toString().trim()}`);
  const out = r.stdout;
  const answers: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < requests.length; i++) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString();
    at = eol + 1;
    const m = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
    if (!m) {
      answers.push(undefined); // "<request> missing" or "ambiguous"
      continue;
    }
    const size = Number(m[2]);
    answers.push(m[1] === "blob" ? out.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return answers;
}

/** Reads every wanted file; a repository absent from the mirror or a path absent at its commit is a problem. */
export function readFromMirror(mirror: string, wanted: Wanted[]): Found[] {
  const byRepo = new Map<string, number[]>();
  wanted.forEach((w, i) => byRepo.set(w.repo, [...(byRepo.get(w.repo) ?? []), i]));
  const found: Found[] = new Array(wanted.length);
  for (const [repo, indexes] of byRepo) {
    const gitDir = gitDirOf(mirror, repo);
    if (!gitDir) {
      for (const i of indexes) found[i] = { ok: false, problem: `${repo} is not in the mirror`, repoAbsent: true };
      continue;
    }
    const requests = indexes.flatMap((i) => wanted[i].paths.map((p) => `${wanted[i].commit}:${p}`));
    const answers = catFiles(gitDir, requests);
    let k = 0;
    for (const i of indexes) {
      const w = wanted[i];
      const hits = w.paths.map((p, j) => ({ p, content: answers[k + j] }));
      k += w.paths.length;
      const hit = hits.find((h) => h.content);
      found[i] = hit ? { ok: true, path: hit.p, content: hit.content! } : { ok: false, problem: `${repo} has no ${w.paths.join(" or ")} at ${w.commit}`, repoAbsent: false };
    }
  }
  return found;
}
