import type * as pulumi from "@pulumi/pulumi";
import replacementsFile from "./replacements.json";

/** Inputs whose change replaces the resource, by resource type (see replacements.json for the sources). */
export const REPLACE_ON_CHANGE = Object.fromEntries(Object.entries(replacementsFile).filter(([k]) => !k.startsWith("$"))) as Record<string, string[]>;
/** Inputs whose change replaces the resource deleting the original first, by resource type. */
export const DELETE_BEFORE_REPLACE = replacementsFile.$deleteBeforeReplace as Record<string, string[]>;

export const INTEGRATION_ACTION = "genesyscloud:index/integrationAction:IntegrationAction";

/** Random bytes in a data action's identity suffix: `-` and 8 hex digits after its name. */
export const ACTION_SUFFIX_BYTES = 4;
/** Characters the identity suffix adds to a data action name. */
export const ACTION_SUFFIX_LENGTH = 1 + 2 * ACTION_SUFFIX_BYTES;

/**
 * The `keepers` of a RandomId that must change exactly when a resource of `type` is replaced: one entry per
 * replace-forcing input, as text (keepers are strings).
 */
export function identityKeepers(type: string, inputs: Record<string, pulumi.Input<unknown>>): Record<string, pulumi.Input<string>> {
  const keys = REPLACE_ON_CHANGE[type];
  if (!keys) throw new Error(`no replace-forcing inputs are recorded for ${type} (lib/lifecycle/replacements.json)`);
  const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v ?? null));
  // Required here, not imported at the top: the tools that only read the tables above (action, plan:diff) then
  // start without loading the Pulumi SDK (~0.3 s).
  const { output } = require("@pulumi/pulumi") as typeof pulumi;
  return Object.fromEntries(keys.map((k) => [k, (output(inputs[k]) as pulumi.Output<unknown>).apply(asText)]));
}
