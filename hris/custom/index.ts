import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead, doc } from "../../lib/config/fields";
import type { HrisAdapter, HrisSettings } from "../adapter";
import { hrisConfigSection } from "../adapter";
import { fieldMappedDirectory } from "./directory";
import { readManifest } from "./manifest";

const section = {
  kind: "custom",
  label: "HRIS",
  authTypes: ["apiKey", "oauth"] as const,
  baseUrlExample: "https://hr.example.com",
  // Built when the schema is (configSchema): zod is not loaded by a tool that only reads a validated config.
  get fields() {
    return {
      path: z
        .string()
        .trim()
        .min(1, "must not be empty")
        .meta(doc("Folder with your data action definitions and wfm-hris.json, relative to the project root (docs/custom-hris.md).", "hris-contoso")),
      name: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "must be lowercase letters, digits and inner hyphens, e.g. contoso-hr")
        .meta(doc("Short name of your HRIS instance, used in default Veza names and the payload's system id.", "contoso-hr")),
    };
  },
};

const configSchema = builtOnFirstRead(() => hrisConfigSection(section));

const folder = (hris: HrisSettings, root: string) => path.resolve(root, String(hris.path));

/** Bring your own HRIS: data action definitions (Genesys export format) in a folder of your repository, mapped to the roles by its wfm-hris.json. */
export const customHris: HrisAdapter = {
  kind: section.kind,
  label: section.label,
  get configSchema() {
    return configSchema();
  },
  authTypes: section.authTypes,
  configExample:
    "`pulumi config set --path 'wfm-hris:hris.kind' custom`, `pulumi config set --path 'wfm-hris:hris.path' hris-contoso`, `pulumi config set --path 'wfm-hris:hris.name' contoso-hr` and `pulumi config set --path 'wfm-hris:hris.baseUrl' https://hr.example.com`",
  instanceName: (hris) => String(hris.name),
  definitions: (hris, root) => {
    const manifest = readManifest(folder(hris, root), root);
    return {
      dir: manifest.dir,
      roleFiles: Object.fromEntries(Object.entries(manifest.roles).map(([role, file]) => [role, path.join(manifest.dir, file!)])),
      capabilities: manifest.capabilities,
      unreadInputs: manifest.unreadInputs as Record<string, readonly string[]>,
    };
  },
  placeholders: () => ({}),
  directory: (hris, root) => {
    const manifest = readManifest(folder(hris, root), root);
    return manifest.directory && fieldMappedDirectory(manifest.label, manifest.directory);
  },
  supports: { roles: "the roles your folder maps (get-agents optional)", veza: "optional: a JSON employee list and a field map" },
};
