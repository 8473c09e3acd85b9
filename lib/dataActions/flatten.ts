/**
 * Architect's flattened view of a data action's output: nested objects become dotted keys, arrays of objects
 * become one list per declared leaf property (`timeOffTypes.id`), arrays of primitives stay lists. Only
 * properties declared in the output contract are flattened.
 */

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema };

const isType = (s: Schema | undefined, t: string) => !!s && (s.type === t || (Array.isArray(s.type) && s.type.includes(t)));

export function flattenOutput(value: unknown, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  walk(value, schema, "", out, false);
  return out;
}

function walk(value: unknown, schema: Schema, prefix: string, out: Record<string, unknown>, inArray: boolean) {
  if (isType(schema, "object") && schema.properties) {
    for (const [key, child] of Object.entries(schema.properties)) {
      const name = prefix ? `${prefix}.${key}` : key;
      const childValue = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      walk(childValue, child, name, out, inArray);
    }
    return;
  }
  if (isType(schema, "array") && !inArray) {
    const items = Array.isArray(value) ? value : [];
    if (schema.items && isType(schema.items, "object") && schema.items.properties) {
      // One list per leaf, aligned by index: a missing value keeps its place as null.
      const columns: Record<string, unknown> = {};
      walk(undefined, schema.items, prefix, columns, true);
      for (const key of Object.keys(columns)) out[key] = [];
      for (const item of items) {
        const row: Record<string, unknown> = {};
        walk(item, schema.items, prefix, row, true);
        for (const key of Object.keys(columns)) (out[key] as unknown[]).push(row[key] ?? null);
      }
    } else out[prefix] = items;
    return;
  }
  out[prefix] = value ?? null;
}

/** The flattened names Architect shows for a contract (`timeOffTypes.id`, ...). */
export function flattenedNames(schema: Schema): string[] {
  return Object.keys(flattenOutput(undefined, schema));
}
