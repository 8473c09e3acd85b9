import type { DataActionDefinition } from "../lib/dataActions/definitions";
import { FileIssue, jsonPath } from "../lib/jsonFile";
import rolesFile from "./roles.json";

/** A field type in a role contract, as Architect sees it: a string, an integer or a list of strings. */
export type RoleFieldType = "string" | "integer" | "string[]";

export interface RoleInput {
  type: "string";
  description: string;
  /** The values the workflows send, when they send fixed ones. */
  values?: string[];
  /** Values they send only to an HRIS with the capability. */
  valuesWhen?: Partial<Record<CapabilityName, string[]>>;
}

export interface Role {
  id: string;
  description: string;
  /** Why an adapter may leave it out, and what then happens; absent when every adapter must serve it. */
  optional?: string;
  inputs: Record<string, RoleInput>;
  outputs: Record<string, RoleFieldType>;
}

interface RoleEntry {
  description: string;
  optional?: string;
  inputs: Record<string, RoleInput>;
  outputs: Record<string, RoleFieldType>;
  numberedOutputs?: { from: number; to: number; outputs: Record<string, RoleFieldType> };
}

/** Something an HRIS can or cannot do that the workflows adapt to, through a flow placeholder ("true"/"false"). */
export interface Capability {
  placeholder: string;
  description: string;
}
export type CapabilityName = "replacesPreviousRequest" | "recordsDeniedRequests";
export const CAPABILITIES = (rolesFile as unknown as { capabilities: Record<CapabilityName, Capability> }).capabilities;

/** The roles the workflows call, in a stable order (hris/roles.json). */
export const ROLES: readonly Role[] = Object.entries((rolesFile as unknown as { roles: Record<string, RoleEntry> }).roles).map(([id, r]) => {
  const outputs = { ...r.outputs };
  if (r.numberedOutputs)
    for (let i = r.numberedOutputs.from; i <= r.numberedOutputs.to; i++)
      for (const [name, type] of Object.entries(r.numberedOutputs.outputs)) outputs[`${name}${i}`] = type;
  return { id, description: r.description, optional: r.optional, inputs: r.inputs, outputs };
});
export const ROLE_IDS = ROLES.map((r) => r.id);
export const roleById = (id: string) => ROLES.find((r) => r.id === id);

type Schema = { type?: unknown; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; required?: string[] };
const types = (s: Schema | undefined): string[] => ([] as unknown[]).concat(s?.type ?? []).map(String);

/** The Architect type of a top-level output property, or a description of why it has none of the role types. */
function outputType(s: Schema | undefined): string {
  const t = types(s);
  if (t.includes("array")) return `${types(s?.items).filter((x) => x !== "null")[0] ?? "untyped"}[]`;
  return t.filter((x) => x !== "null")[0] ?? "untyped";
}

/**
 * Checks an action against the role it is mapped to: it takes every input the workflows pass (accepting the values
 * they send to an HRIS with these capabilities), requires no other, and declares every output they read with the
 * type they expect.
 */
export function roleIssues(def: DataActionDefinition, role: Role, capabilities: Record<CapabilityName, boolean>): FileIssue[] {
  const issues: FileIssue[] = [];
  const add = (at: PropertyKey[], problem: string, fix: string) => issues.push({ file: def.file, path: jsonPath(at), problem: `${problem} (role ${role.id})`, fix });
  const inputAt = ["contract", "input", "inputSchema"];
  const outputAt = ["contract", "output", "successSchema"];
  const inputs = ((def.contractInput as Schema).properties ?? {}) as Record<string, Schema>;
  for (const [name, want] of Object.entries(role.inputs)) {
    const have = inputs[name];
    if (!have) {
      add([...inputAt, "properties"], `does not declare the input ${name}, which the workflows pass: ${want.description}`, `declare "${name}": {"type": "string"} and use it (or ignore it) in the request`);
      continue;
    }
    if (!types(have).includes("string")) add([...inputAt, "properties", name, "type"], `declares ${name} as ${types(have).join("/") || "untyped"}; the workflows pass a string`, `declare "${name}" with "type": "string"`);
    const sent = [...(want.values ?? []), ...Object.entries(want.valuesWhen ?? {}).flatMap(([c, values]) => (capabilities[c as CapabilityName] ? values! : []))];
    const refused = sent.filter((v) => have.enum && !have.enum.includes(v));
    if (refused.length) add([...inputAt, "properties", name, "enum"], `does not accept ${refused.map((v) => JSON.stringify(v)).join(", ")} for ${name}, which the workflows send`, `add ${refused.map((v) => JSON.stringify(v)).join(", ")} to the enum`);
  }
  for (const name of (def.contractInput as Schema).required ?? [])
    if (!(name in role.inputs)) add([...inputAt, "required"], `requires the input ${name}, which the workflows never pass`, `make "${name}" optional or remove it`);
  const outputs = ((def.contractOutput as Schema).properties ?? {}) as Record<string, Schema>;
  for (const [name, want] of Object.entries(role.outputs)) {
    const have = outputs[name];
    if (!have) add([...outputAt, "properties"], `does not declare the output ${name} (${want}), which the workflows read`, `add "${name}" to the output contract and fill it in the response`);
    else if (outputType(have) !== want) add([...outputAt, "properties", name], `declares ${name} as ${outputType(have)}; the workflows read it as ${want}`, `declare "${name}" as ${want === "string[]" ? `{"type": "array", "items": {"type": "string"}}` : `{"type": "${want}"}`}`);
  }
  return issues;
}
