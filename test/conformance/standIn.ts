import { compilePath, type Expr, type Token, type Value } from "../../lib/dataActions/jsonPath";

/**
 * A response in which each translation-map path resolves: the stand-in for the real API in the corpus runs.
 * Each path's tokens are walked, building the objects and arrays it goes through; a filter gets an item that
 * satisfies its simple comparisons; the leaf gets a value of the type the output contract gives the same key.
 */

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => !!v && typeof v === "object" && !Array.isArray(v);

function sampleOf(schema: Record<string, unknown> | undefined, key: string): Json {
  const type = ([] as unknown[]).concat(schema?.type ?? "string")[0];
  if (Array.isArray(schema?.enum) && schema.enum.length) return schema.enum[0];
  if (type === "integer" || type === "number") return 7;
  if (type === "boolean") return true;
  if (type === "array") return [sampleOf(schema?.items as Record<string, unknown>, key)];
  if (type === "object") return Object.fromEntries(Object.entries((schema?.properties ?? {}) as Record<string, Record<string, unknown>>).map(([k, s]) => [k, sampleOf(s, k)]));
  return `sample-${key}`;
}

/** Sets the fields a filter compares (`@.purpose == 'customer'`, `@.x in [...]`, `@.y`) on an item. */
function satisfy(e: Expr, item: Record<string, Json>): void {
  if (e.kind === "and") return e.ops.forEach((o) => satisfy(o, item));
  if (e.kind === "or") return satisfy(e.ops[0], item);
  if (e.kind === "not") return;
  const literal = (v: Value): Json => (v.t === "str" || v.t === "num" || v.t === "bool" ? v.v : v.t === "null" ? null : v.t === "json" ? (Array.isArray(v.v) ? v.v[0] : v.v) : undefined);
  const [path, other] = e.left.t === "path" ? [e.left, e.right] : [e.right, e.left];
  if (path.t !== "path" || path.path.root !== "@") return;
  let value: Json = "x";
  if (e.op === "==" || e.op === "===" || e.op === "IN") value = literal(other);
  else if (e.op === "!=" || e.op === "NIN") value = `not-${String(literal(other))}`;
  else if (e.op === ">" || e.op === ">=") value = Number(literal(other)) + 1;
  else if (e.op === "<" || e.op === "<=") value = Number(literal(other)) - 1;
  else if (e.op === "=~" && other.t === "pattern") value = other.re.source.replace(/^\^\(\?:/, "").replace(/\)\$$/, "").replace(/[.*+?^$()|\\]/g, "");
  setPath(item, path.path.tokens, value);
}

function setPath(target: Record<string, Json>, tokens: Token[], leaf: Json) {
  let node: Json = target;
  tokens.forEach((t, i) => {
    const last = i === tokens.length - 1;
    if (t.kind === "property" && isObj(node)) {
      const name = t.names[0];
      if (last) node[name] = leaf;
      else node = node[name] ??= {};
    }
  });
}

/** Builds into `doc` so that `tokens` (from position i) resolve, with `leaf` at the end. */
function build(tokens: Token[], i: number, leaf: () => Json): Json {
  if (i >= tokens.length) return leaf();
  const t = tokens[i];
  switch (t.kind) {
    case "property":
      return Object.fromEntries(t.names.map((n) => [n, build(tokens, i + 1, leaf)]));
    case "index": {
      const n = Math.max(...t.indexes.map((x) => (x < 0 ? -x : x + 1)));
      return Array.from({ length: n }, () => build(tokens, i + 1, leaf));
    }
    case "slice":
    case "wildcard":
      return [build(tokens, i + 1, leaf), build(tokens, i + 1, leaf)];
    case "scan":
      return build(tokens, i + 1, leaf);
    case "filter": {
      const item = build(tokens, i + 1, leaf);
      const obj = isObj(item) ? item : { value: item };
      satisfy(t.predicate, obj);
      return [obj];
    }
    case "function":
      if (["length", "size", "first", "last", "index", "sum", "avg", "min", "max", "stddev", "concat", "append"].includes(t.name)) return [7, 7];
      if (t.name === "keys") return { a: 1 };
      return leaf();
  }
}

function merge(a: Json, b: Json): Json {
  if (isObj(a) && isObj(b)) {
    const out: Record<string, Json> = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) return Array.from({ length: Math.max(a.length, b.length) }, (_, k) => (k < a.length && k < b.length ? merge(a[k], b[k]) : (a[k] ?? b[k])));
  return a === undefined ? b : a;
}

export function responseFor(translationMap: Record<string, string>, outputSchema: Record<string, unknown>): Json {
  const props = (outputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  let doc: Json = {};
  for (const [key, path] of Object.entries(translationMap)) {
    const compiled = compilePath(path);
    // A function root (`$..x.length()` is compiled as length($..x)) builds from its parameter path.
    const tokens = compiled.tokens[0]?.kind === "function" && compiled.tokens[0].params[0]?.kind === "path" ? compiled.tokens[0].params[0].path.tokens : compiled.tokens;
    const schema = props[key] ?? (outputSchema.type === "array" ? (outputSchema.items as Record<string, unknown>) : undefined);
    const definite = compiled.definite;
    doc = merge(doc, build(tokens, 0, () => {
      const v = sampleOf(schema, key);
      // An indefinite path yields a list: its leaves are the list's items.
      return !definite && Array.isArray(v) ? v[0] : v;
    }));
  }
  return doc;
}

/** Inputs that satisfy an input contract: each declared property with a value of its type. */
export function inputFor(inputSchema: Record<string, unknown>): Record<string, unknown> {
  const props = (inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, sampleOf(s, k)]));
}
