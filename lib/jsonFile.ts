import * as fs from "node:fs";

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

/** Reads and parses a JSON file; a syntax error becomes an issue naming the line and column. */
export function readJsonFile(file: string, displayName = file): { value?: unknown; issue?: FileIssue } {
  const text = fs.readFileSync(file, "utf8");
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    let where = "$";
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split("\n").length;
      where = `line ${line} column ${Number(at[1]) - before.lastIndexOf("\n")}`;
    }
    return { issue: { file: displayName, path: where, problem: `is not valid JSON: ${message}`, fix: "fix the JSON syntax" } };
  }
}
