/**
 * The tools Genesys puts in the Velocity context of data actions (help.mypurecloud.com, "Velocity macros for
 * data actions"): `$esc` (EscapeTool), `$math` (MathTool), `$encoding`, `$successTemplateUtils`, `$urlTool`.
 * Semantics follow Apache Velocity Tools: a method given input it cannot use returns null, which Velocity
 * renders as the literal reference text.
 */

import { HTML4_ENTITIES } from "./htmlEntities";
import { isDouble, isJavaDouble, JavaDouble, javaInt, type JavaNumber, javaNumberText, numberValue } from "./javaNumber";

const isBlank = (v: unknown) => v === null || v === undefined;
/** String.valueOf as Java gives it to a tool: a number as Java writes it (`8.0` for a Double). */
const text = (v: unknown) => (typeof v === "number" || isJavaDouble(v) ? javaNumberText(v) : String(v));

/**
 * ConversionUtils.toNumber with MathTool's default format: a Number passes; anything else is parsed from its text by
 * java.text.DecimalFormat (NumberFormat.getNumberInstance, en-US): the longest prefix of an optional minus, digits
 * with grouping commas, a fraction and an exponent; nothing parsable is null. An integral result in the long range is
 * a Long (so "3.0" is 3), anything else a Double (velocity-tools ConversionUtils.java; JDK DecimalFormat.parse).
 */
function toNumber(v: unknown): JavaNumber | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || isJavaDouble(v)) return v;
  const m = /^-?(?=[0-9,]*\.?[0-9])[0-9,]*(?:\.[0-9]*)?(?:E-?[0-9]+)?/.exec(String(v));
  if (!m || !/[0-9]/.test(m[0])) return null;
  const text = m[0].replace(/,/g, "");
  const value = Number(text);
  if (Number.isNaN(value)) return null;
  const integral = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 63;
  return integral ? value : new JavaDouble(value);
}
const numbers = (args: unknown[]) => {
  const ns = args.map(toNumber);
  return ns.some((n) => n === null) ? null : (ns as JavaNumber[]);
};
const LONG_LIMIT = 2 ** 63;
/**
 * MathTool.matchType: a Double when the result is not whole or any operand renders with a decimal point (is a
 * Double), or when it is beyond the long range; otherwise an Integer or Long.
 */
function matchType(out: number, ins: (JavaNumber | null)[]): JavaNumber {
  // Math.rint(out) == out: whole numbers and the infinities.
  let integral = Math.round(out) === out;
  if (integral)
    for (const n of ins) {
      if (n === null) break;
      if (isDouble(n)) {
        integral = false;
        break;
      }
    }
  if (!integral || out >= LONG_LIMIT || out < -LONG_LIMIT) return new JavaDouble(out);
  return out;
}
/** The vararg arithmetic methods: every operand a number, the result computed in doubles, then typed. */
const arithmetic = (start: ((first: number) => number) | number, step: (acc: number, n: number) => number | null) => (...args: unknown[]) => {
  const ns = numbers(args);
  if (!ns) return null;
  let acc = typeof start === "number" ? start : start(numberValue(ns[0]));
  for (let i = typeof start === "number" ? 0 : 1; i < ns.length; i++) {
    const next = step(acc, numberValue(ns[i]));
    if (next === null) return null;
    acc = next;
  }
  return matchType(acc, ns);
};
const one = (f: (n: JavaNumber) => JavaNumber | null) => (a: unknown) => {
  const n = toNumber(a);
  return n === null ? null : f(n);
};
/** Math.rint: to the nearest integer, halves to the even one. */
const rint = (x: number) => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};
/** A Collection's total (MathTool.getTotal(Collection)): typed like its first element; null if any is not a number. */
function total(list: unknown): JavaNumber | null {
  if (!Array.isArray(list)) return null;
  let sum = 0;
  let first: JavaNumber | null = null;
  for (const item of list) {
    const n = toNumber(item);
    if (n === null) return null;
    first ??= n;
    sum += numberValue(n);
  }
  return matchType(sum, [first]);
}

/**
 * `$math`: Velocity Tools' MathTool (velocity-tools-generic MathTool.java, 3.x), method by method: results are
 * typed as MathTool types them (Integer, Long or Double, which renders with a decimal point), a method given input
 * it cannot use returns null.
 */
export const math: Record<string, (...args: any[]) => JavaNumber | null> = {
  add: arithmetic(0, (a, b) => a + b),
  sub: arithmetic((first) => first, (a, b) => a - b),
  mul: arithmetic(1, (a, b) => a * b),
  div: arithmetic((first) => first, (a, b) => (b === 0 ? null : a / b)),
  // MathTool starts max at Double.MIN_VALUE (the smallest positive double), so the max of negatives is 4.9E-324.
  max: arithmetic(Number.MIN_VALUE, (a, b) => Math.max(a, b)),
  min: arithmetic(Number.MAX_VALUE, (a, b) => Math.min(a, b)),
  pow: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    return ns ? matchType(numberValue(ns[0]) ** numberValue(ns[1]), ns) : null;
  },
  abs: one((n) => matchType(Math.abs(numberValue(n)), [n])),
  /** Integer results, (int) casts of the double. */
  ceil: one((n) => javaInt(Math.ceil(numberValue(n)))),
  floor: one((n) => javaInt(Math.floor(numberValue(n)))),
  round: one((n) => javaInt(rint(numberValue(n)))),
  /** Math.round(value * delta) / delta as a Double, where delta is 10 for 0 or 1 places and 10^places above (an int). */
  roundTo: (decimals: unknown, a: unknown) => {
    const ns = numbers([decimals, a]);
    if (!ns) return null;
    let delta = 10;
    for (let j = 1; j < javaInt(numberValue(ns[0])); j++) delta = Math.imul(delta, 10);
    return new JavaDouble(Math.round(numberValue(ns[1]) * delta) / delta);
  },
  /** Integer division of the int values, truncating; null for a zero divisor. */
  idiv: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    if (!ns) return null;
    const [x, y] = ns.map((n) => javaInt(numberValue(n)));
    return y === 0 ? null : javaInt(x / y);
  },
  /** Java's % on the int values; null for a zero divisor. */
  mod: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    if (!ns) return null;
    const [x, y] = ns.map((n) => javaInt(numberValue(n)));
    return y === 0 ? null : x % y;
  },
  /** getTotal / getAverage take a list: an empty one totals 0 and averages NaN, as in MathTool. */
  getTotal: total,
  getAverage: (list: unknown) => {
    const sum = total(list);
    return sum === null ? null : matchType(numberValue(sum) / (list as unknown[]).length, [sum]);
  },
  /** A random number between the bounds (MathTool.random): whole for whole bounds, else a Double. Not deterministic. */
  random: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    if (!ns) return null;
    const r = (numberValue(ns[1]) - numberValue(ns[0])) * Math.random() + numberValue(ns[0]);
    return ns.some(isDouble) ? new JavaDouble(r) : matchType(Math.floor(r), ns);
  },
  toNumber,
  toDouble: one((n) => new JavaDouble(numberValue(n))),
  /** Number.intValue() / longValue(). */
  toInteger: one((n) => javaInt(numberValue(n))),
  toLong: one((n) => (Number.isNaN(numberValue(n)) ? 0 : Math.trunc(numberValue(n)))),
};

/** JSON string escaping (the inside of a JSON string literal). */
const jsonString = (v: unknown) => (isBlank(v) ? null : JSON.stringify(text(v)).slice(1, -1));
/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space as +, only a-z A-Z 0-9 . - * _ left as they are. */
const formEncode = (v: unknown) =>
  isBlank(v) ? null : encodeURIComponent(text(v)).replace(/%20/g, "+").replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const hex4 = (code: number) => code.toString(16).toUpperCase().padStart(4, "0");
/** commons-lang3 StringEscapeUtils.escapeJava: quotes, backslash, control characters, and non-ASCII as \uXXXX. */
function escapeJava(s: string, ecmaScript = false): string {
  let out = "";
  for (const ch of s) {
    for (let i = 0; i < ch.length; i++) {
      const c = ch.charCodeAt(i);
      const named: Record<number, string> = { 8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\" };
      if (ecmaScript && c === 39) out += "\\'";
      else if (ecmaScript && c === 47) out += "\\/";
      else if (named[c]) out += named[c];
      else if (c < 32 || c > 0x7f) out += `\\u${hex4(c)}`;
      else out += String.fromCharCode(c);
    }
  }
  return out;
}
/** commons-lang3 EntityArrays.BASIC_ESCAPE; the apostrophe is not escaped by escapeHtml4. */
const BASIC_ENTITIES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;" };
/** StringEscapeUtils.escapeHtml4: the basic, Latin-1 and HTML 4.0 extended entities; anything else as it is. */
const escapeHtml = (s: string) => s.replace(/["&<>\u00a0-\uffff]/g, (c) => BASIC_ENTITIES[c] ?? HTML4_ENTITIES.get(c.charCodeAt(0)) ?? c);
/** EscapeTool.dumpString (java.util.Properties rules). */
function dumpString(s: string, key: boolean): string {
  let out = "";
  let i = 0;
  if (!key && s[0] === " ") {
    out += "\\ ";
    i = 1;
  }
  for (; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === "\t") out += "\\t";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\f") out += "\\f";
    else if (ch === "\r") out += "\\r";
    else {
      if ("\\#!=:".includes(ch) || (key && ch === " ")) out += "\\";
      out += c >= 32 && c <= 126 ? ch : `\\u${c.toString(16).padStart(4, "0")}`;
    }
  }
  return out;
}
const str = (f: (s: string) => string) => (v: unknown) => (isBlank(v) ? null : f(text(v)));

/**
 * `$esc`: Apache Velocity Tools' EscapeTool (velocity-tools-generic EscapeTool.java), every method and constant
 * under its long and short names, plus Genesys' JSON and URI helpers (jsonString / jsonEncode, jsonDecode,
 * urlFormEncode, uriEncode) from the "Velocity macros for data actions" page. Constants are also reachable as
 * Java getters (`$esc.getQuote()`), as Velocity allows.
 */
const CONSTANTS = { dollar: "$", hash: "#", backslash: "\\", quote: '"', singleQuote: "'", newline: "\n", exclamation: "!" };
const SHORT: Record<keyof typeof CONSTANTS, string> = { dollar: "d", hash: "h", backslash: "b", quote: "q", singleQuote: "s", newline: "n", exclamation: "e" };
const getter = (name: string) => `get${name[0].toUpperCase()}${name.slice(1)}`;

export const esc: Record<string, unknown> = {
  jsonString,
  jsonEncode: jsonString,
  json: jsonString,
  jsonDecode: (v: unknown) => (isBlank(v) ? null : JSON.parse(`"${String(v)}"`)),
  url: formEncode,
  urlFormEncode: formEncode,
  /** Percent-encoding for a path segment: space as %20. */
  uriEncode: (v: unknown) => (isBlank(v) ? null : encodeURIComponent(text(v))),
  velocity: str((s) => s.split("$").join("${esc.d}").split("#").join("${esc.h}")),
  java: str((s) => escapeJava(s)),
  javascript: str((s) => escapeJava(s, true)),
  html: str(escapeHtml),
  /** commons-lang3 escapeXml: the four basic entities and &apos;. */
  xml: str((s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;")),
  sql: str((s) => s.split("'").join("''")),
  propertyKey: str((s) => dumpString(s, true)),
  propertyValue: str((s) => dumpString(s, false)),
  unicode: (v: unknown) => {
    if (isBlank(v)) return null;
    const code = parseInt(String(v).replace(/^\\u/, ""), 16);
    return Number.isNaN(code) ? null : String.fromCodePoint(code);
  },
  ...Object.fromEntries(
    Object.entries(CONSTANTS).flatMap(([name, value]) => {
      const short = SHORT[name as keyof typeof CONSTANTS];
      return [
        [name, value],
        [short, value],
        [getter(name), () => value],
        [getter(short), () => value],
      ];
    }),
  ),
};

export const encoding = {
  base64: (v: unknown) => (isBlank(v) ? null : Buffer.from(text(v), "utf8").toString("base64")),
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

math.total = math.getTotal;
math.average = math.getAverage;

export const VELOCITY_TOOLS = {
  esc: velocityNulls(esc),
  math: velocityNulls(math),
  encoding: velocityNulls(encoding),
  successTemplateUtils: velocityNulls(successTemplateUtils),
  urlTool: velocityNulls(urlTool),
};
