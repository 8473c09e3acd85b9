import * as fs from "node:fs";
import { StringDecoder } from "node:string_decoder";

/**
 * Text files the tools read as UTF-8 (stack files, flow YAML). Node decodes invalid bytes as U+FFFD without a word,
 * so a stack file saved as Latin-1 (`division: Zürich` from an old editor) would deploy "Z\uFFFDrich": such a file
 * is refused with the line of the first byte that is not UTF-8.
 */
const strict = new TextDecoder("utf-8", { fatal: true });

/** The 1-based line holding the first byte sequence that is not UTF-8, or undefined when the text is valid UTF-8. */
export function nonUtf8Line(bytes: Uint8Array): number | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    let start = 0;
    for (let line = 1; ; line++) {
      const end = bytes.indexOf(0x0a, start);
      try {
        strict.decode(bytes.subarray(start, end < 0 ? bytes.length : end));
      } catch {
        return line;
      }
      if (end < 0) return line;
      start = end + 1;
    }
  }
}

/** Why a file's bytes cannot be read as text ("line 3 is not UTF-8 text ..."), or undefined. */
export function textProblem(bytes: Uint8Array): string | undefined {
  const line = nonUtf8Line(bytes);
  return line === undefined ? undefined : notUtf8Problem(line);
}

/** The problem of a file whose line `line` holds the first bytes that are not UTF-8. */
export function notUtf8Problem(line: number): string {
  return `line ${line} is not UTF-8 text (saved in another encoding, such as Latin-1, or not a text file); save the file as UTF-8`;
}

/**
 * nonUtf8Line of a file too large to read whole (a saved HRIS report), read again piece by piece once a streaming
 * strict decoding has failed: the line of the first replacement character a lenient decoding gives in the piece the
 * strict one refuses.
 */
export function nonUtf8LineInFile(file: string): number | undefined {
  const fd = fs.openSync(file, "r");
  const buf = Buffer.allocUnsafe(1 << 16);
  const strict = new TextDecoder("utf-8", { fatal: true });
  const lenient = new StringDecoder("utf8");
  const newlinesIn = (text: string) => {
    let count = 0;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
    return count;
  };
  let lines = 1;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      const text = n === 0 ? lenient.end() : lenient.write(buf.subarray(0, n));
      try {
        if (n === 0) strict.decode();
        else strict.decode(buf.subarray(0, n), { stream: true });
      } catch {
        const at = text.indexOf("\uFFFD");
        return lines + newlinesIn(at < 0 ? text : text.slice(0, at));
      }
      if (n === 0) return undefined;
      lines += newlinesIn(text);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** The bytes as text, or why they are not UTF-8 (one strict decoding; a leading byte order mark is dropped). */
export function decodeUtf8(bytes: Uint8Array): { text: string; problem?: undefined } | { text?: undefined; problem: string } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    return { problem: textProblem(bytes)! };
  }
}
