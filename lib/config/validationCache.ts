import * as fs from "node:fs";
import * as path from "node:path";
import { StartupCache, decodeKept, encodeKept, keepsExactly, keptKey, startupCache, writeKept } from "../keptResults";

/**
 * Validated stack configs kept for the next start of a compiled tool, like the flow lint results
 * (lib/flows/lintCache.ts): validating builds the config schemas and loads zod, most of the start-up of a tool that
 * then only reads the config (`npm run veza:sync -- --from-report`). An entry is found by a SHA-256 of everything the
 * result depends on: the raw config as given (namespace, values, which secrets are set, other namespaces' keys),
 * the stack's name, the project root, and the code: the sources the compiled tools were built from (their
 * fingerprint, tools/build.cjs, which covers every module and every adapter's definition files), the installed
 * packages (zod) and Node. Any change gives another key, so a stale result is never found; the entry holds the
 * result exactly as validation returned it. A config that fails is never kept: its errors are always worked out.
 *
 * On only in the compiled tools with their start-up cache on: tools/run.cjs says where (dist/.startup/, emptied
 * whenever dist/ is rebuilt) and which sources it was built from. A program run by the Pulumi CLI, the tests and the
 * package used as a library never read or write it (WFM_HRIS_STARTUP_CACHE=off turns it off with the rest).
 */

/**
 * HRIS kinds whose validation reads only files among the sources (their hris/<kind>/actions folder, in the
 * fingerprint). A custom HRIS's validation reads the customer's folder (hris.path), outside them: never kept.
 */
const SOURCE_ONLY_KINDS: readonly string[] = ["bamboohr", "personio"];

/** The key of a validation, or undefined when it is not to be kept. */
function cacheKey(cache: StartupCache, input: unknown, kind: unknown): string | undefined {
  if (typeof kind !== "string" || !SOURCE_ONLY_KINDS.includes(kind)) return undefined;
  return keptKey(cache, input);
}

/**
 * `validate()`'s result for `input` (everything it depends on besides the code), from the cache when it is on and
 * holds it. `kind` is the config's hris.kind as given.
 */
export function cachedValidation<T>(input: unknown, kind: unknown, validate: () => T): T {
  const cache = startupCache();
  const key = cache && cacheKey(cache, input, kind);
  if (!cache || !key) return validate();
  const file = path.join(cache.dir, "config", `${key}.json`);
  try {
    return decodeKept(JSON.parse(fs.readFileSync(file, "utf8"))) as T;
  } catch {
    // not kept yet, or cut short by a process that died mid-write: validated again
  }
  const result = validate();
  const text = encodeKept(result);
  if (keepsExactly(result, text)) writeKept(file, text);
  return result;
}
