/**
 * HRIS adapters: the built-in ones registered, and what a program needs to add its own
 * (docs/custom-hris.md). Generic code imports from here, never from an adapter's folder.
 */
import { bambooHr } from "./bamboohr";
import { customHris } from "./custom";
import { personio } from "./personio";
import { registerHrisAdapterOnUse } from "./registry";

// By kind, read on first use: the compiled tools load an adapter's module only when a stack of its kind needs it
// (tools/deferModules.cjs); everywhere else the imports above have loaded them already.
registerHrisAdapterOnUse("bamboohr", () => bambooHr);
registerHrisAdapterOnUse("personio", () => personio);
registerHrisAdapterOnUse("custom", () => customHris);

export type { DefinitionSource, DirectoryReader, HrisAdapter, HrisSettings } from "./adapter";
export { hrisConfigSection, withHrisBaseUrl } from "./adapter";
export { AUTH_SECRET, credentialFields } from "./auth";
export type { HrisAuth, HrisAuthType } from "./auth";
export { HrisApiError } from "./errors";
export { hrisAdapter, hrisAdapters, hrisKinds, registerHrisAdapter, registerHrisAdapterOnUse, registryVersion, unregisterHrisAdapter } from "./registry";
export { CAPABILITIES, ROLES, ROLE_IDS, roleById, roleIssues } from "./roles";
export type { Capability, CapabilityName, Role } from "./roles";
