import { describe, expect, it } from "vitest";
import { InvalidPathError, JsonPathFunctionError, PathNotFoundError, read, toPlain } from "../../lib/dataActions/jsonPath";
import { CASES, type JaywayCase } from "./jayway/cases";

/** Jayway JsonPath's own test cases (see ./jayway/cases.ts) replayed against lib/dataActions/jsonPath.ts. */

function outcome(c: JaywayCase): { value?: unknown; error?: string } {
  try {
    return { value: toPlain(read(c.doc, c.path).value) };
  } catch (e) {
    if (e instanceof PathNotFoundError) return { error: "notFound" };
    if (e instanceof InvalidPathError) return { error: "invalid" };
    if (e instanceof JsonPathFunctionError) return { error: "functionError" };
    throw e;
  }
}

describe("Jayway JsonPath conformance", () => {
  it.each(CASES.map((c) => [`${c.source.replace(/^.*\/(?=[^/]+#)/, "")}: ${c.path}`, c] as const))("%s", (_, c) => {
    const got = outcome(c);
    const e = c.expect;
    if ("value" in e) expect(got).toEqual({ value: e.value });
    else if ("members" in e) {
      expect(got.error).toBeUndefined();
      expect([...(got.value as unknown[])].map((v) => JSON.stringify(v)).sort()).toEqual(e.members.map((v) => JSON.stringify(v)).sort());
    } else if ("accepts" in e) expect(got).toEqual({ value: e.accepts ? [c.doc] : [] });
    else if ("notFound" in e) expect(got).toEqual({ error: "notFound" });
    else if ("invalid" in e) expect(got).toEqual({ error: "invalid" });
    else expect(got).toEqual({ error: "functionError" });
  });

  it("names the Jayway source of every case", () => {
    for (const c of CASES) expect(c.source).toMatch(/^json-path\/src\/(test|main)\/java\/com\/jayway\/jsonpath\/.+\.java#\w+|^README\.md#path-examples /);
  });
});
