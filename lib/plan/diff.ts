import { aliasUrns } from "../lifecycle/engine";
import { DELETE_BEFORE_REPLACE, REPLACE_ON_CHANGE } from "../lifecycle/identity";
import type { Plan, PlannedResource } from "./run";

export interface InputChange {
  /** Input path, e.g. configRequest.requestUrlTemplate; inside a JSON-text input, its JSON path after `#`. */
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  action: "add" | "remove" | "replace" | "update";
  changes: InputChange[];
  /** Inputs that force the replacement. */
  replacedBy?: string[];
  /** How the engine replaces it: the new object first (Pulumi's default) or the old one deleted first. */
  order?: "create-before-delete" | "delete-before-replace";
  /** The old object stays in Genesys or Veza when the resource is removed (retainOnDelete). */
  retained?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const parseJson = (v: unknown) => {
  if (typeof v !== "string" || !/^[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
};

/** Leaf-level differences of two input values; JSON text (contracts, properties) is compared as JSON. */
function diffValues(before: unknown, after: unknown, path: string, out: InputChange[]) {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const [jb, ja] = [parseJson(before), parseJson(after)];
  if (jb !== undefined && ja !== undefined) {
    const inner: InputChange[] = [];
    diffValues(jb, ja, "", inner);
    for (const c of inner) out.push({ ...c, path: `${path}#${c.path || "$"}` });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort())
      diffValues(before[key], after[key], path ? `${path}.${key}` : key, out);
    return;
  }
  out.push({ path, before, after });
}

/** What applying `head` would do to a stack planned as `base` (both offline plans of the same stack). */
export function diffPlans(base: Plan | undefined, head: Plan): ResourceChange[] {
  const before = new Map((base?.resources ?? []).map((r) => [r.urn, r]));
  const registered = new Map(head.resources.map((r) => [r.urn, r]));
  const matched = new Set<string>();
  const changes: ResourceChange[] = [];
  const entry = (r: PlannedResource, action: ResourceChange["action"], extra: Partial<ResourceChange> = {}): ResourceChange => ({
    urn: r.urn,
    type: r.type,
    name: r.name,
    action,
    changes: [],
    ...extra,
  });
  for (const r of head.resources) {
    // Matched by URN or, after a rename, by one of its aliases (inherited from its parents' included).
    const old = before.get(r.urn) ?? aliasUrns(r, registered).map((a) => before.get(a)).find((o) => o !== undefined);
    if (!old) {
      changes.push(entry(r, "add"));
      continue;
    }
    matched.add(old.urn);
    const inputChanges: InputChange[] = [];
    diffValues(old.inputs, r.inputs, "", inputChanges);
    // File-derived values count only when both plans have them (plans saved before they were recorded have none).
    if (old.computed && r.computed) diffValues(old.computed, r.computed, "", inputChanges);
    if (!inputChanges.length) continue;
    const forcing = [...(REPLACE_ON_CHANGE[r.type] ?? []), ...(r.options?.replaceOnChanges ?? [])];
    const replacedBy = [...new Set(inputChanges.map((c) => c.path.split(/[.#]/)[0]).filter((k) => forcing.includes(k)))];
    if (!replacedBy.length) {
      changes.push(entry(r, "update", { changes: inputChanges }));
      continue;
    }
    const deleteFirst = r.options?.deleteBeforeReplace || replacedBy.some((k) => DELETE_BEFORE_REPLACE[r.type]?.includes(k));
    changes.push(entry(r, "replace", { changes: inputChanges, replacedBy, order: deleteFirst ? "delete-before-replace" : "create-before-delete" }));
  }
  for (const [urn, r] of before) if (!matched.has(urn)) changes.push(entry(r, "remove", r.options?.retainOnDelete ? { retained: true } : {}));
  const order = { replace: 0, remove: 1, add: 2, update: 3 };
  return changes.sort((a, b) => order[a.action] - order[b.action] || (a.urn < b.urn ? -1 : 1));
}

const short = (type: string) => type.split(":").pop()!;
const show = (v: unknown) => {
  if (v === undefined) return "(none)";
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function summaryLine(changes: ResourceChange[]): string {
  const count = (a: ResourceChange["action"]) => changes.filter((c) => c.action === a).length;
  return `${count("add")} to add, ${count("update")} to change, ${count("replace")} to replace, ${count("remove")} to remove`;
}

/** Markdown for a pull-request comment: a summary line, then each resource that changes with its changed inputs. */
export function formatDiffMarkdown(stack: string, changes: ResourceChange[]): string {
  const lines = [`### ${stack}: ${changes.length ? summaryLine(changes) : "no changes"}`, ""];
  if (!changes.length) return lines.join("\n") + "\n";
  const icon = { add: "➕ add", remove: "➖ remove", replace: "♻️ replace", update: "✏️ change" };
  const how = (c: ResourceChange) =>
    c.order === "delete-before-replace" ? "old one deleted first" : c.order ? "new one first, old one deleted last" : c.retained ? "left in place (retained)" : "";
  lines.push("| | resource | type | how |", "|---|---|---|---|");
  for (const c of changes) lines.push(`| ${icon[c.action]} | ${code(c.name)} | ${code(short(c.type))} | ${how(c)} |`);
  const detailed = changes.filter((c) => c.changes.length);
  if (detailed.length) lines.push("", "<details><summary>Changed inputs (secrets are masked and never shown)</summary>", "");
  for (const c of detailed) {
    lines.push(`**${c.name}**${c.replacedBy ? ` — replaced because ${c.replacedBy.map(code).join(", ")} cannot change in place` : ""}`, "");
    for (const ch of c.changes) lines.push(`- ${code(ch.path)}: ${code(show(ch.before))} → ${code(show(ch.after))}`);
    lines.push("");
  }
  if (detailed.length) lines.push("</details>");
  return lines.join("\n") + "\n";
}

/** A Mermaid flowchart of a plan: components as subgraphs, resources as nodes, dependencies as arrows. */
export function formatMermaid(plan: Plan): string {
  const ids = new Map(plan.resources.map((r, i) => [r.urn, `r${i}`]));
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) {
    const parent = r.parent && ids.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const label = (r: PlannedResource) => `"${short(r.type)}<br/>${r.name.replace(/"/g, "'")}"`;
  const lines = ["flowchart LR"];
  const visit = (r: PlannedResource, indent: string) => {
    const kids = children.get(r.urn) ?? [];
    if (r.type === "pulumi:pulumi:Stack") return kids.forEach((k) => visit(k, indent));
    if (!r.custom || kids.length) {
      lines.push(`${indent}subgraph ${ids.get(r.urn)}[${label(r)}]`);
      kids.forEach((k) => visit(k, indent + "  "));
      lines.push(`${indent}end`);
    } else lines.push(`${indent}${ids.get(r.urn)}[${label(r)}]`);
  };
  (children.get(undefined) ?? []).forEach((r) => visit(r, "  "));
  for (const r of plan.resources)
    for (const d of r.dependencies) if (d !== r.parent && ids.has(d) && plan.resources.find((x) => x.urn === d)?.custom) lines.push(`  ${ids.get(d)} --> ${ids.get(r.urn)}`);
  return lines.join("\n") + "\n";
}
