/**
 * How the objects this package manages behave in Genesys Cloud and Veza, for the lifecycle model (engine.ts).
 * Each rule names its source.
 */
import { customProviderProvider, dataSourceProvider, pushProvider } from "../veza/dynamicProviders";
import type { DynamicDiff, ObjectModel } from "./engine";
import { INTEGRATION_ACTION } from "./identity";

const FLOW = "genesyscloud:index/flow:Flow";
const CUSTOM_AUTH = "genesyscloud:index/integrationCustomAuthAction:IntegrationCustomAuthAction";
const RANDOM_ID = "random:index/randomId:RandomId";
const VEZA_PROVIDER = "pulumi-nodejs:dynamic/veza:CustomProvider";
const VEZA_DATA_SOURCE = "pulumi-nodejs:dynamic/veza:DataSource";
const VEZA_PUSH = "pulumi-nodejs:dynamic/veza:Push";

/** The dynamic providers' own diff functions: their replace rules live in code. */
export const DYNAMIC_DIFFS: Record<string, DynamicDiff> = {
  [VEZA_PROVIDER]: customProviderProvider.diff as unknown as DynamicDiff,
  [VEZA_DATA_SOURCE]: dataSourceProvider.diff as unknown as DynamicDiff,
  [VEZA_PUSH]: pushProvider.diff as unknown as DynamicDiff,
};

export const GENESYS_AND_VEZA: ObjectModel = {
  // A RandomId lives in state only; a push's data belongs to its data source; the provider is configuration.
  isObject: (type) => type !== RANDOM_ID && type !== VEZA_PUSH && !type.startsWith("pulumi:providers:"),
  uniqueKey(type, o) {
    // A data action's name and category identify it for the flows that call it (callData by category and name).
    if (type === INTEGRATION_ACTION) return `data action "${o.name}" in category "${o.category}"`;
    // Flow names are unique per flow type (reference/genesys-cloud.md §4, Archy: "must be unique per type").
    if (type === FLOW) return `${o.type ?? "WORKFLOW"} flow "${o.name}"`;
    // The Veza client refuses two live providers or data sources of one name (lib/veza/client.ts findProvider).
    if (type === VEZA_PROVIDER) return `Veza custom provider "${o.name}"`;
    if (type === VEZA_DATA_SOURCE) return `Veza data source "${o.name}" of provider ${o.providerId}`;
    return undefined;
  },
  createAdoptsByName(type) {
    // Archy publishes a flow by name: the same name updates that flow (the provider's flow docs: only a new name
    // creates a new flow). The Veza providers get-or-create by name (lib/veza/dynamicProviders.ts create).
    return type === FLOW || type === VEZA_PROVIDER || type === VEZA_DATA_SOURCE;
  },
  providerKeepsOnDelete(type, o) {
    // The custom auth action's delete is a no-op (Genesys removes it with its integration: provider source,
    // reference/genesys-cloud.md §1.4), so it goes when the integration does. An adopted Veza object stays unless released.
    if (type === CUSTOM_AUTH) return true;
    if (type === VEZA_PROVIDER || type === VEZA_DATA_SOURCE) return o.adopted === true && o.keepAdopted !== false;
    return false;
  },
  computedOutputs(type, fresh, serial, old) {
    if (type === RANDOM_ID) return { hex: fresh ? serial.toString(16).padStart(8, "0") : old?.hex };
    if (type === VEZA_PROVIDER || type === VEZA_DATA_SOURCE) return { adopted: fresh ? false : old?.adopted };
    return {};
  },
};
