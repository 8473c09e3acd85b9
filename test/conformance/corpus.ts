import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { gitAvailable, readFromMirror, type Wanted } from "./mirror";

/**
 * Where the conformance corpora come from. They are real public files (Genesys blueprints' data action exports and
 * Archy flows) that the project never commits: the manifests next to this file record each file's repository,
 * commit, path and licence, and the files are read at run time from, in order:
 *
 * 1. WFM_HRIS_CORPUS: a folder holding `data-actions/` and `flows/` laid out as the manifests name them;
 * 2. the local mirror of public repositories (WFM_HRIS_MIRROR, default /work/.mirror: one bare git snapshot per
 *    repository), each file read with `git cat-file` at its recorded commit and written once per test process
 *    into a temporary folder (removed on exit, or by a later run once its process is gone), with each
 *    repository's licence file at that commit beside it;
 * 3. otherwise the suite is skipped and the reason printed (CI has neither: the suites skip there, never fail).
 */

export type CorpusName = "data-actions" | "flows";

interface DataActionEntry {
  file: string;
  repo: string;
  commit: string;
  path: string;
}
interface FlowManifest {
  flows: { file: string; repo: string; commit: string; path: string; licenceFile: string }[];
  actions: { dir: string; repo: string; commit: string; paths: string[]; licenceFile: string }[];
}

const MANIFESTS = path.join(PROJECT_ROOT, "test", "conformance");
export const DEFAULT_MIRROR = "/work/.mirror";
const LICENCE_FILES = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "COPYING"];

/** Where a repository's licence is written in a materialised corpus: `licenses/<name>.LICENSE`. */
export const licenceFileOf = (repo: string) => `licenses/${repo.split("/")[1]}.LICENSE`;

/** Every file a corpus needs, as (where it goes in the corpus folder, what to read from the mirror). */
export function corpusFiles(name: CorpusName): { dest: string; wanted: Wanted }[] {
  const files: { dest: string; wanted: Wanted }[] = [];
  const repos = new Map<string, string>();
  if (name === "data-actions") {
    const manifest = JSON.parse(fs.readFileSync(path.join(MANIFESTS, "data-actions", "manifest.json"), "utf8")) as DataActionEntry[];
    for (const m of manifest) {
      files.push({ dest: m.file, wanted: { repo: m.repo, commit: m.commit, paths: [m.path] } });
      repos.set(m.repo, m.commit);
    }
  } else {
    const manifest = JSON.parse(fs.readFileSync(path.join(MANIFESTS, "flows", "manifest.json"), "utf8")) as FlowManifest;
    for (const f of manifest.flows) {
      files.push({ dest: f.file, wanted: { repo: f.repo, commit: f.commit, paths: [f.path] } });
      repos.set(f.repo, f.commit);
    }
    for (const set of manifest.actions)
      for (const p of set.paths) {
        files.push({ dest: path.posix.join(set.dir, path.posix.basename(p)), wanted: { repo: set.repo, commit: set.commit, paths: [p] } });
        repos.set(set.repo, set.commit);
      }
  }
  // Each repository's licence at the commit its files come from, so the recorded licence can be checked.
  for (const [repo, commit] of repos) files.push({ dest: licenceFileOf(repo), wanted: { repo, commit, paths: LICENCE_FILES } });
  return files;
}

const TEMP_PREFIX = "wfm-hris-corpus-";
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};
/**
 * The per-process folder the corpus is written to, `wfm-hris-corpus-<pid>-*`. It is removed on exit; test workers
 * can be stopped without an exit event, so folders of processes that are gone are removed here too.
 */
let tempRoot: string | undefined;
function materialiseRoot(): string {
  if (!tempRoot) {
    for (const name of fs.readdirSync(os.tmpdir())) {
      const pid = Number(new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(name)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
    tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
    const root = tempRoot;
    process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }));
  }
  return tempRoot;
}

export type Located = { dir: string; from: string } | { dir?: undefined; reason: string };

/** Finds or materialises one corpus; an absent corpus is a reason to skip, a contradicted manifest an error. */
export function locateCorpus(name: CorpusName, env: NodeJS.ProcessEnv = process.env): Located {
  if (env.WFM_HRIS_CORPUS) {
    const dir = path.join(env.WFM_HRIS_CORPUS, name);
    return fs.existsSync(dir) ? { dir, from: `WFM_HRIS_CORPUS (${dir})` } : { reason: `WFM_HRIS_CORPUS is set but ${dir} does not exist` };
  }
  const mirror = env.WFM_HRIS_MIRROR ?? DEFAULT_MIRROR;
  if (!fs.existsSync(mirror))
    return { reason: `no corpus folder (WFM_HRIS_CORPUS) and no mirror of public repositories at ${mirror} (WFM_HRIS_MIRROR)` };
  if (!gitAvailable()) return { reason: `the mirror ${mirror} is read with git, which is not installed` };
  const files = corpusFiles(name);
  const found = readFromMirror(mirror, files.map((f) => f.wanted));
  const problems = (absent: boolean) => [...new Set(found.flatMap((f) => (!f.ok && f.repoAbsent === absent ? [f.problem] : [])))];
  // A repository the mirror does not hold is this machine's gap: skip. A file missing at its recorded commit in a
  // repository the mirror holds contradicts the manifest (or the snapshot predates the commit): stop, naming it.
  const wrong = problems(false);
  if (wrong.length) throw new Error(`conformance corpus ${name}: the mirror ${mirror} contradicts test/conformance/${name}/manifest.json: ${wrong.join("; ")} (fix the entry, or fetch the repository again)`);
  const absent = problems(true);
  if (absent.length)
    return { reason: `the mirror ${mirror} lacks ${absent.length} of its repositories (${absent.slice(0, 3).join("; ")}${absent.length > 3 ? "; ..." : ""}); fetch those named in test/conformance/${name}/manifest.json` };
  const dir = path.join(materialiseRoot(), name);
  files.forEach((f, i) => {
    const target = path.join(dir, f.dest);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, (found[i] as { content: Buffer }).content);
  });
  return { dir, from: `the mirror ${mirror}, read at the recorded commits` };
}

const located = new Map<CorpusName, Located>();

/** The corpus folder for one suite, or undefined (with the reason printed once) when it is not on this machine. */
export function corpusDir(name: CorpusName): string | undefined {
  let l = located.get(name);
  if (!l) {
    located.set(name, (l = locateCorpus(name)));
    if (l.dir === undefined) process.stderr.write(`conformance corpus ${name}: suite skipped, ${l.reason}\n`);
  }
  return l.dir;
}
