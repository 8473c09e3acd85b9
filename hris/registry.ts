import type { HrisAdapter } from "./adapter";

/**
 * The HRIS kinds the product knows. Built-in adapters register themselves from hris/index.ts, by kind, and are read
 * on first use (a stack uses one kind; the compiled tools load only that adapter's module, tools/deferModules.cjs);
 * a program (or a test) may register its own before the stack config is validated.
 */
const adapters = new Map<string, { adapter?: HrisAdapter; load?: () => HrisAdapter }>();
let version = 0;

function checkKind(kind: string): void {
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new Error(`HRIS adapter kind "${kind}" must be lowercase letters, digits and '-'`);
  if (adapters.has(kind)) throw new Error(`an HRIS adapter of kind "${kind}" is already registered`);
}

export function registerHrisAdapter(adapter: HrisAdapter): void {
  checkKind(adapter.kind);
  adapters.set(adapter.kind, { adapter });
  version++;
}

/** Registers an adapter by its kind; `load` gives it on first use (its module need not be loaded before). */
export function registerHrisAdapterOnUse(kind: string, load: () => HrisAdapter): void {
  checkKind(kind);
  adapters.set(kind, { load });
  version++;
}

/** Removes an adapter (tests that register a throwaway one). */
export function unregisterHrisAdapter(kind: string): void {
  if (adapters.delete(kind)) version++;
}

function loaded(kind: string, entry: { adapter?: HrisAdapter; load?: () => HrisAdapter }): HrisAdapter {
  if (!entry.adapter) {
    const adapter = entry.load!();
    if (adapter.kind !== kind) throw new Error(`the HRIS adapter registered as "${kind}" says its kind is "${adapter.kind}"`);
    entry.adapter = adapter;
  }
  return entry.adapter;
}

export function hrisAdapter(kind: string): HrisAdapter {
  const entry = adapters.get(kind);
  if (!entry) throw new Error(`no HRIS adapter of kind "${kind}"; known: ${hrisKinds().join(", ")}`);
  return loaded(kind, entry);
}

/** Every adapter, in the order registered (loads those not loaded yet). */
export const hrisAdapters = (): HrisAdapter[] => [...adapters].map(([kind, entry]) => loaded(kind, entry));
export const hrisKinds = (): string[] => [...adapters.keys()];
/** Changes whenever the set of adapters does, so schemas built from it can be cached. */
export const registryVersion = () => version;
