import * as fs from "node:fs";
import { decodeUtf8 } from "./plan/textFile";

/** A problem in a data file, located by file and JSON path (`$.a.b[0]`). */
export interface FileIssue {
  file: string;
  path: string;
  problem: string;
  fix?: string;
}

export class FileValidationError extends Error {
  constructor(
    readonly what: string,
    readonly issues: FileIssue[],
  ) {
    super(
      `${what}: ${issues.length} problem${issues.length === 1 ? "" : "s"}\n` +
        issues.map((i) => `  - ${i.file} ${i.path}: ${i.problem}${i.fix ? `\n    fix: ${i.fix}` : ""}`).join("\n"),
    );
    this.name = "FileValidationError";
  }
}

export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return (
    "$" +
    path
      .map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(String(p))}]`))
      .join("")
  );
}

/**
 * Reads and parses a JSON file; a missing file, a folder or a syntax error becomes an issue (a syntax error naming the
 * line and column). A UTF-8 byte order mark, which Windows editors and Excel's "JSON" exports write, is skipped.
 */
export function readJsonFile(file: string, displayName = file): { value?: unknown; issue?: FileIssue } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a JSON file" : `cannot be read (${code ?? (e as Error).message})`;
    return { issue: { file: displayName, path: "$", problem, fix: "check the path" } };
  }
  // Node would read bytes that are not UTF-8 (a file saved as Latin-1) as U+FFFD without a word.
  const decoded = decodeUtf8(bytes);
  if (decoded.problem !== undefined) return { issue: { file: displayName, path: "$", problem: decoded.problem } };
  let text = decoded.text;
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    return { issue: { file: displayName, path: syntaxErrorPlace(text, message), problem: `is not valid JSON: ${message.replace(/ \(line \d+ column \d+\)$/, "").replace(/\s+/g, " ")}`, fix: "fix the JSON syntax there" } };
  }
}

/** Where JSON.parse stopped, as "line L column C": from its message's position (Node 20) or line and column (Node 22). */
function syntaxErrorPlace(text: string, message: string): string {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return `line ${lc[1]} column ${lc[2]}`;
  const at = /position (\d+)/.exec(message);
  // Node 20's messages for some errors ("Unexpected token '}', ..."x": }" is not valid JSON") carry no position.
  const offset = at ? Number(at[1]) : firstSyntaxError(text);
  if (offset === undefined) return "$";
  const before = text.slice(0, offset);
  return `line ${before.split("\n").length} column ${offset - before.lastIndexOf("\n")}`;
}

/**
 * The offset where a JSON text stops being JSON (RFC 8259 grammar), for messages that do not say; undefined when it
 * is valid. A small recursive-descent scan: only run after JSON.parse has failed.
 */
export function firstSyntaxError(text: string): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => (text.startsWith(word, i) ? (i += word.length) : fail());
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return void literal("true");
    if (c === "f") return void literal("false");
    if (c === "n") return void literal("null");
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : undefined;
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}
