/**
 * The Pulumi component provider that components/provider.ts runs (PulumiPlugin.yaml, package.json `main`): serves HrisTimeOffSync and VezaHrisSync to
 * programs in any language after `pulumi package add`. The schema comes from Pulumi's own analyzer, reading the
 * components' TypeScript args; the analyzer cannot tell a secret from a string, so the args kept secret are marked
 * secret in the schema here, and the SDKs it generates send them as secrets.
 */
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { PROJECT_ROOT } from "../lib/paths";
import { HrisTimeOffSync, VezaHrisSync } from "./crossLanguage";

/** Package name: resource types are `wfm-hris:index:<Component>`. */
export const PACKAGE_NAME = "wfm-hris";
/** The components served, by class name (the analyzer finds each from the source file below). */
export const COMPONENTS = [HrisTimeOffSync, VezaHrisSync];
/** The TypeScript source the analyzer starts from (package.json `exports` name compiled files it cannot read). */
export const ANALYZER_ENTRY = "components/crossLanguage.ts";
/** Inputs that carry secrets, by component: always wrapped in pulumi.secret by the component as well. */
export const SECRET_INPUTS: Record<string, readonly string[]> = {
  HrisTimeOffSync: ["hrisSecret", "genesysOauthClientSecret"],
  VezaHrisSync: ["hrisSecret", "vezaApiKey"],
};

type Schema = { resources: Record<string, { inputProperties: Record<string, { secret?: boolean }> }> } & Record<string, unknown>;

/** Marks the secret inputs of a schema the analyzer produced. */
export function markSecrets(schema: Schema): Schema {
  for (const [component, inputs] of Object.entries(SECRET_INPUTS)) {
    const resource = schema.resources[`${PACKAGE_NAME}:index:${component}`];
    if (!resource) throw new Error(`the schema has no component ${component}`);
    for (const input of inputs) {
      if (!resource.inputProperties[input]) throw new Error(`the schema of ${component} has no input ${input}`);
      resource.inputProperties[input].secret = true;
    }
  }
  return schema;
}

/** The SDK's component provider, with the analyzer started at ANALYZER_ENTRY and secret inputs marked. */
export class WfmHrisComponentProvider extends ComponentProvider {
  constructor(dir = PROJECT_ROOT) {
    super({ name: PACKAGE_NAME, dirname: dir, components: COMPONENTS });
    // The analyzer takes its entry point from package.json; point it at the TypeScript source instead of dist/.
    const self = this as unknown as { packageJSON: Record<string, unknown> };
    self.packageJSON = { ...self.packageJSON, exports: undefined, main: ANALYZER_ENTRY };
  }

  override async getSchema(): Promise<string> {
    return JSON.stringify(markSecrets(JSON.parse(await super.getSchema())));
  }

}
