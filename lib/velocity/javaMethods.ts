/**
 * Java semantics for the String and List methods Genesys templates call ("Java string method macros").
 * velocityjs calls JavaScript methods, which differ: `.length()` does not exist, `.replace` replaces only the
 * first match, `.split` keeps trailing empty strings. These handlers run before velocityjs' own.
 */

import { isJavaDouble, JavaDouble, javaInt, type JavaNumber, javaNumberText, numberValue } from "./javaNumber";

type Payload = { property: string; context: any; params: any[] };

const javaRegex = (pattern: string, flags = "g") => new RegExp(String(pattern), flags);
const str = (v: unknown) => (v === null || v === undefined ? v : String(v));

/** Java's String.split: regex separator, trailing empty strings removed (limit 0). */
function javaSplit(s: string, regex: string, limit = 0): string[] {
  if (s === "") return [""];
  let parts = limit > 0 ? splitWithLimit(s, javaRegex(regex), limit) : s.split(javaRegex(regex));
  if (limit === 0) {
    while (parts.length > 1 && parts[parts.length - 1] === "") parts = parts.slice(0, -1);
  }
  // Java drops a leading empty string produced by a zero-width match at the start.
  if (parts.length > 1 && parts[0] === "" && s.search(javaRegex(regex, "")) === 0 && s.match(javaRegex(regex, ""))![0] === "") parts = parts.slice(1);
  return parts;
}

function splitWithLimit(s: string, re: RegExp, limit: number): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(re)) {
    if (out.length === limit - 1) break;
    if (m[0] === "" && m.index === 0) continue;
    out.push(s.slice(last, m.index));
    last = m.index! + m[0].length;
  }
  out.push(s.slice(last));
  return out;
}

/** Java's Matcher replacement syntax ($1) matches JavaScript's for the common cases. */
const STRING_METHODS: Record<string, (s: string, ...args: any[]) => unknown> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  trim: (s) => s.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, ""),
  toLowerCase: (s) => s.toLowerCase(),
  toUpperCase: (s) => s.toUpperCase(),
  replace: (s, target, replacement) => s.split(String(target)).join(String(replacement)),
  replaceAll: (s, regex, replacement) => s.replace(javaRegex(regex), String(replacement)),
  replaceFirst: (s, regex, replacement) => s.replace(javaRegex(regex, ""), String(replacement)),
  split: (s, regex, limit = 0) => javaSplit(s, String(regex), Number(limit)),
  substring: (s, begin, end) => {
    const b = Number(begin);
    const e = end === undefined ? s.length : Number(end);
    if (b < 0 || e > s.length || b > e) return null; // Java throws StringIndexOutOfBoundsException
    return s.substring(b, e);
  },
  indexOf: (s, needle, from = 0) => s.indexOf(String(needle), Number(from)),
  lastIndexOf: (s, needle) => s.lastIndexOf(String(needle)),
  contains: (s, needle) => s.includes(String(needle)),
  startsWith: (s, prefix) => s.startsWith(String(prefix)),
  endsWith: (s, suffix) => s.endsWith(String(suffix)),
  equals: (s, other) => s === str(other),
  equalsIgnoreCase: (s, other) => other !== null && other !== undefined && s.toLowerCase() === String(other).toLowerCase(),
  charAt: (s, i) => (Number(i) >= 0 && Number(i) < s.length ? s.charAt(Number(i)) : null),
  matches: (s, regex) => javaRegex(`^(?:${regex})$`, "").test(s),
  concat: (s, other) => s + String(other),
  toString: (s: string) => s,
};

const LIST_METHODS: Record<string, (l: unknown[], ...args: any[]) => unknown> = {
  isEmpty: (l) => l.length === 0,
  contains: (l, v) => l.some((x) => x === v || String(x) === String(v)),
  indexOf: (l, v) => l.findIndex((x) => x === v || String(x) === String(v)),
};

/** java.lang.Number's accessors on an Integer, Long or Double (javaNumber.ts). */
const NUMBER_METHODS: Record<string, (n: JavaNumber) => unknown> = {
  intValue: (n) => javaInt(numberValue(n)),
  longValue: (n) => (Number.isNaN(numberValue(n)) ? 0 : Math.trunc(numberValue(n))),
  doubleValue: (n) => new JavaDouble(numberValue(n)),
  toString: (n: JavaNumber) => javaNumberText(n),
};

export const javaMethodHandlers = [
  {
    uid: "java-number",
    match: ({ property, context }: Payload) => (typeof context === "number" || isJavaDouble(context)) && property in NUMBER_METHODS,
    resolve: ({ property, context }: Payload) => NUMBER_METHODS[property](context),
  },
  {
    uid: "java-string",
    match: ({ property, context }: Payload) => typeof context === "string" && property in STRING_METHODS,
    resolve: ({ property, context, params }: Payload) => STRING_METHODS[property](context, ...params),
  },
  {
    uid: "java-list",
    match: ({ property, context }: Payload) => Array.isArray(context) && property in LIST_METHODS,
    resolve: ({ property, context, params }: Payload) => LIST_METHODS[property](context, ...params),
  },
];
