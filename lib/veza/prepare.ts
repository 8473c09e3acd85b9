import * as fs from "node:fs";
import { createHash } from "node:crypto";
import { DirectoryReader, HrisApiError, hrisAdapter } from "../../hris";
import * as os from "node:os";
import * as path from "node:path";
import { FileValidationError } from "../jsonFile";
import { findCircles } from "../../hris/directoryChecks";
import { ConfigError, StackConfig } from "../config/validate";
import { PROJECT_ROOT } from "../paths";
import { hrisPayload } from "./directory";
import { MULTIPART_THRESHOLD_BYTES } from "./client";
import { HrisEmployee, HrisGroup, HrisPayload, validateHrisPayload } from "./payload";
import { PayloadHead, StreamingPayloadChecker } from "./payloadChecker";
import { BlockGzip, GZIP_BLOCK_BYTES } from "./blockGzip";
import { Spool } from "./spool";
import { JsonArrayStream } from "./jsonArrayStream";
import { StringDecoder } from "node:string_decoder";

/** A validated payload ready to push, and what describes it. */
export interface PreparedPayload {
  /** SHA-256 of the JSON text: a push happens when it changes. */
  hash: string;
  employeeCount: number;
  groupCount: number;
  jsonBytes: number;
  /** The JSON text, exactly JSON.stringify of the payload, read as often as needed (in a temporary file when large). */
  text: Spool;
  /**
   * The text gzipped: at level 9, as oaaclient compresses a `:push`, made as the text was written when it is small
   * enough for one `:push`; at level 1, on the first call, for a text sent in parts (a compact copy to keep).
   */
  gzipped(): Promise<Buffer>;
  /** Non-fatal notes from building it. */
  buildWarnings: string[];
  /** Frees the text (removes its temporary file). */
  dispose(): void;
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
  const reader = directoryReader(config);
  const fetchOptions = { extraFields: extraFields(config), fetchImpl: options.fetchImpl, onProgress: options.onProgress };
  if (!reader.download || !reader.streaming) return payloadFromReport(config, await reader.fetch(config.hris, hrisSecret, fetchOptions), options.onProgress);
  // Saved to a private temporary file as it arrives and read from there as a saved report is: a live directory of
  // any size in the memory of a small one.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-report-"));
  try {
    const file = path.join(dir, "report.json");
    await reader.download(config.hris, hrisSecret, fetchOptions, file);
    try {
      return await payloadFromReportFile(config, file, options.onProgress);
    } catch (e) {
      throw e instanceof FileValidationError ? fetchedReportError(reader.reportDescription, e) : e;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A problem of a fetched report, told as the HRIS's answer (its temporary file means nothing to the user). */
function fetchedReportError(description: string, e: FileValidationError): HrisApiError {
  return new HrisApiError(`Reading the ${description} the HRIS answered: ${e.issues.map((i) => `${i.path}: ${i.problem}`).join("; ")}`);
}

export interface CompressedPayload {
  gzipped: Buffer;
  /** SHA-256 of the JSON text. */
  hash: string;
  jsonBytes: number;
}

/**
 * The level: 9, as oaaclient's gzip.compress, so the request body is no larger than the SDK's for the same data
 * (Node's zlib at level 9 costs ~12 ms per MB of this JSON; level 7 is a third faster but its body ~3% larger than the
 * SDK's at 10,000 employees). A payload past MULTIPART_THRESHOLD_BYTES of JSON goes to Veza uncompressed, in parts
 * (client.ts): its gzip is only this process's compact copy of the text (the payload file a deployment keeps), so it
 * is made at level 1.
 */
const PUSH_LEVEL = 9;
const NOT_ASCII = /[^\x00-\x7f]/;
const COMPACT_LEVEL = 1;

/**
 * The payload's text as it is written: hashed (SHA-256), kept in a spool (memory, then a temporary file), and
 * gzipped for a single `:push` as long as it is small enough to be pushed so. Pieces are encoded straight into one
 * reused buffer of about a gzip block, which is hashed, spooled and compressed when full: no memory per piece, and
 * the text is copied once.
 */
class PayloadOutput {
  readonly spool = new Spool();
  private readonly hash = createHash("sha256");
  private gzip?: BlockGzip = new BlockGzip(PUSH_LEVEL);
  private block = Buffer.allocUnsafe(GZIP_BLOCK_BYTES);
  private used = 0;

  /**
   * Writes `text`, or with `list` the elements of a JSON list's text (its brackets left out), preceded by a comma
   * when `comma`.
   */
  write(text: string, list = false, comma = false): void {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.used + text.length * 3 > this.block.length) {
      this.flush();
      if (text.length * 3 > this.block.length) this.block = Buffer.allocUnsafe(text.length * 3);
    }
    const at = this.used;
    // Text without a character past ASCII (the usual directory) is its own UTF-8 as one byte a character: copied so,
    // several times faster than Node 20's UTF-8 encoder.
    const n = this.block.write(text, at, NOT_ASCII.test(text) ? "utf8" : "latin1");
    if (!list) this.used += n;
    else if (comma) {
      this.block[at] = 0x2c;
      this.used += n - 1;
    } else {
      this.block.copyWithin(at, at + 1, at + n - 1);
      this.used += n - 2;
    }
  }

  private flush(): void {
    if (!this.used) return;
    const bytes = this.block.subarray(0, this.used);
    this.hash.update(bytes);
    this.spool.write(bytes);
    if (this.gzip && this.spool.size > MULTIPART_THRESHOLD_BYTES) this.gzip = undefined; // parts: not gzipped
    this.gzip?.write(bytes);
    this.used = 0;
  }

  finish(): { hash: string; gzipped?: Buffer } {
    this.flush();
    return { hash: this.hash.digest("hex"), gzipped: this.gzip?.finish() };
  }
}

/**
 * The payload's JSON text, gzipped, with its SHA-256 and length: exactly JSON.stringify(payload), serialised in
 * batches of employees.
 */
export async function compressPayload(payload: HrisPayload): Promise<CompressedPayload> {
  const { employees, groups, ...head } = payload;
  const out = new PayloadOutput();
  try {
    out.write(openEmployees(head));
    for (let i = 0; i < employees.length; i += EMPLOYEE_BATCH) out.write(JSON.stringify(employees.slice(i, i + EMPLOYEE_BATCH)), true, i > 0);
    out.write(closeEmployees(groups));
    const { hash, gzipped } = out.finish();
    return { gzipped: gzipped ?? gzipSpool(out.spool, COMPACT_LEVEL), hash, jsonBytes: out.spool.size };
  } finally {
    out.spool.dispose();
  }
}

/** The text of a payload up to its first employee: JSON.stringify's, with the employees list opened. */
const openEmployees = (head: PayloadHead) => {
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)}${text.length > 2 ? "," : ""}"employees":[`;
};
const closeEmployees = (groups: HrisGroup[]) => `],"groups":${JSON.stringify(groups)}}`;

/** Gzips text read from a spool. */
function gzipSpool(text: Spool, level: number): Buffer {
  const gzip = new BlockGzip(level);
  for (const piece of text.read(0, text.size, true)) gzip.write(piece);
  return gzip.finish();
}

/** Where the records come from: a saved report read as a stream, or a report in memory (fetched from the HRIS). */
export type ReportInput = { file: string } | { report: unknown };

/**
 * Builds, validates and writes the payload from a report of the stack's HRIS (fetched, or a saved file read as a
 * stream), without holding the payload: each employee is mapped, checked (StreamingPayloadChecker) and serialised as
 * it is read, into a spool (memory, or a temporary file when large) and a hash. Nothing is sent; a validation problem
 * throws before anything can be.
 *
 * Managers: a record's manager must be in the report. Most reports name managers before or after their reports
 * indifferently, so the first pass keeps every manager and notes the ones not seen yet; if any is never seen, the
 * report is read again with every id known, and those managers are left out (as the whole-report build does).
 */
export async function payloadFromReport(config: StackConfig, report: unknown, onProgress?: (line: string) => void): Promise<PreparedPayload> {
  return preparePayload(config, { report }, onProgress);
}

/** payloadFromReport for a saved report, read as a stream (an adapter without a streaming build reads it whole). */
export async function payloadFromReportFile(config: StackConfig, file: string, onProgress?: (line: string) => void): Promise<PreparedPayload> {
  return preparePayload(config, { file }, onProgress);
}

async function preparePayload(config: StackConfig, from: ReportInput, onProgress?: (line: string) => void): Promise<PreparedPayload> {
  const veza = config.veza;
  if (!veza) throw new Error("the stack has no veza section");
  const progress = onProgress ?? (() => {});
  const reader = directoryReader(config);
  const options = { name: veza.dataSourceName, idpProviders: veza.idpProviders, employeeProperties: veza.employeeProperties, idpIdField: veza.idpIdField };
  let written: Written;
  if (!reader.streaming) {
    // An adapter without a one-at-a-time build: the whole payload, then written the same way.
    const report = "file" in from ? reader.readReportFile(from.file) : from.report;
    progress(`building the payload from ${reader.employeeCount(report)} employees`);
    const built = reader.build(report, config.hris, options);
    validateHrisPayload(built.payload);
    const { employees, groups, ...head } = built.payload;
    written = write(head, (visit) => employees.forEach(visit), () => groups, () => built.warnings, true, employees.length);
  } else {
    const streaming = reader.streaming;
    const each = (visit: (record: unknown, index: number) => void) => {
      if ("file" in from) return void streaming.eachRecordInFile(from.file, visit);
      streaming.records(from.report).forEach(visit);
    };
    const pass = (knownIds?: ReadonlySet<string>) => {
      const mapper = streaming.mapper(config.hris, options, knownIds);
      const head = hrisPayload(options, mapper.system, [], []);
      const { employees: _e, groups: _g, ...rest } = head;
      return write(rest, (visit) => each((record, i) => visit(mapper.map(record, i), i)), () => [...mapper.groups()].sort(byId), (circles, dropped) => mapper.warnings(circles, dropped), !!knownIds, expected);
    };
    // About how many employees, to size the checker's tables: a saved report's records are rarely under 500 bytes (an underestimate only means the tables grow once).
    const expected = "file" in from ? Math.round((fs.statSync(from.file, { throwIfNoEntry: false })?.size ?? 0) / 512) : streaming.records(from.report).length;
    progress("file" in from ? "building the payload as the report is read" : `building the payload from ${reader.employeeCount(from.report)} employees`);
    written = pass();
    if (written.unseenManagers) {
      written.spool.dispose();
      progress(`${written.unseenManagers} managers are not in the report: reading it again to leave them out`);
      written = pass(written.ids);
    }
  }
  let gzip = written.gzipped;
  const { spool } = written;
  progress(`payload: ${written.employeeCount} employees, ${written.groupCount} groups, ${spool.size} bytes${spool.onDisk ? " (in a temporary file while it is sent)" : ""}`);
  return {
    hash: written.hash,
    employeeCount: written.employeeCount,
    groupCount: written.groupCount,
    jsonBytes: spool.size,
    text: spool,
    // Made as the text was written when it is pushed in one request; else (parts) only when asked for, at level 1.
    gzipped: async () => (gzip ??= gzipSpool(spool, COMPACT_LEVEL)),
    buildWarnings: written.warnings,
    dispose: () => spool.dispose(),
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface Written {
  spool: Spool;
  hash: string;
  /** The gzip of a text small enough for one `:push`. */
  gzipped?: Buffer;
  employeeCount: number;
  groupCount: number;
  warnings: string[];
  /** Managers referred to but never seen among the employees (only counted when ids were not known in advance). */
  unseenManagers: number;
  ids: Set<string>;
}

/** The employees at some indexes, read back from the text written so far (the few whose number or email may repeat). */
function employeesIn(spool: Spool, wanted: Set<number>): Map<number, HrisEmployee> {
  const found = new Map<number, HrisEmployee>();
  const stream = new JsonArrayStream(["employees"], { element: (e, i) => void (wanted.has(i) && found.set(i, e as HrisEmployee)) });
  const decoder = new StringDecoder("utf8");
  for (const piece of spool.read(0, spool.size, true)) stream.write(decoder.write(piece));
  return found;
}

/** Employees serialised per JSON.stringify call: one call and one encoding a batch instead of one per employee. */
const EMPLOYEE_BATCH = 256;

/**
 * Writes the payload's text: the head, each employee as `each` gives it (checked, then serialised with the rest of
 * its batch), the groups. Keeps per employee only what the checks and the manager circles need.
 */
function write(
  head: PayloadHead,
  each: (visit: (employee: HrisEmployee, index: number) => void) => void,
  groupsOf: () => HrisGroup[],
  warningsOf: (circles: string[][], droppedManagers?: number) => string[],
  idsKnown = true,
  expectedEmployees = 0,
): Written {
  const checker = new StreamingPayloadChecker(head, expectedEmployees);
  const out = new PayloadOutput();
  const spool = out.spool;
  out.write(openEmployees(head));
  // Employees by id: the checker's index (lower-cased ids), confirmed against the id as written.
  const idList = checker.idList;
  const indexOf = (id: string) => {
    const at = checker.indexOf(id.toLowerCase());
    return at !== undefined && idList[at] === id ? at : undefined;
  };
  let managerOf = new Int32Array(Math.max(1024, expectedEmployees));
  /** [employee index, manager id] of managers not seen yet when referred to. */
  const later: [number, string][] = [];
  let count = 0;
  const batch: HrisEmployee[] = [];
  const writeBatch = () => {
    if (!batch.length) return;
    const first = count;
    checker.employees(batch, first);
    if (first + batch.length > managerOf.length) {
      const grown = new Int32Array(Math.max(managerOf.length * 2, first + batch.length));
      grown.set(managerOf);
      managerOf = grown;
    }
    for (let k = 0; k < batch.length; k++) {
      const i = first + k;
      managerOf[i] = -1;
      const manager = batch[k].managers?.[0]?.id;
      if (manager !== undefined) {
        const at = indexOf(manager);
        if (at !== undefined) managerOf[i] = at;
        else later.push([i, manager]);
      }
    }
    // JSON.stringify of the list is the employees' texts joined by commas, in brackets.
    out.write(JSON.stringify(batch), true, first > 0);
    count += batch.length;
    batch.length = 0;
  };
  try {
    // Employees come in order, from index 0.
    each((e) => {
      batch.push(e);
      if (batch.length === EMPLOYEE_BATCH) writeBatch();
    });
    writeBatch();
    let unseen = 0;
    for (const [i, manager] of later) {
      const at = indexOf(manager);
      if (at === undefined) unseen++;
      else managerOf[i] = at;
    }
    if (unseen && !idsKnown) {
      return { spool, hash: "", employeeCount: count, groupCount: 0, warnings: [], unseenManagers: unseen, ids: new Set(idList) };
    }
    const groups = groupsOf();
    checker.finish(groups, (wanted) => employeesIn(spool, wanted));
    out.write(closeEmployees(groups));
    const circles = findCircles(managerOf.subarray(0, count), (i) => idList[i]);
    const { hash, gzipped } = out.finish();
    return { spool, hash, gzipped, employeeCount: count, groupCount: groups.length, warnings: warningsOf(circles), unseenManagers: 0, ids: new Set() };
  } catch (e) {
    spool.dispose();
    throw e;
  }
}
