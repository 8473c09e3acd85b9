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

/**
 * Maps an HRIS's employee records to the payload one at a time, so a report too large to hold can be read as a
 * stream (lib/veza/prepare.ts). Groups and warnings gather as records are mapped.
 */
export interface EmployeeMapper {
  /** The HRIS system of the payload. */
  readonly system: { type: string; systemId: string; url: string };
  map(record: unknown, index: number): HrisPayload["employees"][number];
  groups(): Iterable<HrisPayload["groups"][number]>;
  /** The build's warnings, given the manager circles and the managers left out for not being in the report. */
  warnings(circles: string[][], droppedManagers?: number): string[];
}

export interface BuildResult {
  payload: HrisPayload;
  /** Non-fatal: data left out because the HRIS's data could not be represented. */
  warnings: string[];
}

/**
 * The HRIS payload around an adapter's employees and groups: the stack's names, IdP providers and declared custom
 * properties (all STRING), the HRIS system, groups sorted by id so the same directory gives the same text.
 */
export function hrisPayload(
  opts: DirectoryBuildOptions,
  hris: { type: string; systemId: string; url: string },
  employees: HrisPayload["employees"],
  groups: Iterable<HrisPayload["groups"][number]>,
): HrisPayload {
  return {
    name: opts.name,
    hris_type: hris.type,
    custom_property_definition: {
      system_properties: {},
      employee_properties: Object.fromEntries(Object.keys(opts.employeeProperties).sort().map((k) => [k, "STRING" as const])),
      group_properties: {},
    },
    system: { id: hris.systemId, name: opts.name, url: hris.url, idp_providers: opts.idpProviders as HrisPayload["system"]["idp_providers"] },
    employees,
    groups: [...groups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}
