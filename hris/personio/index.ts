import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead, doc } from "../../lib/config/fields";
import type { HrisAdapter, HrisSettings } from "../adapter";
import { hrisConfigSection } from "../adapter";
import { roleFilesIn } from "../definitionFiles";
import { personioDirectory } from "./veza";

const section = {
  kind: "personio",
  label: "Personio",
  authTypes: ["oauth"] as const,
  // The v1 server of Personio's spec (personio/api-docs personio-personnel-data-api-oa3.yaml `servers`).
  defaultBaseUrl: "https://api.personio.de",
  baseUrlExample: "https://api.personio.de",
  // Built when the schema is (configSchema): zod is not loaded by a tool that only reads a validated config.
  get fields() {
    return {
      // "The hostname is used to uniquely name your company's Personio account", 3-20 letters and digits
      // (support.personio.de, "How Do I Change the Hostname of My Personio Account?"). The API has no tenant in its
      // URLs, so this names the instance (the Veza data source) and gives the Veza system its URL.
      hostname: z
        .string()
        .regex(/^[a-z0-9]{3,20}$/, "must be the Personio account hostname: 3-20 lowercase letters and digits (the `acme` of https://acme.personio.de)")
        .meta(doc("Personio account hostname (the `acme` in https://acme.personio.de); names the tenant, e.g. in the Veza data source name.", "acme")),
      appId: z
        .string()
        .regex(/^[A-Z][A-Z0-9_]{0,63}$/, "must be UPPER_SNAKE_CASE, as Personio asks for its X-Personio-App-ID header")
        .default("GENESYS_WFM_HRIS")
        .meta(doc("Sent as the X-Personio-App-ID header, which Personio asks integrations to send (developer.personio.de, include-our-headers-in-your-requests).", "GENESYS_WFM_HRIS")),
    };
  },
};

/** The token endpoint the data actions' custom auth action understands: v1 /auth answers {success, data: {token}}. */
const V1_AUTH_PATH = /\/v1\/auth$/;

const configSchema = builtOnFirstRead(() =>
  hrisConfigSection(section).superRefine((hris, ctx) => {
    const auth = hris.auth as { type: string; tokenUrl?: string };
    if (auth.type === "oauth" && auth.tokenUrl && URL.canParse(auth.tokenUrl) && !V1_AUTH_PATH.test(new URL(auth.tokenUrl).pathname))
      ctx.addIssue({
        code: "custom",
        path: ["auth", "tokenUrl"],
        message: "must be Personio's v1 token endpoint, https://api.personio.de/v1/auth: the custom auth action reads its {success, data: {token}} answer",
      });
  }),
);

/** Personio (hris/personio/README.md): time-off through the v1 API, the directory for Veza. */
export const personio: HrisAdapter = {
  kind: section.kind,
  label: section.label,
  get configSchema() {
    return configSchema();
  },
  defaultBaseUrl: section.defaultBaseUrl,
  authTypes: section.authTypes,
  configExample:
    "`pulumi config set --path 'wfm-hris:hris.kind' personio`, `pulumi config set --path 'wfm-hris:hris.hostname' acme`, `pulumi config set --path 'wfm-hris:hris.auth.type' oauth`, `pulumi config set --path 'wfm-hris:hris.auth.clientId' <Personio client id>` and `pulumi config set --path 'wfm-hris:hris.auth.tokenUrl' https://api.personio.de/v1/auth`",
  instanceName: (hris) => String(hris.hostname),
  definitions: (_hris, root) => {
    const dir = path.join(root, "hris", "personio");
    return { dir, roleFiles: roleFilesIn(path.join(dir, "actions")) };
  },
  placeholders: (hris: HrisSettings) => ({ appId: String(hris.appId) }),
  directory: () => personioDirectory,
  unreadInputs: {
    // Personio keeps no balance per date: available_balance already deducts upcoming periods.
    "get-balance": ["end"],
    // POST /v1/company/time-offs takes start, end and half-day flags; it cannot replace a request.
    "put-timeoff-request": ["dates", "payableMinutes", "previousRequest"],
    // DELETE /v1/company/time-offs/{id} takes no comment.
    "change-timeoff-request-status": ["note"],
  },
  // No status change and no replace: time-offs has only GET, POST and DELETE (S1 paths); no input sets a status, so a
  // denied request cannot be recorded (skip_approval only chooses approved or pending).
  capabilities: { replacesPreviousRequest: false, recordsDeniedRequests: false },
  supports: { roles: "four (no get-agents: employees come 100 per page)", veza: "v1 employees (department, team, office, subcompany, supervisor, status, dates)" },
};
