import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead, doc } from "../../lib/config/fields";
import type { HrisAdapter } from "../adapter";
import { hrisConfigSection } from "../adapter";
import { roleFilesIn } from "../definitionFiles";
import { bambooHrDefinitionIssues, bambooHrErrorHint } from "./lint";
import { bambooHrDirectory } from "./veza";

const section = {
  kind: "bamboohr",
  label: "BambooHR",
  authTypes: ["apiKey", "oauth"] as const,
  defaultBaseUrl: "https://api.bamboohr.com",
  baseUrlExample: "https://api.bamboohr.com",
  // Built when the schema is (configSchema): zod is not loaded by a tool that only reads a validated config.
  get fields() {
    return {
      companyDomain: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be the BambooHR company subdomain: lowercase letters, digits and inner hyphens (the `acme` of acme.bamboohr.com)")
        .meta(doc("BambooHR company subdomain (the `acme` in https://acme.bamboohr.com).", "acme")),
    };
  },
};

const configSchema = builtOnFirstRead(() => hrisConfigSection(section));

/** BambooHR (hris/bamboohr/README.md): the blueprint's own HRIS. */
export const bambooHr: HrisAdapter = {
  kind: section.kind,
  label: section.label,
  get configSchema() {
    return configSchema();
  },
  defaultBaseUrl: section.defaultBaseUrl,
  authTypes: section.authTypes,
  configExample:
    "`pulumi config set --path 'wfm-hris:hris.kind' bamboohr` and `pulumi config set --path 'wfm-hris:hris.companyDomain' acme`",
  instanceName: (hris) => String(hris.companyDomain),
  // Relative to the root the flows are read from, so a copy of the project (tests, a fork) uses its own files.
  definitions: (_hris, root) => {
    const dir = path.join(root, "hris", "bamboohr");
    return { dir, roleFiles: roleFilesIn(path.join(dir, "actions")) };
  },
  placeholders: (hris) => ({ companyDomain: String(hris.companyDomain) }),
  lintDefinition: bambooHrDefinitionIssues,
  errorHint: bambooHrErrorHint,
  directory: () => bambooHrDirectory,
  // previousRequest supersedes a request, and a request can be recorded as denied (BambooHR API: PUT time_off/request).
  capabilities: { replacesPreviousRequest: true, recordsDeniedRequests: true },
  supports: { roles: "all five", veza: "custom employee report (department, division, location, supervisor, status, dates)" },
};
