import * as fs from "node:fs";
import { StringDecoder } from "node:string_decoder";
import type { FileIssue } from "../jsonFile";
import { nonUtf8LineInFile, notUtf8Problem } from "../plan/textFile";
import { JsonArrayHandlers, JsonArrayStream, JsonSyntaxError } from "./jsonArrayStream";

/**
 * 32 KB a read: a piece of text with a character past Latin-1 (Personio's "Yılmaz") is two bytes a character, and at
 * 64 KB it and the text joined to it (the element cut at its end) pass V8's 128 KB limit of an ordinary object, so
 * each would be a large object with pages of its own, mapped, faulted in and unmapped every piece: reading 100,000
 * Personio employees took 4.2 s of CPU at 64 KB, 1.5 s at 32 KB (BambooHR's ASCII reports the same either way).
 */
const CHUNK = 1 << 15;

/**
 * Reads a saved report chunk by chunk, handing over each element of the array at `path` as it is parsed (see
 * jsonArrayStream.ts), so a report of any size is read in constant memory. Synchronous: the caller's work per element
 * (mapping, checking, writing) is synchronous too, and reading ahead would only hold more.
 *
 * Returns an issue, as readJsonFile does, for a file that is missing, a folder, not UTF-8 (a report saved as Latin-1,
 * whose names would otherwise reach Veza with replacement characters), or not JSON (with the line and column, a UTF-8
 * byte order mark skipped); `found` says whether the array was there.
 */
export function readJsonArrayFile(file: string, path: readonly string[], handlers: JsonArrayHandlers): { found: boolean; count: number; issue?: FileIssue } {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
    if (fs.fstatSync(fd).isDirectory()) {
      fs.closeSync(fd);
      return { found: false, count: 0, issue: { file, path: "$", problem: "is a folder, not a JSON file", fix: "check the path" } };
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a JSON file" : `cannot be read (${code ?? (e as Error).message})`;
    return { found: false, count: 0, issue: { file, path: "$", problem, fix: "check the path" } };
  }
  const stream = new JsonArrayStream(path, handlers);
  try {
    // Strict: bytes that are not UTF-8 throw (as fast as a lenient decoder on these reports, measured).
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      stream.write(decoder.decode(buf.subarray(0, n), { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) stream.write(rest);
    stream.end();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA")
      return { found: stream.found, count: stream.count, issue: { file, path: "$", problem: notUtf8Problem(nonUtf8LineInFile(file) ?? 1) } };
    if (!(e instanceof JsonSyntaxError)) throw e;
    return { found: stream.found, count: stream.count, issue: { file, path: lineAndColumn(file, e.offset), problem: `is not valid JSON: ${e.message.replace(/ \(line \d+ column \d+\)$/, "").replace(/\s+/g, " ")}`, fix: "fix the JSON syntax there" } };
  } finally {
    fs.closeSync(fd);
  }
  return { found: stream.found, count: stream.count };
}

/** "line L column C" of an offset in a file's text (UTF-16 units, after a byte order mark), read again to count. */
export function lineAndColumn(file: string, offset: number): string {
  const decoder = new StringDecoder("utf8");
  const buf = Buffer.allocUnsafe(CHUNK);
  const fd = fs.openSync(file, "r");
  let line = 1;
  let lineStart = 0;
  let seen = 0;
  let first = true;
  try {
    while (seen < offset) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      let text = n === 0 ? decoder.end() : decoder.write(buf.subarray(0, n));
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      const upTo = Math.min(text.length, offset - seen);
      for (let i = text.indexOf("\n"); i >= 0 && i < upTo; i = text.indexOf("\n", i + 1)) {
        line++;
        lineStart = seen + i + 1;
      }
      seen += text.length;
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  return `line ${line} column ${offset - lineStart + 1}`;
}
