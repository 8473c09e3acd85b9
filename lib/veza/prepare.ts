import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { BambooHrAuth, fetchEmployeeReport } from "../bamboohr/client";
import type { StackConfig } from "../config/validate";
import { BASE_FIELDS, buildHrisPayload } from "./fromBambooHr";
import { validateHrisPayload } from "./payload";

/** A validated, compressed payload ready to push, and what describes it. */
export interface PreparedPayload {
  /** SHA-256 of the JSON text: a push happens when it changes. */
  hash: string;
  employeeCount: number;
  groupCount: number;
  jsonBytes: number;
  gzipBytes: number;
  gzipped: Buffer;
  /** Non-fatal notes from building it. */
  buildWarnings: string[];
}

/** The HRIS credential for the sync, from the stack's auth settings and secret. */
export function bambooHrAuth(config: StackConfig, secret: string): BambooHrAuth {
  const { auth } = config.hris;
  return auth.type === "apiKey" ? { apiKey: secret } : { tokenUrl: auth.tokenUrl, clientId: auth.clientId, clientSecret: secret, scope: auth.scope };
}

/** Fetches the HRIS report, builds and validates the Veza payload, and compresses it. Nothing is sent to Veza. */
export async function prepareVezaPayload(
  config: StackConfig,
  hrisSecret: string,
  options: { fetchImpl?: typeof fetch; onProgress?: (line: string) => void } = {},
): Promise<PreparedPayload> {
  const veza = config.veza;
  if (!veza) throw new Error("the stack has no veza section");
  const progress = options.onProgress ?? (() => {});
  const fields = [...new Set([...BASE_FIELDS, ...Object.values(veza.employeeProperties)])];
  progress(`fetching ${fields.length} fields of every employee from BambooHR (${config.hris.companyDomain})`);
  const report = await fetchEmployeeReport(
    { baseUrl: config.hris.baseUrl, companyDomain: config.hris.companyDomain, auth: bambooHrAuth(config, hrisSecret), fetchImpl: options.fetchImpl },
    fields,
  );
  progress(`building the payload from ${report.employees.length} employees`);
  const { payload, warnings } = buildHrisPayload(report, {
    companyDomain: config.hris.companyDomain,
    name: veza.dataSourceName,
    idpProviders: veza.idpProviders,
    employeeProperties: veza.employeeProperties,
  });
  validateHrisPayload(payload);
  const json = JSON.stringify(payload);
  const gzipped = gzipSync(json, { level: 6 });
  progress(`payload: ${payload.employees.length} employees, ${payload.groups.length} groups, ${json.length} bytes, ${gzipped.length} gzipped`);
  return {
    hash: createHash("sha256").update(json).digest("hex"),
    employeeCount: payload.employees.length,
    groupCount: payload.groups.length,
    jsonBytes: Buffer.byteLength(json),
    gzipBytes: gzipped.length,
    gzipped,
    buildWarnings: warnings,
  };
}
