/**
 * The tools Genesys puts in the Velocity context of data actions (help.mypurecloud.com, "Velocity macros for
 * data actions"): `$esc` (EscapeTool), `$math` (MathTool), `$encoding`, `$successTemplateUtils`, `$urlTool`.
 * Semantics follow Apache Velocity Tools: a method given input it cannot use returns null, which Velocity
 * renders as the literal reference text.
 */

const isBlank = (v: unknown) => v === null || v === undefined;

/** MathTool.toNumber: numbers pass, numeric strings parse, anything else is null. */
function toNumber(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v.trim()))) return Number(v.trim());
  return null;
}
const numbers = (args: unknown[]) => {
  const ns = args.map(toNumber);
  return ns.some((n) => n === null) ? null : (ns as number[]);
};
// MathTool keeps integers integral when every operand is integral; JavaScript numbers do that already.
const fold = (fn: (a: number, b: number) => number) => (...args: unknown[]) => {
  const ns = numbers(args);
  return ns && ns.length ? ns.reduce(fn) : null;
};

export const math = {
  add: fold((a, b) => a + b),
  sub: fold((a, b) => a - b),
  mul: fold((a, b) => a * b),
  div: (...args: unknown[]) => {
    const ns = numbers(args);
    if (!ns || ns.slice(1).some((n) => n === 0)) return null;
    return ns.reduce((a, b) => a / b);
  },
  max: fold(Math.max),
  min: fold(Math.min),
  pow: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    return ns ? ns[0] ** ns[1] : null;
  },
  abs: (a: unknown) => (toNumber(a) === null ? null : Math.abs(toNumber(a)!)),
  ceil: (a: unknown) => (toNumber(a) === null ? null : Math.ceil(toNumber(a)!)),
  floor: (a: unknown) => (toNumber(a) === null ? null : Math.floor(toNumber(a)!)),
  /** Java Math.round: half up. */
  round: (a: unknown) => (toNumber(a) === null ? null : Math.floor(toNumber(a)! + 0.5)),
  roundTo: (decimals: unknown, a: unknown) => {
    const ns = numbers([decimals, a]);
    if (!ns) return null;
    // MathTool.roundTo: Math.round(value * 10^decimals) / 10^decimals, in doubles.
    const f = 10 ** Math.trunc(ns[0]);
    return Math.floor(ns[1] * f + 0.5) / f;
  },
  toNumber,
  toDouble: toNumber,
  /** Number.intValue(): truncates toward zero. */
  toInteger: (a: unknown) => (toNumber(a) === null ? null : Math.trunc(toNumber(a)!)),
};

/** JSON string escaping (the inside of a JSON string literal). */
const jsonString = (v: unknown) => (isBlank(v) ? null : JSON.stringify(String(v)).slice(1, -1));
/** URLEncoder.encode(s, "UTF-8"): form encoding, space as +. */
const formEncode = (v: unknown) =>
  isBlank(v) ? null : encodeURIComponent(String(v)).replace(/%20/g, "+").replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const esc = {
  jsonString,
  jsonEncode: jsonString,
  json: jsonString,
  jsonDecode: (v: unknown) => (isBlank(v) ? null : JSON.parse(`"${String(v)}"`)),
  url: formEncode,
  urlFormEncode: formEncode,
  /** Percent-encoding for a path segment: space as %20. */
  uriEncode: (v: unknown) => (isBlank(v) ? null : encodeURIComponent(String(v))),
  xml: (v: unknown) =>
    isBlank(v) ? null : String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;"),
  d: "$",
  h: "#",
  q: '"',
  s: "'",
  b: "\\",
};

export const encoding = {
  base64: (v: unknown) => (isBlank(v) ? null : Buffer.from(String(v), "utf8").toString("base64")),
};

export const successTemplateUtils = {
  /** First element of a JSON array text, as JSON text; the default when the array is empty or not an array. */
  firstFromArray: (arrayJson: unknown, fallback: unknown = "") => {
    try {
      const parsed = JSON.parse(String(arrayJson));
      return Array.isArray(parsed) && parsed.length ? JSON.stringify(parsed[0]) : fallback;
    } catch {
      return fallback;
    }
  },
  /** `{"a": {...}, "b": {...}}` → `[{"<keyName>": "a", ...}, ...]`, as JSON text. */
  moveKeysIntoArrayOfObjects: (objectJson: unknown, keyName: unknown = "key") => {
    try {
      const parsed = JSON.parse(String(objectJson));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return "[]";
      return JSON.stringify(
        Object.entries(parsed).map(([k, v]) => (v && typeof v === "object" && !Array.isArray(v) ? { [String(keyName)]: k, ...v } : { [String(keyName)]: k, value: v })),
      );
    } catch {
      return "[]";
    }
  },
};

export const urlTool = {
  /** `name=value` (form-encoded) when the value is set, empty otherwise. UNVERIFIED against Genesys. */
  optionalQueryParam: (name: unknown, value: unknown) => (isBlank(value) || value === "" ? "" : `${formEncode(name)}=${formEncode(value)}`),
};

/**
 * velocityjs prints a null as "null" but leaves the reference text for undefined, which is what Java Velocity
 * does for null; so the tools hand Velocity undefined for "no value".
 */
function velocityNulls<T extends Record<string, unknown>>(tool: T): T {
  return Object.fromEntries(
    Object.entries(tool).map(([k, v]) => [k, typeof v === "function" ? (...args: unknown[]) => v(...args) ?? undefined : v]),
  ) as T;
}

export const VELOCITY_TOOLS = {
  esc: velocityNulls(esc),
  math: velocityNulls(math),
  encoding: velocityNulls(encoding),
  successTemplateUtils: velocityNulls(successTemplateUtils),
  urlTool: velocityNulls(urlTool),
};
