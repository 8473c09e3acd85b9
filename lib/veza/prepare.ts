import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { DirectoryReader, hrisAdapter } from "../../hris";
import { ConfigError, StackConfig } from "../config/validate";
import { PROJECT_ROOT } from "../paths";
import type { BuildResult } from "./directory";
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
/** Pieces (of BATCH employees, about 1 MB) queued to the compression worker at most: bounds its memory. */
const MAX_IN_FLIGHT = 4;

export interface CompressedPayload {
  gzipped: Buffer;
  /** SHA-256 of the JSON text. */
  hash: string;
  jsonBytes: number;
}

/**
 * Hashes and gzips the payload's JSON text on a worker thread (gzipWorker.cjs) as it is written, so the main thread
 * only serialises. Create it early: the worker starts while the payload is built and validated.
 */
export class PayloadCompressor {
  private readonly worker: Worker;
  private readonly result: Promise<CompressedPayload>;
  private sent = 0;
  private compressed = 0;
  private failure?: Error;
  private wake?: () => void;

  // Level 1: a third of the CPU time of the default for about 30% more bytes, far below the 100 MB limit.
  constructor(level = 1) {
    this.worker = new Worker(path.join(__dirname, "gzipWorker.cjs"), { workerData: { level } });
    this.result = new Promise<CompressedPayload>((resolve, reject) => {
      const fail = (e: Error) => {
        this.failure ??= e;
        this.wake?.();
        reject(this.failure);
      };
      this.worker.on("message", (m: { done: number } | { gzipped: Uint8Array; hash: string; jsonBytes: number }) => {
        if ("done" in m) {
          this.compressed = m.done;
          this.wake?.();
        } else resolve({ gzipped: Buffer.from(m.gzipped.buffer, m.gzipped.byteOffset, m.gzipped.byteLength), hash: m.hash, jsonBytes: m.jsonBytes });
      });
      this.worker.on("error", fail);
      this.worker.on("exit", (code) => fail(new Error(`the compression worker stopped (exit code ${code}) before it finished`)));
    });
    this.result.catch(() => {}); // finish() reports it; after cancel() it is expected
  }

  /** Queues the next piece of the JSON text; waits while MAX_IN_FLIGHT pieces are not compressed yet. */
  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    this.worker.postMessage(text);
    this.sent++;
    while (this.sent - this.compressed > MAX_IN_FLIGHT && !this.failure) await new Promise<void>((wake) => (this.wake = wake));
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<CompressedPayload> {
    this.worker.postMessage(null);
    try {
      return await this.result;
    } finally {
      void this.worker.terminate();
    }
  }

  cancel(): void {
    void this.worker.terminate();
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
  const compressor = new PayloadCompressor(); // its worker starts on another core while the payload is built
  let built: BuildResult;
  try {
    built = reader.build(report, config.hris, {
      name: veza.dataSourceName,
      idpProviders: veza.idpProviders,
      employeeProperties: veza.employeeProperties,
      idpIdField: veza.idpIdField,
    });
    validateHrisPayload(built.payload);
  } catch (e) {
    compressor.cancel();
    throw e;
  }
  const { payload, warnings } = built;
  const { gzipped, hash, jsonBytes } = await compressPayload(payload, compressor);
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
