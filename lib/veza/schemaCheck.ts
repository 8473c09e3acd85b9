/**
 * A yes/no check of a value against a JSON Schema of the small subset the payload model compiles to (type string,
 * boolean, object or array; minLength, pattern, properties, required, additionalProperties, items, propertyNames),
 * built once as small nested closures.
 *
 * Why not ajv's compiled code, which checks the whole payload (hrisPayloadShape.generated.ts): that is one function of
 * ~1,500 lines, which V8 spends ~50 ms optimising in a process that checks 10,000 employees and exits; these closures
 * are a few lines each and cost a tenth as much on the first 10,000 employees. Both implement JSON Schema's
 * meaning of these keywords as ajv does with this project's options (patterns without the `u` flag, lengths in
 * UTF-16 units, a property set to undefined counts as absent); test/vezaPayload.test.ts holds them to the same
 * answers. Only the verdict: a value that fails is worded by zod (payload.ts).
 */
export type SchemaCheck = (value: unknown) => boolean;

const KEYWORDS = new Set(["type", "minLength", "pattern", "properties", "required", "additionalProperties", "items", "propertyNames"]);

export function compileSchemaCheck(schema: Record<string, unknown>, at = "#"): SchemaCheck {
  // Anything else would be a keyword silently not checked: refused, so a change to the model is noticed.
  for (const k in schema) if (!KEYWORDS.has(k)) throw new Error(`schemaCheck: ${at} uses "${k}", which it does not implement`);
  switch (schema.type) {
    case "string": {
      const min = (schema.minLength as number | undefined) ?? 0;
      const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern as string);
      if (pattern) return (v) => typeof v === "string" && v.length >= min && pattern.test(v);
      return min ? (v) => typeof v === "string" && v.length >= min : (v) => typeof v === "string";
    }
    case "boolean":
      return (v) => typeof v === "boolean";
    case "array": {
      const item = compileSchemaCheck((schema.items ?? {}) as Record<string, unknown>, `${at}/items`);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
        return true;
      };
    }
    case "object":
      return objectCheck(schema, at);
    case undefined:
      // {}: anything (custom property values).
      if (Object.keys(schema).length === 0) return () => true;
  }
  throw new Error(`schemaCheck: ${at} has type ${JSON.stringify(schema.type)}, which it does not implement`);
}

function objectCheck(schema: Record<string, unknown>, at: string): SchemaCheck {
  const properties = new Map(Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>).map(([k, s]) => [k, compileSchemaCheck(s, `${at}/properties/${k}`)]));
  const required = (schema.required ?? []) as string[];
  const extra = schema.additionalProperties === false ? undefined : compileSchemaCheck((schema.additionalProperties ?? {}) as Record<string, unknown>, `${at}/additionalProperties`);
  const names = schema.propertyNames === undefined ? undefined : compileSchemaCheck(schema.propertyNames as Record<string, unknown>, `${at}/propertyNames`);
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (let i = 0; i < required.length; i++) if (o[required[i]] === undefined) return false;
    for (const k in o) {
      if (names && !names(k)) return false;
      const check = properties.get(k);
      if (check) {
        const value = o[k];
        if (value !== undefined && !check(value)) return false;
      } else if (!extra || !extra(o[k])) return false;
    }
    return true;
  };
}
