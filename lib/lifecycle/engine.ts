/**
 * What a `pulumi up` does to a stack's objects, derived from two runs of the program: the steps the engine takes
 * (create, import, same, update, replace and its order, delete, retained), in the engine's order, and the objects
 * that exist at each instant. The rules are Pulumi's documented ones:
 *
 * - A resource is matched to state by URN, or by one of its `aliases` (Resource options: aliases).
 * - A change to an input the provider cannot update replaces the resource: create the new one, then delete the old
 *   one, unless `deleteBeforeReplace` (Resource options: deleteBeforeReplace; "By default, Pulumi creates the
 *   replacement before deleting the original"). `replaceOnChanges` adds inputs that replace.
 * - Originals of create-before-delete replacements and resources the program no longer declares are deleted after
 *   every registration is done, dependents first (pulumi/pulumi pkg/resource/deploy/step_generator.go:
 *   GenerateDeletes / GeneratePendingDeletes run once the program has finished).
 * - `retainOnDelete` leaves the object in the provider when the resource is deleted; `protect` refuses the deletion;
 *   `import` adopts an existing object instead of creating one.
 *
 * Replace-forcing inputs come from lib/lifecycle/replacements.json (the providers' ForceNew facts) or, for dynamic
 * providers, from the provider's own `diff`, which the model calls.
 */
import type { PlannedResource } from "../plan/run";
import { REPLACE_ON_CHANGE } from "./identity";

/** A resource as `pulumi up` left it in state. */
export interface StateResource extends PlannedResource {
  id: string;
  outputs: Record<string, unknown>;
}

export type Step = "create" | "import" | "same" | "update" | "replace" | "delete";

export interface Operation {
  step: Step;
  urn: string;
  type: string;
  name: string;
  /** For a replacement: which order the engine uses. */
  order?: "create-before-delete" | "delete-before-replace";
  /** Inputs that changed (top-level keys). */
  changed?: string[];
  /** Inputs that force the replacement. */
  replacedBy?: string[];
  /** The URN it had in state, when an alias matched. */
  formerUrn?: string;
}

/** The decision a provider's diff gives for one resource. */
export interface DiffDecision {
  changed: string[];
  replacedBy: string[];
  deleteBeforeReplace: boolean;
}

/** A dynamic provider's diff, for types whose replace rules live in code rather than in replacements.json. */
export type DynamicDiff = (id: string, olds: Record<string, unknown>, news: Record<string, unknown>) => Promise<{ changes?: boolean; replaces?: string[]; deleteBeforeReplace?: boolean }>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Which inputs changed and whether they replace, by the provider's rules. */
export async function decide(old: StateResource, next: PlannedResource, dynamicDiffs: Record<string, DynamicDiff> = {}): Promise<DiffDecision> {
  const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(next.inputs)])].sort();
  const changed = keys.filter((k) => !same(old.inputs[k], next.inputs[k]));
  const dynamic = dynamicDiffs[next.type];
  if (dynamic) {
    const d = await dynamic(old.id, old.outputs, next.inputs);
    const replaces = d.replaces ?? [];
    return { changed: d.changes || replaces.length ? changed : [], replacedBy: replaces, deleteBeforeReplace: !!d.deleteBeforeReplace };
  }
  const forcing = new Set([...(REPLACE_ON_CHANGE[next.type] ?? []), ...(next.options?.replaceOnChanges ?? [])]);
  return { changed, replacedBy: changed.filter((k) => forcing.has(k)), deleteBeforeReplace: !!next.options?.deleteBeforeReplace };
}

/**
 * Every former URN a registration answers to: its own aliases, and those it inherits from its parent's. The SDK
 * sends only its own when the engine takes alias specs, and the engine derives the children's; the rule is the one
 * the SDK documents for engines that do not (@pulumi/pulumi resource.js inheritedChildAlias): under each alias of
 * the parent, the same type, and the parent's old name in place of its new one where the child's name starts with it.
 */
export function aliasUrns(r: PlannedResource, registered: ReadonlyMap<string, PlannedResource>, memo = new Map<string, string[]>()): string[] {
  const cached = memo.get(r.urn);
  if (cached) return cached;
  const own = r.options?.aliases ?? [];
  const parent = r.parent ? registered.get(r.parent) : undefined;
  const inherited = parent
    ? aliasUrns(parent, registered, memo).map((parentAlias) => {
        const [prefix, chain, parentAliasName] = [parentAlias.split("::").slice(0, 2).join("::"), parentAlias.split("::")[2], parentAlias.split("::")[3]];
        const name = r.name.startsWith(parent.name) ? parentAliasName + r.name.slice(parent.name.length) : r.name;
        const parentChain = chain === "pulumi:pulumi:Stack" ? "" : `${chain}$`;
        return `${prefix}::${parentChain}${r.type}::${name}`;
      })
    : [];
  const all = [...new Set([...own, ...inherited])];
  memo.set(r.urn, all);
  return all;
}

/** The state resource a registration matches: same URN, else one of its aliases. */
export function findInState(state: Map<string, StateResource>, next: PlannedResource, registered: ReadonlyMap<string, PlannedResource> = new Map()): StateResource | undefined {
  return state.get(next.urn) ?? aliasUrns(next, registered).map((a) => state.get(a)).find((r) => r !== undefined);
}

/** An object in Genesys or Veza: its id, and the name key Genesys or Veza require unique (if any). */
export interface LiveObject {
  id: string;
  key?: string;
}

export interface Violation {
  kind: "duplicate-name" | "live-object-deleted" | "adopted-object-deleted" | "protected";
  message: string;
}

/** How the objects behind resource types behave in Genesys and Veza. */
export interface ObjectModel {
  /** Whether a resource of this type stands for an object in Genesys or Veza (not a component, RandomId, ...). */
  isObject(type: string): boolean;
  /** The name an object must not share with another live object (scope included), if any. */
  uniqueKey(type: string, outputs: Record<string, unknown>): string | undefined;
  /** Whether creating such an object with the name of a live one gives back that very object (get-or-create). */
  createAdoptsByName(type: string): boolean;
  /** Whether deleting the resource leaves its object in place (the provider's own rule, beyond retainOnDelete). */
  providerKeepsOnDelete(type: string, outputs: Record<string, unknown>): boolean;
  /** Outputs the provider computes, for a new object (`fresh`) or kept from the old state. */
  computedOutputs(type: string, fresh: boolean, serial: number, old?: Record<string, unknown>): Record<string, unknown>;
}

export interface UpResult {
  operations: Operation[];
  violations: Violation[];
  /** Objects alive after each step, for reading a failure. */
  events: { what: string; live: string[] }[];
  state: StateResource[];
}

/**
 * Runs one `pulumi up` over `before`: `runProgram` runs the program with a resolver (lib/plan/run.ts, apply mode);
 * the model answers each registration as the engine and provider would and tracks the objects that exist.
 */
export async function simulateUp(
  before: StateResource[],
  runProgram: (resolve: (r: PlannedResource) => Promise<{ id: string; state: Record<string, unknown> }>) => Promise<unknown>,
  model: ObjectModel,
  options: { dynamicDiffs?: Record<string, DynamicDiff>; serialStart?: number; external?: LiveObject[] } = {},
): Promise<UpResult & { nextSerial: number }> {
  const dynamicDiffs = options.dynamicDiffs ?? {};
  const state = new Map(before.map((r) => [r.urn, r]));
  const live = new Map<string, string | undefined>([
    ...(options.external ?? []).map((o) => [o.id, o.key] as const),
    ...before.filter((r) => r.custom && model.isObject(r.type)).map((r) => [r.id, model.uniqueKey(r.type, r.outputs)] as const),
  ]);
  const adopted = new Set(before.filter((r) => r.options?.importId || r.outputs.adopted === true).map((r) => r.id));
  const operations: Operation[] = [];
  const violations: Violation[] = [];
  const events: UpResult["events"] = [];
  const after: StateResource[] = [];
  const matched = new Set<string>();
  const pendingDeletes: StateResource[] = [];
  let serial = options.serialStart ?? 1;

  const checkNames = (what: string) => {
    events.push({ what, live: [...live.entries()].map(([id, key]) => (key ? `${id} (${key})` : id)) });
    const byKey = new Map<string, string[]>();
    for (const [id, key] of live) if (key) byKey.set(key, [...(byKey.get(key) ?? []), id]);
    for (const [key, ids] of byKey)
      if (ids.length > 1) violations.push({ kind: "duplicate-name", message: `after ${what}: ${ids.length} objects are the ${key} (${ids.join(", ")})` });
  };
  /** A new object, or the live one of that name for get-or-create types (then recorded as adopted in outputs). */
  const createObject = (r: PlannedResource, outputs: Record<string, unknown>) => {
    if (!r.custom || !model.isObject(r.type)) return `${r.name}#${serial++}`;
    const key = model.uniqueKey(r.type, outputs);
    const existing = key && model.createAdoptsByName(r.type) ? [...live.entries()].find(([, k]) => k === key)?.[0] : undefined;
    if (existing) {
      adopted.add(existing);
      outputs.adopted = true;
      return existing;
    }
    const id = `${r.name}#${serial++}`;
    live.set(id, key);
    return id;
  };
  const deleteObject = (r: StateResource, why: string) => {
    if (r.options?.protect) {
      violations.push({ kind: "protected", message: `${why}: ${r.urn} is protected; the engine refuses to delete it` });
      return;
    }
    const keeps = r.options?.retainOnDelete || model.providerKeepsOnDelete(r.type, r.outputs);
    if (!r.custom || !model.isObject(r.type)) {
      operations.push({ step: "delete", urn: r.urn, type: r.type, name: r.name });
      return;
    }
    if (!keeps) {
      if (after.some((a) => a.id === r.id)) violations.push({ kind: "live-object-deleted", message: `${why}: deleting ${r.urn} deletes ${r.id}, which the stack still uses` });
      if (adopted.has(r.id)) violations.push({ kind: "adopted-object-deleted", message: `${why}: deleting ${r.urn} deletes ${r.id}, which the stack adopted` });
      live.delete(r.id);
    }
    operations.push({ step: "delete", urn: r.urn, type: r.type, name: r.name, ...(keeps ? { changed: ["(retained)"] } : {}) });
    checkNames(`${keeps ? "retaining" : "deleting"} ${r.name} (${why})`);
  };

  const registered = new Map<string, PlannedResource>();
  await runProgram(async (r) => {
    registered.set(r.urn, r);
    const old = findInState(state, r, registered);
    const record = (op: Operation, id: string, outputs: Record<string, unknown>) => {
      operations.push(op);
      after.push({ ...r, id, outputs });
      return { id, state: outputs };
    };
    const base = { urn: r.urn, type: r.type, name: r.name, ...(old && old.urn !== r.urn ? { formerUrn: old.urn } : {}) };
    if (!old) {
      if (r.options?.importId) {
        live.set(r.options.importId, model.uniqueKey(r.type, r.inputs));
        adopted.add(r.options.importId);
        return record({ ...base, step: "import" }, r.options.importId, { ...r.inputs });
      }
      const outputs = { ...r.inputs, ...model.computedOutputs(r.type, true, serial) };
      const id = createObject(r, outputs);
      const result = record({ ...base, step: "create" }, id, outputs);
      checkNames(`creating ${r.name}`);
      return result;
    }
    matched.add(old.urn);
    const d = await decide(old, r, dynamicDiffs);
    if (!d.changed.length) return record({ ...base, step: "same" }, old.id, old.outputs);
    if (!d.replacedBy.length) {
      const outputs = { ...r.inputs, ...model.computedOutputs(r.type, false, serial, old.outputs) };
      live.set(old.id, model.uniqueKey(r.type, outputs));
      const result = record({ ...base, step: "update", changed: d.changed }, old.id, outputs);
      checkNames(`updating ${r.name}`);
      return result;
    }
    const order = d.deleteBeforeReplace ? "delete-before-replace" : "create-before-delete";
    if (d.deleteBeforeReplace) deleteObject(old, `replacing ${r.name}, delete first`);
    else pendingDeletes.push(old);
    const outputs = { ...r.inputs, ...model.computedOutputs(r.type, true, serial) };
    const id = createObject(r, outputs);
    const result = record({ ...base, step: "replace", order, changed: d.changed, replacedBy: d.replacedBy }, id, outputs);
    checkNames(`creating the replacement of ${r.name}`);
    return result;
  });

  // After the program: originals of replacements and resources no longer declared, dependents first.
  const index = new Map(before.map((r, i) => [r.urn, i]));
  const deletes = [...pendingDeletes, ...before.filter((r) => !matched.has(r.urn))].sort((a, b) => index.get(b.urn)! - index.get(a.urn)!);
  for (const r of deletes) deleteObject(r, pendingDeletes.includes(r) ? "original of a replacement" : "no longer in the program");
  return { operations, violations, events, state: after, nextSerial: serial };
}
