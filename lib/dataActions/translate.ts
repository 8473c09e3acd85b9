import { JSONPath } from "jsonpath-plus";

/**
 * Translation map evaluation, with Jayway JsonPath semantics (what Genesys runs): a definite path yields one
 * value and fails when missing; an indefinite path (wildcard, deep scan, filter, slice, union) yields a list,
 * possibly empty. Each variable is handed to the success template as JSON text, so strings keep their quotes.
 */

export class TranslationError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = "TranslationError";
  }
}

export function isDefinitePath(path: string): boolean {
  if (path.includes("..")) return false;
  const segments = JSONPath.toPathArray(path);
  return !segments.some((s) => s === "*" || /^\?\(|^\(|:|,/.test(String(s)));
}

/** Evaluates every entry of the translation map against the parsed response. */
export function translate(
  response: unknown,
  translationMap: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [key, path] of Object.entries(translationMap)) {
    let results: unknown[];
    try {
      results = JSONPath({ path, json: response as object, wrap: true, eval: "safe" }) as unknown[];
    } catch (e) {
      throw new TranslationError(key, `translationMap.${key}: invalid JSONPath ${path}: ${(e as Error).message}`);
    }
    if (isDefinitePath(path)) {
      if (results.length === 0) {
        // "Null values do not fall back to defaults": only a missing value does.
        if (key in defaults) variables[key] = defaults[key];
        else throw new TranslationError(key, `translationMap.${key}: ${path} did not resolve in the response and has no default`);
      } else variables[key] = JSON.stringify(results[0] ?? null);
    } else variables[key] = JSON.stringify(results);
  }
  return variables;
}
