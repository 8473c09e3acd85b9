import { z } from "zod";
import { FieldDoc, SECRET_KEYS, stackConfigSchema } from "./schema";

/**
 * The config reference, generated from the zod schema: every key, whether it is required, its default and what it
 * does. `npm run config:docs` writes it into the README; a test fails when the README drifts.
 */

interface Row {
  key: string;
  required: string;
  default: string;
  description: string;
}

type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; options?: z.ZodType[]; discriminator?: string; defaultValue?: unknown; values?: unknown[]; entries?: Record<string, unknown>; element?: z.ZodType };
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Peels optional/default wrappers, collecting their docs and whether the setting may be left out. */
function unwrap(schema: z.ZodType) {
  let node = schema;
  let optional = false;
  let defaultValue: unknown;
  const docs: FieldDoc[] = [];
  for (;;) {
    const meta = z.globalRegistry.get(node) as FieldDoc | undefined;
    if (meta) docs.push(meta);
    const def = defOf(node);
    if (def.type === "optional") optional = true;
    else if (def.type === "default") {
      optional = true;
      defaultValue = typeof def.defaultValue === "function" ? (def.defaultValue as () => unknown)() : def.defaultValue;
    } else if (def.type !== "nullable" && def.type !== "pipe") break;
    node = (def.innerType ?? (def as unknown as { in: z.ZodType }).in)!;
  }
  const merged = Object.assign({}, ...docs.reverse()) as FieldDoc;
  return { node, optional, defaultValue, doc: merged };
}

const showDefault = (v: unknown) => (v === undefined ? "" : typeof v === "object" && v !== null && !Array.isArray(v) ? "" : `\`${JSON.stringify(v)}\``);

function walk(schema: z.ZodType, path: string[], requiredWhen: string | undefined, rows: Row[]) {
  const { node, optional, defaultValue, doc } = unwrap(schema);
  const def = defOf(node);
  const key = path.join(".");
  if (def.type === "object" && def.shape) {
    // A map: its fields are required only when it is there.
    const when = optional ? `with \`${key}\`` : requiredWhen;
    for (const [k, child] of Object.entries(def.shape)) walk(child, [...path, k], when, rows);
    return;
  }
  if (def.type === "union" && def.discriminator && def.options) {
    const discriminator = def.discriminator;
    const values = def.options.map((o) => defOf(defOf(o).shape![discriminator]).values![0]);
    rows.push({
      key: `${key}.${discriminator}`,
      required: optional ? "no" : (requiredWhen ?? "yes"),
      default: showDefault((defaultValue as Record<string, unknown> | undefined)?.[discriminator]),
      description: `${doc.description ?? ""} One of: ${values.map((v) => `\`${v}\``).join(", ")}.`.trim(),
    });
    // Settings every kind has are listed once; where kinds differ, the row says how per kind.
    const perKind = def.options.map((option, i) => {
      const kindRows: Row[] = [];
      for (const [k, child] of Object.entries(defOf(option).shape!)) if (k !== discriminator) walk(child, [...path, k], "yes", kindRows);
      return kindRows.map((r) => ({ ...r, kind: values[i] as string }));
    });
    const keys = [...new Set(perKind.flat().map((r) => r.key))];
    for (const k of keys) {
      const same = perKind.flat().filter((r) => r.key === k);
      const all = same.length === values.length;
      const uniform = (field: "required" | "default") => all && new Set(same.map((r) => r[field])).size === 1;
      // With one option (an HRIS with one auth type) its fields are still required only for that option.
      const required = values.length === 1 && same[0].required === "yes"
        ? `for \`${values[0]}\``
        : uniform("required")
        ? same[0].required === "yes" ? (requiredWhen ?? "yes") : same[0].required
        : same.filter((r) => r.required !== "no").map((r) => `${r.required === "yes" ? "" : `${r.required} `}for \`${r.kind}\``).join(", ").trim();
      const dflt = uniform("default") ? same[0].default : same.filter((r) => r.default).map((r) => `${r.default} for \`${r.kind}\``).join(", ");
      rows.push({ key: k, required: required || "no", default: dflt, description: same[0].description });
    }
    return;
  }
  rows.push({
    key,
    required: optional ? "no" : (requiredWhen ?? "yes"),
    default: doc.defaultText ?? showDefault(defaultValue),
    description: doc.description ?? "",
  });
}

export function configReferenceRows(): Row[] {
  const rows: Row[] = [];
  for (const [k, child] of Object.entries(defOf(stackConfigSchema()).shape!)) walk(child, [k], undefined, rows);
  return rows;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The Markdown tables of settings and secret keys. */
export function configReferenceMarkdown(namespace = "wfm-hris"): string {
  const lines = [
    `All keys live in the \`${namespace}\` namespace (\`${namespace}:<key>\` in \`Pulumi.<stack>.yaml\`; nested keys with \`pulumi config set --path\`).`,
    "",
    "| key | required | default | meaning |",
    "|---|---|---|---|",
    ...configReferenceRows().map((r) => `| \`${r.key}\` | ${cell(r.required)} | ${cell(r.default)} | ${cell(r.description)} |`),
    "",
    "Secret keys (set with `pulumi config set --secret`; never printed):",
    "",
    "| key | meaning |",
    "|---|---|",
    ...Object.entries(SECRET_KEYS).map(([k, d]) => `| \`${k}\` | ${cell(d.description)} |`),
  ];
  return lines.join("\n") + "\n";
}

export const REFERENCE_START = "<!-- config-reference:start (generated by npm run config:docs; do not edit) -->";
export const REFERENCE_END = "<!-- config-reference:end -->";

/** The README with its reference section replaced by the generated one. */
export function withReference(readme: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${REFERENCE_START} … ${REFERENCE_END}`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${configReferenceMarkdown()}${readme.slice(end)}`;
}
