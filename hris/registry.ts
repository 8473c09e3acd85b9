import type { HrisAdapter } from "./adapter";

/**
 * The HRIS kinds the product knows. Built-in adapters register themselves from hris/index.ts; a program (or a test)
 * may register its own before the stack config is validated.
 */
const adapters = new Map<string, HrisAdapter>();
let version = 0;

export function registerHrisAdapter(adapter: HrisAdapter): void {
  if (!/^[a-z][a-z0-9-]*$/.test(adapter.kind)) throw new Error(`HRIS adapter kind "${adapter.kind}" must be lowercase letters, digits and '-'`);
  if (adapters.has(adapter.kind)) throw new Error(`an HRIS adapter of kind "${adapter.kind}" is already registered`);
  adapters.set(adapter.kind, adapter);
  version++;
}

/** Removes an adapter (tests that register a throwaway one). */
export function unregisterHrisAdapter(kind: string): void {
  if (adapters.delete(kind)) version++;
}

export function hrisAdapter(kind: string): HrisAdapter {
  const adapter = adapters.get(kind);
  if (!adapter) throw new Error(`no HRIS adapter of kind "${kind}"; known: ${hrisKinds().join(", ")}`);
  return adapter;
}

export const hrisAdapters = (): HrisAdapter[] => [...adapters.values()];
export const hrisKinds = (): string[] => [...adapters.keys()];
/** Changes whenever the set of adapters does, so schemas built from it can be cached. */
export const registryVersion = () => version;
