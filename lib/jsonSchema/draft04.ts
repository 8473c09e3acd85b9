import type AjvDraft04 from "ajv-draft-04";
import { validate as metaSchemaValid } from "./draft04MetaSchema.generated";
import { ajvLogger } from "./ajvLogger";

/**
 * Why ajv-draft-04 (`strict: false`) cannot compile a JSON Schema, in ajv's own words, or undefined when it can.
 *
 * Compiling means loading ajv and compiling the draft-04 meta-schema and then the schema: ~0.1-0.2 s of an offline
 * plan that checks a stack's contracts. Most contracts use only keywords whose compilation cannot fail once the
 * schema is valid against the meta-schema, so those are answered without ajv: the meta-schema check compiled
 * ahead of time (draft04MetaSchema.generated.ts) and each `pattern` compiled as ajv compiles it. Any other schema
 * (one the meta-schema rejects, or with a keyword outside SURE_KEYWORDS) is compiled by ajv, so every message
 * (and ajv's warnings, such as an unknown format's) is ajv's. test/jsonSchemaDraft04.test.ts checks that both
 * paths agree on the JSON Schema Test Suite's draft-04 schemas and on public data action contracts.
 */
export function draft04Error(schema: object): string | undefined {
  if (surelyCompiles(schema)) return undefined;
  return compiledError(schema);
}

/**
 * Keywords of ajv-draft-04 whose every value the meta-schema accepts compiles (their values are fully constrained
 * by the meta-schema), and annotations it ignores. `pattern` and `patternProperties` are checked as ajv compiles
 * them. Left out, so decided by ajv: `$ref`, `id` and `$schema` (resolved against other schemas), `format` (ajv
 * warns of a format it does not know), and keywords draft-04's meta-schema does not constrain but ajv-draft-04
 * still compiles (`const`, `contains`, `propertyNames`, `if`/`then`/`else`, `nullable`, `$comment`, `$defs`, ...).
 */
const SURE_KEYWORDS = new Set([
  "type",
  "enum",
  "multipleOf",
  "maximum",
  "exclusiveMaximum",
  "minimum",
  "exclusiveMinimum",
  "maxLength",
  "minLength",
  "pattern",
  "maxItems",
  "minItems",
  "uniqueItems",
  "maxProperties",
  "minProperties",
  "required",
  "items",
  "additionalItems",
  "properties",
  "patternProperties",
  "additionalProperties",
  "dependencies",
  "allOf",
  "anyOf",
  "oneOf",
  "not",
  "definitions",
  "title",
  "description",
  "default",
]);

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** ajv compiles a pattern as `new RegExp(pattern, "u")` (its default unicodeRegExp), and fails where that throws. */
function compilesAsPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, "u");
    return true;
  } catch {
    return false;
  }
}

/** Valid against the meta-schema, and every subschema uses only SURE_KEYWORDS with patterns that compile. */
function surelyCompiles(schema: object): boolean {
  return metaSchemaValid(schema) === true && sure(schema);
}

function sure(node: unknown): boolean {
  // The meta-schema has made sure every subschema is an object.
  if (!isObject(node)) return false;
  for (const [keyword, value] of Object.entries(node)) {
    if (!SURE_KEYWORDS.has(keyword)) return false;
    switch (keyword) {
      case "pattern":
        if (!compilesAsPattern(value as string)) return false;
        break;
      case "patternProperties":
        for (const [pattern, sub] of Object.entries(value as object)) if (!compilesAsPattern(pattern) || !sure(sub)) return false;
        break;
      case "properties":
      case "definitions":
        for (const sub of Object.values(value as object)) if (!sure(sub)) return false;
        break;
      case "dependencies":
        for (const sub of Object.values(value as object)) if (!Array.isArray(sub) && !sure(sub)) return false;
        break;
      case "items":
        if (Array.isArray(value) ? !value.every(sure) : !sure(value)) return false;
        break;
      case "additionalItems":
      case "additionalProperties":
        if (typeof value !== "boolean" && !sure(value)) return false;
        break;
      case "allOf":
      case "anyOf":
      case "oneOf":
        if (!(value as unknown[]).every(sure)) return false;
        break;
      case "not":
        if (!sure(value)) return false;
        break;
    }
  }
  return true;
}

/**
 * One ajv instance for every schema ajv must decide (a new instance compiles the meta-schema again), loaded on first
 * use, and each answer remembered by the schema's text: a process that plans several times checks a schema once.
 */
let ajv: AjvDraft04 | undefined;
const compileErrors = new Map<string, string | undefined>();

function compiledError(schema: object): string | undefined {
  const text = JSON.stringify(schema);
  if (!compileErrors.has(text)) {
    const Ajv04 = (require("ajv-draft-04") as { default: typeof AjvDraft04 }).default;
    ajv ??= new Ajv04({ strict: false, allErrors: true, logger: ajvLogger });
    try {
      ajv.compile(schema);
      compileErrors.set(text, undefined);
    } catch (e) {
      compileErrors.set(text, (e as Error).message);
    } finally {
      // Not kept in the instance: two contracts may declare the same `id`.
      ajv.removeSchema(schema);
    }
  }
  return compileErrors.get(text);
}

/** Only for the test that both paths agree: ajv's answer, always compiled. */
export const draft04ErrorCompiled = compiledError;
/** Only for that test: whether the schema is answered without ajv. */
export const draft04AnsweredWithoutAjv = surelyCompiles;
