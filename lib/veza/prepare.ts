import { createHash } from "node:crypto";
import { constants, createGzip } from "node:zlib";
import { DirectoryReader, hrisAdapter } from "../../hris";
import { ConfigError, StackConfig } from "../config/validate";
import { PROJECT_ROOT } from "../paths";
import type { BuildResult } from "./directory";
import { MULTIPART_THRESHOLD_BYTES } from "./client";
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

/** The stack's HRIS directory reader; a stack whose adapter has none cannot sync to Veza. */
export function directoryReader(config: StackConfig): DirectoryReader {
  const adapter = hrisAdapter(config.hris.kind);
  const reader = adapter.directory?.(config.hris, PROJECT_ROOT);
  if (!reader)
    throw new ConfigError([
      { key: "veza", problem: `is set, but the ${adapter.label} adapter (hris.kind ${adapter.kind}) has no directory reader for Veza`, fix: "remove the veza section, or give the adapter a directory mapping (docs/custom-hris.md)" },
    ]);
  return reader;
}

/** HRIS fields the payload needs beyond the adapter's own: custom employee properties and the IdP login field. */
export function extraFields(config: StackConfig): string[] {
  const veza = config.veza;
  return [...new Set([...Object.values(veza?.employeeProperties ?? {}), ...(veza?.idpIdField ? [veza.idpIdField] : [])])];
}

/** Fetches the HRIS directory, builds and validates the Veza payload, and compresses it. Nothing is sent to Veza. */
export async function prepareVezaPayload(
  config: StackConfig,
  hrisSecret: string,
  options: { fetchImpl?: typeof fetch; onProgress?: (line: string) => void } = {},
): Promise<PreparedPayload> {
  const report = await directoryReader(config).fetch(config.hris, hrisSecret, { extraFields: extraFields(config), fetchImpl: options.fetchImpl, onProgress: options.onProgress });
  return payloadFromReport(config, report, options.onProgress);
}

const BATCH = 2000;

export interface CompressedPayload {
  gzipped: Buffer;
  /** SHA-256 of the JSON text. */
  hash: string;
  jsonBytes: number;
}

/**
 * Hashes and gzips the payload's JSON text as it is written. zlib compresses on libuv's thread pool, so the main
 * thread only serialises and hashes; no worker thread (its start-up alone cost more CPU than a 10,000-employee
 * payload's compression).
 *
 * The level: 9, as oaaclient's gzip.compress, so the request body is no larger than the SDK's for the same data.
 * A payload past MULTIPART_THRESHOLD_BYTES of JSON goes to Veza uncompressed, in parts (client.ts): its gzip is
 * only this process's compact copy of the text, so the compressor drops to level 1 once the text is that large.
 */
export class PayloadCompressor {
  private readonly gzip: import("node:zlib").Gzip;
  private readonly hash = createHash("sha256");
  private readonly out: Buffer[] = [];
  private readonly ended: Promise<void>;
  private failure?: Error;
  private fast = false;
  jsonBytes = 0;

  constructor(private readonly level = 9) {
    this.gzip = createGzip({ level, chunkSize: 1024 * 1024 });
    this.gzip.on("data", (chunk: Buffer) => this.out.push(chunk));
    this.ended = new Promise<void>((resolve, reject) => {
      this.gzip.on("end", resolve);
      this.gzip.on("error", (e) => reject((this.failure ??= e)));
    });
    this.ended.catch(() => {}); // finish() reports it
  }

  /** Switches to level 1 for the rest (a payload that will be sent in parts). */
  async compactOnly(): Promise<void> {
    if (this.fast || this.level === 1) return;
    this.fast = true;
    // Every zlib stream has params() (Node's zlib docs); @types/node declares it on Deflate only.
    await new Promise<void>((resolve) => (this.gzip as unknown as import("node:zlib").ZlibParams).params(1, constants.Z_DEFAULT_STRATEGY, () => resolve()));
  }

  /** Queues the next piece of the JSON text; waits while zlib's buffer is full. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    const bytes = Buffer.from(text, "utf8");
    this.hash.update(bytes);
    this.jsonBytes += bytes.length;
    if (!this.gzip.write(bytes)) await new Promise<void>((resolve) => this.gzip.once("drain", resolve));
    if (this.jsonBytes > MULTIPART_THRESHOLD_BYTES) await this.compactOnly();
  }

  async finish(): Promise<CompressedPayload> {
    this.gzip.end();
    await this.ended;
    return { gzipped: Buffer.concat(this.out), hash: this.hash.digest("hex"), jsonBytes: this.jsonBytes };
  }

  cancel(): void {
    this.gzip.destroy();
  }
}

/**
 * The payload's JSON text, gzipped, with its SHA-256 and length. Serialised in batches of employees, so the whole
 * text never sits in memory; the text is exactly JSON.stringify(payload).
 */
export async function compressPayload(payload: HrisPayload, compressor = new PayloadCompressor()): Promise<CompressedPayload> {
  try {
    const { employees, groups, ...head } = payload;
    const headText = JSON.stringify(head);
    await compressor.write(`${headText.slice(0, -1)}${headText.length > 2 ? "," : ""}"employees":[`);
    for (let i = 0; i < employees.length; i += BATCH) {
      const batch = JSON.stringify(employees.slice(i, i + BATCH));
      await compressor.write(`${i > 0 ? "," : ""}${batch.slice(1, -1)}`);
      // Past the threshold at this rate: parts, so only a compact copy is needed from the start.
      if (i === 0 && (compressor.jsonBytes / Math.min(BATCH, employees.length)) * employees.length > MULTIPART_THRESHOLD_BYTES * 1.05) await compressor.compactOnly();
    }
    await compressor.write(`],"groups":${JSON.stringify(groups)}}`);
    return await compressor.finish();
  } catch (e) {
    compressor.cancel();
    throw e;
  }
}

/** Builds, validates and compresses the payload from a report of the stack's HRIS (fetched or read from a file). */
export async function payloadFromReport(config: StackConfig, report: unknown, onProgress?: (line: string) => void): Promise<PreparedPayload> {
  const veza = config.veza;
  if (!veza) throw new Error("the stack has no veza section");
  const progress = onProgress ?? (() => {});
  const reader = directoryReader(config);
  progress(`building the payload from ${reader.employeeCount(report)} employees`);
  const built: BuildResult = reader.build(report, config.hris, {
    name: veza.dataSourceName,
    idpProviders: veza.idpProviders,
    employeeProperties: veza.employeeProperties,
    idpIdField: veza.idpIdField,
  });
  validateHrisPayload(built.payload);
  const { payload, warnings } = built;
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
