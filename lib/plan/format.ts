import { Plan, PlannedResource } from "./run";

const MAX_INLINE = 100;

function scalar(value: unknown): string {
  if (typeof value === "string") {
    if (value.startsWith("[secret]") || value === "(known after apply)") return value;
    const text = JSON.stringify(value);
    return text.length > MAX_INLINE ? `${text.slice(0, MAX_INLINE)}…" (${value.length} chars; full text in --json)` : text;
  }
  return JSON.stringify(value);
}

function valueLines(key: string, value: unknown, indent: string): string[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${indent}${key}: {}`];
    return [`${indent}${key}:`, ...entries.flatMap(([k, v]) => valueLines(k, v, indent + "    "))];
  }
  if (Array.isArray(value) && value.some((v) => v && typeof v === "object"))
    return [`${indent}${key}:`, ...value.flatMap((v, i) => valueLines(`[${i}]`, v, indent + "    "))];
  return [`${indent}${key}: ${scalar(value)}`];
}

/** Human-readable plan: a resource tree with inputs, the outputs and a summary line. */
export function formatPlan(plan: Plan): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of plan.resources) {
    const parent = r.parent && byUrn.has(r.parent) ? r.parent : undefined;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const label = (urn: string) => byUrn.get(urn)?.name ?? urn;
  const lines: string[] = [`Offline plan for ${plan.project}/${plan.stack} (preview under mocks; nothing was contacted)`, ""];
  const visit = (r: PlannedResource, indent: string) => {
    const via = r.provider ? `  (provider ${label(r.provider)})` : "";
    lines.push(`${indent}+ ${r.type} ${r.name}${via}`);
    for (const [k, v] of Object.entries(r.inputs)) lines.push(...valueLines(k, v, indent + "      "));
    const deps = r.dependencies.filter((d) => d !== r.parent);
    if (deps.length) lines.push(`${indent}      depends on: ${deps.map(label).join(", ")}`);
    for (const c of children.get(r.urn) ?? []) visit(c, indent + "    ");
  };
  for (const root of children.get(undefined) ?? []) visit(root, "");
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(plan.outputs)) lines.push(...valueLines(k, v, "    "));
  lines.push("", `Resources: ${plan.summary.create} to create`);
  return lines.join("\n") + "\n";
}
