import { createHash } from "node:crypto";
import { once } from "node:events";
import { ZlibOptions, createGzip } from "node:zlib";
import { BambooHrAuth, EmployeeReport, fetchEmployeeReport } from "../bamboohr/client";
import type { StackConfig } from "../config/validate";
import { BASE_FIELDS, buildHrisPayload } from "./fromBambooHr";
import { HrisPayload, validateHrisPayload } from "./payload";

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

/** The BambooHR fields a stack's payload needs. */
export function reportFields(config: StackConfig): string[] {
  const veza = config.veza;
  return [...new Set([...BASE_FIELDS, ...Object.values(veza?.employeeProperties ?? {}), ...(veza?.idpIdField ? [veza.idpIdField] : [])])];
}

/** Fetches the HRIS report, builds and validates the Veza payload, and compresses it. Nothing is sent to Veza. */
export async function prepareVezaPayload(
  config: StackConfig,
  hrisSecret: string,
  options: { fetchImpl?: typeof fetch; onProgress?: (line: string) => void } = {},
): Promise<PreparedPayload> {
  const fields = reportFields(config);
  options.onProgress?.(`fetching ${fields.length} fields of every employee from BambooHR (${config.hris.companyDomain})`);
  const report = await fetchEmployeeReport(
    { baseUrl: config.hris.baseUrl, companyDomain: config.hris.companyDomain, auth: bambooHrAuth(config, hrisSecret), fetchImpl: options.fetchImpl },
    fields,
  );
  return payloadFromReport(config, report, options.onProgress);
}

const BATCH = 2000;

/**
 * The payload's JSON text, gzipped, with its SHA-256 and length, produced in batches of employees so the whole
 * text never sits in memory, and compressed on the thread pool while the next batch is serialised. The text is
 * exactly JSON.stringify(payload).
 */
export async function compressPayload(payload: HrisPayload): Promise<{ gzipped: Buffer; hash: string; jsonBytes: number }> {
  // Level 1: a third of the CPU time of the default for about 30% more bytes, far below the 100 MB limit.
  // A high-water mark of several batches lets the thread pool compress one while the next is serialised;
  // at 16 KB (the default) every write would wait for the compressor.
  const gzip = createGzip({ level: 1, chunkSize: 1024 * 1024, writableHighWaterMark: 8 * 1024 * 1024 } as ZlibOptions);
  const out: Buffer[] = [];
  gzip.on("data", (c: Buffer) => out.push(c));
  const done = once(gzip, "end");
  const hash = createHash("sha256");
  let jsonBytes = 0;
  const write = async (text: string) => {
    const bytes = Buffer.from(text, "utf8");
    hash.update(bytes);
    jsonBytes += bytes.length;
    if (!gzip.write(bytes)) await once(gzip, "drain");
  };
  const { employees, groups, ...head } = payload;
  const headText = JSON.stringify(head);
  await write(`${headText.slice(0, -1)}${headText.length > 2 ? "," : ""}"employees":[`);
  for (let i = 0; i < employees.length; i += BATCH) {
    const batch = JSON.stringify(employees.slice(i, i + BATCH));
    await write(`${i > 0 ? "," : ""}${batch.slice(1, -1)}`);
  }
  await write(`],"groups":${JSON.stringify(groups)}}`);
  gzip.end();
  await done;
  return { gzipped: Buffer.concat(out), hash: hash.digest("hex"), jsonBytes };
}

/** Builds, validates and compresses the payload from a BambooHR employee report. */
export async function payloadFromReport(config: StackConfig, report: EmployeeReport, onProgress?: (line: string) => void): Promise<PreparedPayload> {
  const veza = config.veza;
  if (!veza) throw new Error("the stack has no veza section");
  const progress = onProgress ?? (() => {});
  progress(`building the payload from ${report.employees.length} employees`);
  const { payload, warnings } = buildHrisPayload(report, {
    companyDomain: config.hris.companyDomain,
    name: veza.dataSourceName,
    idpProviders: veza.idpProviders,
    employeeProperties: veza.employeeProperties,
    idpIdField: veza.idpIdField,
  });
  validateHrisPayload(payload);
  const { gzipped, hash, jsonBytes } = await compressPayload(payload);
  progress(`payload: ${payload.employees.length} employees, ${payload.groups.length} groups, ${jsonBytes} bytes, ${gzipped.length} gzipped`);
  return {
    hash,
    employeeCount: payload.employees.length,
    groupCount: payload.groups.length,
    jsonBytes,
    gzipBytes: gzipped.length,
    gzipped,
    buildWarnings: warnings,
  };
}
