/**
 * `genesyscloud_flow` substitutions: before upload the provider replaces, for each key, the exact text `{{key}}`
 * with its value (terraform-provider-genesyscloud genesyscloud/util/files/util_files.go L64-75:
 * `strings.Replace(contents, "{{"+k+"}}", v, -1)`). `{{ key }}` with spaces is never replaced.
 */
export interface Placeholder {
  /** Text between the braces, as written. */
  inner: string;
  /** 1-based line. */
  line: number;
  /** The provider would replace it (no space inside the braces). */
  exact: boolean;
}

const ANY_PLACEHOLDER = /\{\{([^{}\n]*)\}\}/g;

export function findPlaceholders(text: string): Placeholder[] {
  const found: Placeholder[] = [];
  text.split("\n").forEach((line, i) => {
    for (const m of line.matchAll(ANY_PLACEHOLDER)) found.push({ inner: m[1], line: i + 1, exact: m[1] === m[1].trim() && m[1].length > 0 });
  });
  return found;
}

/** What the provider uploads: every exact `{{key}}` with a value replaced, everything else left as is. */
export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [k, v] of Object.entries(values)) out = out.split(`{{${k}}}`).join(v);
  return out;
}

/** Characters that would break the YAML a substitution lands in (quoted scalars) or Archy's references. */
export const UNSAFE_IN_SUBSTITUTION = /["'\\\n\r{}]/;
