import { describe, expect, it } from "vitest";
import { flattenOutput, flattenedNames } from "../lib/dataActions/flatten";
import { TranslationError, isDefinitePath, translate } from "../lib/dataActions/translate";

const response = { timeOffTypes: [{ id: "78", name: "Vacation" }, { id: "79", name: "Sick" }], status: { status: "approved" }, note: null };

describe("translation map (Jayway semantics)", () => {
  it("classifies definite and indefinite paths", () => {
    expect(["$.a.b", "$.a[0].b", "$['a']"].map(isDefinitePath)).toEqual([true, true, true]);
    expect(["$.a[*].b", "$..b", "$.a[?(@.x=='y')]", "$.a[0:2]", "$.a[0,1]"].map(isDefinitePath)).toEqual([false, false, false, false, false]);
  });

  it("gives a definite path's value as JSON text, strings with their quotes", () => {
    expect(translate(response, { s: "$.status.status", first: "$.timeOffTypes[0].id" }, {})).toEqual({ s: '"approved"', first: '"78"' });
  });

  it("gives an indefinite path a list, empty when nothing matches", () => {
    expect(translate(response, { ids: "$.timeOffTypes[*].id", none: "$.timeOffTypes[?(@.name=='Jury')].id" }, {})).toEqual({ ids: '["78","79"]', none: "[]" });
  });

  it("uses the default only when a definite path is missing, not when it is null", () => {
    expect(translate(response, { x: "$.missing", n: "$.note" }, { x: '"n/a"', n: '"unused"' })).toEqual({ x: '"n/a"', n: "null" });
  });

  it("fails a missing definite path without a default", () => {
    expect(() => translate(response, { x: "$.missing" }, {})).toThrow(TranslationError);
  });
});

describe("Architect flattening", () => {
  const schema = {
    type: "object",
    properties: {
      end: { type: "string" },
      ids: { type: "array", items: { type: "string" } },
      employees: { type: "array", items: { type: "object", properties: { id: { type: "string" }, workEmail: { type: ["string", "null"] } } } },
      meta: { type: "object", properties: { total: { type: "integer" } } },
    },
  };

  it("names nested and array-of-object leaves with dots", () => {
    expect(flattenedNames(schema)).toEqual(["end", "ids", "employees.id", "employees.workEmail", "meta.total"]);
  });

  it("turns arrays of objects into aligned per-property lists, keeping missing values as null", () => {
    const out = flattenOutput({ end: "2026-12-01", ids: ["1"], employees: [{ id: "1", workEmail: "a@x" }, { id: "2" }], meta: { total: 2 }, extra: 1 }, schema);
    expect(out).toEqual({ end: "2026-12-01", ids: ["1"], "employees.id": ["1", "2"], "employees.workEmail": ["a@x", null], "meta.total": 2 });
  });
});
