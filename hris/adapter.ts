import { z } from "zod";
import { derived, doc, httpsUrl } from "../lib/config/fields";
import type { FileIssue } from "../lib/jsonFile";
import type { DataActionDefinition } from "../lib/dataActions/definitions";
import type { BuildResult, DirectoryBuildOptions, EmployeeMapper } from "../lib/veza/directory";
import { HrisAuth, HrisAuthType, hrisAuthSchemas } from "./auth";
import type { CapabilityName } from "./roles";

/**
 * An HRIS adapter: everything the product knows about one HRIS, in one folder (hris/<kind>/). Generic code reaches
 * an HRIS only through this interface; adding an adapter is registering one (hris/registry.ts).
 */

/** The hris section of a stack's config as every adapter has it; adapters add their own fields. */
export interface HrisSettings {
  kind: string;
  /** API origin the data actions call (`{{apiBase}}`); the adapter's default when not set. */
  baseUrl: string;
  /** Working hours in a day, passed to the balance action for HRIS that keep balances in days. */
  hoursPerDay: number;
  auth: HrisAuth;
  [field: string]: unknown;
}

/** Where an adapter's data action definitions and auth profiles are, and what comes with them from files. */
export interface DefinitionSource {
  /** Folder holding `auth/<auth type>.json`. */
  dir: string;
  /** Role → definition file (absolute path). */
  roleFiles: Record<string, string>;
  /** Capabilities read with the definitions (a custom HRIS's manifest); else the adapter's own. */
  capabilities?: Record<CapabilityName, boolean>;
  /** Role inputs left unread, read with the definitions; else the adapter's own. */
  unreadInputs?: Record<string, readonly string[]>;
}

/** Reads the HRIS directory for the Veza payload. `R` is the adapter's report (what it fetches or a saved file). */
export interface DirectoryReader<R = unknown> {
  /** What a saved report is, for messages and `--from-report` (e.g. "BambooHR custom report JSON"). */
  reportDescription: string;
  /** Fetches every employee, active or not, with what the payload needs. Never called offline. */
  fetch(hris: HrisSettings, secret: string, options: DirectoryFetchOptions): Promise<R>;
  /**
   * Optional, for directories too large to hold: the report `fetch` would return, written to `file` as it arrives (a
   * file `eachRecordInFile` reads), so the sync streams a live directory as it streams a saved one.
   */
  download?(hris: HrisSettings, secret: string, options: DirectoryFetchOptions, file: string): Promise<void>;
  /** Reads and checks a saved report; throws a FileValidationError naming the file. */
  readReportFile(file: string): R;
  /** Maps a report to the Veza HRIS payload. Deterministic. */
  build(report: R, hris: HrisSettings, options: DirectoryBuildOptions): BuildResult;
  /** Number of employees in a report, for progress lines. */
  employeeCount(report: R): number;
  /**
   * Optional, for directories too large to hold (lib/veza/prepare.ts): the same build one employee at a time. `mapper`
   * maps records (with `knownIds`, every employee id, managers not among them are left out; without, all are kept),
   * `records` gives a fetched report's records, `eachRecordInFile` reads a saved report as a stream with the checks
   * of readReportFile, returning the number of records.
   */
  streaming?: {
    mapper(hris: HrisSettings, options: DirectoryBuildOptions, knownIds?: ReadonlySet<string>): EmployeeMapper;
    records(report: R): readonly unknown[];
    eachRecordInFile(file: string, visit: (record: unknown, index: number) => void): number;
  };
}

export interface DirectoryFetchOptions {
  /** Employee properties and IdP field the payload will need (HRIS field ids). */
  extraFields: string[];
  fetchImpl?: typeof fetch;
  onProgress?: (line: string) => void;
}

export interface HrisAdapter {
  /** `hris.kind` in the stack config. */
  kind: string;
  /** Display name ("BambooHR"), used in default resource names. */
  label: string;
  /** The hris section's schema (build it with hrisConfigSection). */
  configSchema: z.ZodType;
  /** Auth types it supports; the first is the default. */
  authTypes: readonly HrisAuthType[];
  /** API origin used when `baseUrl` is not set; without one the setting is required. */
  defaultBaseUrl?: string;
  /** Example `pulumi config set` commands for the section, for errors when it is missing. */
  configExample: string;
  /** Name of this HRIS instance (a company domain, a host), for default names such as the Veza data source. */
  instanceName(hris: HrisSettings): string;
  /** The data action definitions for the roles, and the auth profiles. `root` is the project (or user) root. */
  definitions(hris: HrisSettings, root: string): DefinitionSource;
  /** `{{placeholder}}` values its definitions may use besides `{{apiBase}}`. */
  placeholders(hris: HrisSettings): Record<string, string>;
  /** Reads a failed HRIS answer for the offline engine's hint (its error header, the setting a 404 points at). */
  errorHint?: (status: number, headers: Record<string, string>) => string | undefined;
  /** HRIS-specific expectations of a definition (an HRIS that answers XML unless asked for JSON, ...). */
  lintDefinition?(definition: DataActionDefinition): FileIssue[];
  /** The Veza directory reader; undefined when the adapter (or a custom folder) has none. */
  directory?: (hris: HrisSettings, root: string) => DirectoryReader<any> | undefined;
  /**
   * Role inputs (by role) its actions declare but do not read, because the HRIS has no use for them; each must be an
   * input of the role. Other declared inputs must be read.
   */
  unreadInputs?: Record<string, readonly string[]>;
  /** What the HRIS can do that the workflows adapt to (hris/roles.json "capabilities"); a custom HRIS reads them from its folder. */
  capabilities?: Record<CapabilityName, boolean>;
  /** Describes what the adapter supports, for the README table and `--help`. */
  supports: { roles: string; veza: string };
}

export interface HrisSectionOptions<Shape extends z.ZodRawShape> {
  kind: string;
  label: string;
  /** The adapter's own fields. */
  fields: Shape;
  /** Auth types the adapter supports; the first is the default when `auth` is left out. */
  authTypes: readonly [HrisAuthType, ...HrisAuthType[]];
  /** Default API origin; without one, `baseUrl` is required. */
  defaultBaseUrl?: string;
  /** Example API origin for messages. */
  baseUrlExample: string;
}

/** The hris section schema of an adapter: `kind`, `baseUrl`, `hoursPerDay` and `auth` for every adapter, plus its fields. */
export function hrisConfigSection<Shape extends z.ZodRawShape>(o: HrisSectionOptions<Shape>) {
  const auth = o.authTypes.map((t) => hrisAuthSchemas()[t]) as unknown as [z.ZodObject, ...z.ZodObject[]];
  // Shared settings are described the same for every kind, so the config reference lists them once.
  const authDoc = doc("How Genesys authenticates to the HRIS: {type: apiKey} or {type: oauth, clientId, tokenUrl}, as the kind supports.", `{"type":"${o.authTypes[0]}"}`);
  const baseUrl = httpsUrl().meta(doc("API origin of the HRIS; kinds with a default need it only to point at a test server (http only for 127.0.0.1/localhost).", o.baseUrlExample));
  return z.strictObject({
    kind: z.literal(o.kind).meta(doc(`HRIS kind: ${o.kind} (${o.label}).`, o.kind)),
    baseUrl: o.defaultBaseUrl ? baseUrl.optional().meta(derived(`\`${o.defaultBaseUrl}\``)) : baseUrl,
    hoursPerDay: z
      .number()
      .gt(0, "must be more than 0")
      .max(24, "must be at most 24")
      .default(8)
      .meta(doc("Working hours in a day, to convert balances kept in days into minutes.", "8")),
    auth: z.discriminatedUnion("type", auth as never).default({ type: o.authTypes[0] } as never).meta(authDoc),
    ...o.fields,
  });
}

/**
 * The hris section pointed at another API origin (the tools' `--hris-url`, a fake or a test tenant). An OAuth token
 * endpoint on the configured API's origin moves with it, so the token comes from the same server as the data
 * (Personio's /v1/auth sits next to its API); a token endpoint elsewhere (an identity provider) stays.
 */
export function withHrisBaseUrl<H extends HrisSettings>(hris: H, url: string): H {
  const baseUrl = url.replace(/\/+$/, "");
  const auth = hris.auth;
  if (auth.type !== "oauth" || !URL.canParse(auth.tokenUrl) || new URL(auth.tokenUrl).origin !== new URL(hris.baseUrl).origin) return { ...hris, baseUrl };
  const token = new URL(auth.tokenUrl);
  return { ...hris, baseUrl, auth: { ...auth, tokenUrl: `${new URL(baseUrl).origin}${token.pathname.replace(/\/+$/, "")}` } };
}
