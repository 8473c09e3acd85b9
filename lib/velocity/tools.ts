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

export const math: Record<string, (...args: any[]) => number | null> = {
  add: fold((a, b) => a + b),
  sub: fold((a, b) => a - b),
  mul: fold((a, b) => a * b),
  div: (...args: unknown[]) => {
    const ns = numbers(args);
    if (!ns || ns.slice(1).some((n) => n === 0)) return null;
    return ns.reduce((a, b) => a / b);
  },
  max: fold((a, b) => Math.max(a, b)),
  min: fold((a, b) => Math.min(a, b)),
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
  /** Integer division, truncating toward zero; null for a zero divisor. */
  idiv: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    return ns && ns[1] !== 0 ? Math.trunc(Math.trunc(ns[0]) / Math.trunc(ns[1])) : null;
  },
  /** Java's % on the integer values; null for a zero divisor. */
  mod: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    return ns && Math.trunc(ns[1]) !== 0 ? Math.trunc(ns[0]) % Math.trunc(ns[1]) : null;
  },
  /** getTotal / getAverage take a list (or array) of numbers; null when any is not a number. */
  getTotal: (list: unknown) => (Array.isArray(list) && list.length ? fold((a, b) => a + b)(...list) : null),
  getAverage: (list: unknown) => {
    const total = Array.isArray(list) && list.length ? fold((a, b) => a + b)(...list) : null;
    return total === null ? null : total / (list as unknown[]).length;
  },
  /** A random number between the bounds (MathTool.random(num1, num2)); not deterministic, as in Velocity Tools. */
  random: (a: unknown, b: unknown) => {
    const ns = numbers([a, b]);
    if (!ns) return null;
    const [lo, hi] = ns[0] <= ns[1] ? ns : [ns[1], ns[0]];
    const r = lo + Math.random() * (hi - lo);
    return Number.isInteger(lo) && Number.isInteger(hi) ? Math.floor(r) : r;
  },
  toNumber,
  toDouble: toNumber,
  /** Number.intValue(): truncates toward zero. */
  toInteger: (a: unknown) => (toNumber(a) === null ? null : Math.trunc(toNumber(a)!)),
};

/** JSON string escaping (the inside of a JSON string literal). */
const jsonString = (v: unknown) => (isBlank(v) ? null : JSON.stringify(String(v)).slice(1, -1));
/** java.net.URLEncoder.encode(s, "UTF-8"): form encoding, space as +, only a-z A-Z 0-9 . - * _ left as they are. */
const formEncode = (v: unknown) =>
  isBlank(v) ? null : encodeURIComponent(String(v)).replace(/%20/g, "+").replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

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
/** The ISO-8859-1 entities of HTML 4 (commons-lang3 EntityArrays.ISO8859_1_ESCAPE), for code points 160-255. */
const LATIN1_ENTITIES =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml".split(
    " ",
  );
const BASIC_ENTITIES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const escapeHtml = (s: string) =>
  s.replace(/["&<>\u00a0-\u00ff]/g, (c) => BASIC_ENTITIES[c] ?? `&${LATIN1_ENTITIES[c.charCodeAt(0) - 160]};`);
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
const str = (f: (s: string) => string) => (v: unknown) => (isBlank(v) ? null : f(String(v)));

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
  uriEncode: (v: unknown) => (isBlank(v) ? null : encodeURIComponent(String(v))),
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

math.total = math.getTotal;
math.average = math.getAverage;

export const VELOCITY_TOOLS = {
  esc: velocityNulls(esc),
  math: velocityNulls(math),
  encoding: velocityNulls(encoding),
  successTemplateUtils: velocityNulls(successTemplateUtils),
  urlTool: velocityNulls(urlTool),
};
