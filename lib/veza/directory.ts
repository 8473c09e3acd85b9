import type { HrisPayload } from "./payload";

/** What every HRIS adapter's directory reader is given to build the Veza payload (from the stack's veza section). */
export interface DirectoryBuildOptions {
  /** Payload and system name (the data source name). */
  name: string;
  idpProviders: string[];
  /** Custom employee property (snake_case) → HRIS field; all STRING. */
  employeeProperties: Record<string, string>;
  /** HRIS field holding the employee's login at the IdP (Veza's idp_id); without it Veza matches by email. */
  idpIdField?: string;
}

export interface BuildResult {
  payload: HrisPayload;
  /** Non-fatal: data left out because the HRIS's data could not be represented. */
  warnings: string[];
}
