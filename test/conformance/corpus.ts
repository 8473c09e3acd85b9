import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";

/**
 * Where the conformance corpora live: real public files (Genesys blueprints' data action exports and Archy flows),
 * kept beside the repository in the shared reference area (../shared/corpus), not committed here: the project commits
 * no third-party file it fetched. Their sources, commits and licences are recorded in the manifests next to this
 * file. WFM_HRIS_CORPUS points elsewhere.
 */
export const CORPUS_ROOT = process.env.WFM_HRIS_CORPUS ?? path.resolve(PROJECT_ROOT, "..", "shared", "corpus");

/** The corpus folder for one suite, or undefined (with the reason printed once) when it is not on this machine. */
export function corpusDir(name: "data-actions" | "flows"): string | undefined {
  const dir = path.join(CORPUS_ROOT, name);
  if (fs.existsSync(dir)) return dir;
  process.stderr.write(`conformance corpus ${name} not found at ${dir}: its suite is skipped (set WFM_HRIS_CORPUS to the corpus folder)\n`);
  return undefined;
}
