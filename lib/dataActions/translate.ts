import { InvalidPathError, compilePath, read, toJsonText } from "./jsonPath";

/**
 * Translation map evaluation as Genesys does it, with Jayway JsonPath (lib/dataActions/jsonPath.ts): a definite
 * path yields one value, an indefinite path (wildcard, deep scan, filter, slice, union) a list, possibly empty.
 * Each variable reaches the success template as JSON text, so strings keep their quotes.
 *
 * "The default value is used if the JSONPath expression configured in the translation map fails to resolve a
 * value. Null values do not fall back to defaults." (help.mypurecloud.com, Response configuration): a path that
 * throws (not found, or a function that cannot apply) takes its default; a null or an empty list is a value.
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
  return compilePath(path).definite;
}

/** The problem with a translation-map path's syntax, or undefined when Jayway compiles it. */
export function pathSyntaxProblem(path: string): string | undefined {
  try {
    compilePath(path);
    return undefined;
  } catch (e) {
    if (e instanceof InvalidPathError) return e.message;
    throw e;
  }
}

/** What one translation-map entry resolved to: the JSON text, and whether the default was used. */
export interface TranslatedVariable {
  text: string;
  fromDefault: boolean;
  /** Why the path did not resolve, when the default was used. */
  reason?: string;
}

export function translateDetailed(
  response: unknown,
  translationMap: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): Record<string, TranslatedVariable> {
  const variables: Record<string, TranslatedVariable> = {};
  for (const [key, path] of Object.entries(translationMap)) {
    const problem = pathSyntaxProblem(path);
    if (problem) throw new TranslationError(key, `translationMap.${key}: invalid JSONPath ${path}: ${problem}`);
    try {
      variables[key] = { text: toJsonText(read(response, path).value), fromDefault: false };
    } catch (e) {
      const reason = (e as Error).message;
      if (key in defaults) variables[key] = { text: defaults[key], fromDefault: true, reason };
      else throw new TranslationError(key, `translationMap.${key}: ${path} did not resolve in the response (${reason}) and has no default`);
    }
  }
  return variables;
}

/** Evaluates every entry of the translation map against the parsed response. */
export function translate(
  response: unknown,
  translationMap: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(translateDetailed(response, translationMap, defaults)).map(([k, v]) => [k, v.text]));
}
