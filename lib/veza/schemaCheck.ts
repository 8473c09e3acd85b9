/**
 * The source of a yes/no check of a value against a JSON Schema of the small subset the payload model compiles to
 * (type string, boolean, object or array; minLength, pattern, properties, required, additionalProperties, items,
 * propertyNames): straight-line code, written by `npm run gen:validator` into hrisPayloadShape.generated.ts.
 *
 * Why not ajv's compiled code, which checks the whole payload there too: that is one function of ~1,500 lines, mostly
 * error reporting, which V8 spends tens of ms running cold and optimising in a process that checks 10,000 employees
 * and exits; this one is ~60 lines that read each field by name. Both implement JSON Schema's meaning of these keywords
 * as ajv does with this project's options (patterns without the `u` flag, lengths in UTF-16 units, a property set to
 * undefined counts as absent, inherited enumerable keys count as keys); test/vezaPayload.test.ts holds them to the
 * same answers. Only the verdict: a value that fails is worded by zod (payload.ts).
 */

const KEYWORDS = new Set(["type", "minLength", "pattern", "properties", "required", "additionalProperties", "items", "propertyNames"]);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

type Schema = Record<string, unknown>;

/** `export function <name>(value) { … }` returning whether the value is valid, after the constants it uses. */
export function schemaCheckSource(name: string, schema: Schema): string {
  const constants = new Map<string, string>();
  const constant = (code: string) => {
    if (!constants.has(code)) constants.set(code, `${name}_${constants.size}`);
    return constants.get(code)!;
  };
  const body = check(schema, "value", 0, "#", constant);
  const declarations = [...constants].map(([code, id]) => `const ${id} = ${code};`);
  return `${declarations.join("\n")}\nexport function ${name}(value): boolean {\n${body}\nreturn true;\n}\n`;
}

/** Statements that `return false` when the value in variable `v` is not valid. */
function check(schema: Schema, v: string, depth: number, at: string, constant: (code: string) => string): string {
  // Anything else would be a keyword silently not checked: refused, so a change to the model is noticed.
  for (const k in schema) if (!KEYWORDS.has(k)) throw new Error(`schemaCheck: ${at} uses "${k}", which it does not implement`);
  switch (schema.type) {
    case "string": {
      const min = (schema.minLength as number | undefined) ?? 0;
      const pattern = schema.pattern === undefined ? undefined : constant(`new RegExp(${JSON.stringify(schema.pattern)})`);
      return `if (typeof ${v} !== "string"${min ? ` || ${v}.length < ${min}` : ""}${pattern ? ` || !${pattern}.test(${v})` : ""}) return false;`;
    }
    case "boolean":
      return `if (typeof ${v} !== "boolean") return false;`;
    case "array": {
      const i = `i${depth}`;
      const item = `x${depth}`;
      return [
        `if (!Array.isArray(${v})) return false;`,
        `for (let ${i} = 0; ${i} < ${v}.length; ${i}++) {`,
        `const ${item} = ${v}[${i}];`,
        check((schema.items ?? {}) as Schema, item, depth + 1, `${at}/items`, constant),
        "}",
      ].join("\n");
    }
    case "object":
      return objectCheck(schema, v, depth, at, constant);
    case undefined:
      // {}: anything (custom property values).
      if (Object.keys(schema).length === 0) return "";
  }
  throw new Error(`schemaCheck: ${at} has type ${JSON.stringify(schema.type)}, which it does not implement`);
}

function objectCheck(schema: Schema, v: string, depth: number, at: string, constant: (code: string) => string): string {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema.required ?? []) as string[]);
  const lines = [`if (typeof ${v} !== "object" || ${v} === null || Array.isArray(${v})) return false;`];
  const read = (k: string) => (IDENTIFIER.test(k) ? `${v}.${k}` : `${v}[${JSON.stringify(k)}]`);
  for (const k of required) if (!(k in properties)) lines.push(`if (${read(k)} === undefined) return false;`);
  const p = `p${depth}`;
  for (const [k, s] of Object.entries(properties)) {
    const inner = check(s, p, depth + 1, `${at}/properties/${k}`, constant);
    lines.push(`{\nconst ${p} = ${read(k)};`);
    if (required.has(k)) lines.push(`if (${p} === undefined) return false;`, inner);
    else if (inner) lines.push(`if (${p} !== undefined) {\n${inner}\n}`);
    lines.push("}");
  }
  const extra = schema.additionalProperties === false ? false : ((schema.additionalProperties ?? {}) as Schema);
  const names = schema.propertyNames as Schema | undefined;
  const k = `k${depth}`;
  const extraCheck = extra === false ? "" : check(extra, `${v}[${k}]`, depth + 1, `${at}/additionalProperties`, constant);
  const namesCheck = names === undefined ? "" : check(names, k, depth + 1, `${at}/propertyNames`, constant);
  if (extra === false || extraCheck || namesCheck) {
    const known = extra === false || extraCheck ? constant(`new Set(${JSON.stringify(Object.keys(properties))})`) : "";
    lines.push(`for (const ${k} in ${v}) {`, namesCheck);
    if (extra === false) lines.push(`if (!${known}.has(${k})) return false;`);
    else if (extraCheck) lines.push(`if (!${known}.has(${k})) {\n${extraCheck}\n}`);
    lines.push("}");
  }
  return lines.filter(Boolean).join("\n");
}
