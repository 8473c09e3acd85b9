/**
 * JSONPath with Jayway JsonPath's semantics (json-path/JsonPath, the Java library Genesys evaluates translation
 * maps with), default configuration (no options). Each rule below follows a Jayway class, named in comments, so
 * the behaviour can be checked against its source; test/conformance/jayway.test.ts replays Jayway's own tests.
 *
 * - PathCompiler: a path not starting with `$` or `@` gets an implicit `$.` (`['a'][0]` is `$['a'][0]`).
 * - Definite paths (only single properties, single indexes and functions) yield one value; any other path yields
 *   a list (EvaluationContextImpl.getValue).
 * - A definite path with no result throws PathNotFoundException; so does a missing property or a non-object in the
 *   middle of a definite path. Indefinite paths skip what is missing.
 * - Functions (PathFunctionFactory) and filter operators (EvaluatorFactory) as Jayway defines them.
 */

export class InvalidPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidPathError";
  }
}
/** Jayway's PathNotFoundException: the path does not resolve in this document. */
export class PathNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PathNotFoundError";
  }
}
/** Jayway's JsonPathException from a function (aggregating an empty list, index out of range). */
export class JsonPathFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonPathFunctionError";
  }
}

type Json = unknown;
type Param = { kind: "json"; text: string } | { kind: "path"; path: CompiledPath };
export type Token =
  | { kind: "property"; names: string[] }
  | { kind: "index"; indexes: number[] }
  | { kind: "slice"; from?: number; to?: number }
  | { kind: "wildcard" }
  | { kind: "scan" }
  | { kind: "filter"; predicate: Expr }
  | { kind: "function"; name: string; params: Param[] };

export interface CompiledPath {
  source: string;
  root: "$" | "@";
  tokens: Token[];
  definite: boolean;
  isFunctionPath: boolean;
}

const isMap = (v: Json): v is Record<string, Json> => v !== null && typeof v === "object" && !Array.isArray(v);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isWs = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";

/** isTokenDefinite of each token: one property (or several merged at the leaf), one index, a function. */
function isTokenDefinite(tokens: Token[], i: number): boolean {
  const t = tokens[i];
  if (t.kind === "property") return t.names.length === 1 || i === tokens.length - 1;
  if (t.kind === "index") return t.indexes.length === 1;
  return t.kind === "function";
}

// ---------------------------------------------------------------------------------------------------------------
// Path compiler (PathCompiler)

class PathReader {
  pos = 0;
  constructor(readonly s: string) {}
  get c() {
    return this.s[this.pos];
  }
  inBounds(p = this.pos) {
    return p >= 0 && p < this.s.length;
  }
  nextSignificant(from = this.pos): { ch: string | undefined; at: number } {
    let p = from + 1;
    while (p < this.s.length && isWs(this.s[p])) p++;
    return { ch: this.s[p], at: p };
  }
  fail(msg: string): never {
    throw new InvalidPathError(msg);
  }
}

const compiledCache = new Map<string, CompiledPath>();

export function compilePath(source: string): CompiledPath {
  const cached = compiledCache.get(source);
  if (cached) return cached;
  let text = source.trim();
  if (text === "") throw new InvalidPathError("Path may not be null empty");
  // PathCompiler.compile: "if the path does not start with $ or @, prepend $."
  if (text[0] !== "$" && text[0] !== "@") text = `$.${text}`;
  if (text.endsWith(".")) throw new InvalidPathError("Path must not end with a '.' or '..'");
  const r = new PathReader(text);
  const root = text[0] as "$" | "@";
  const tokens: Token[] = [];
  if (text.length > 1) {
    r.pos = 1;
    if (r.c !== "." && r.c !== "[") r.fail(`Illegal character at position 1 expected '.' or '['`);
    readNext(r, tokens);
  }
  const compiled = invertScannerFunction({ source, root, tokens, definite: false, isFunctionPath: false });
  compiledCache.set(source, compiled);
  return compiled;
}

function finish(p: CompiledPath): CompiledPath {
  p.definite = p.tokens.every((_, i) => isTokenDefinite(p.tokens, i));
  p.isFunctionPath = p.tokens.length > 0 && p.tokens[p.tokens.length - 1].kind === "function";
  return p;
}

/** CompiledPath.invertScannerFunctionRelationship: `$..x.fn()` becomes `fn($..x)` evaluated at the root. */
function invertScannerFunction(p: CompiledPath): CompiledPath {
  finish(p);
  if (p.isFunctionPath && p.tokens[0]?.kind === "scan") {
    const fnIndex = p.tokens.findIndex((t) => t.kind === "function");
    const fn = p.tokens[fnIndex] as Extract<Token, { kind: "function" }>;
    const inner = finish({ source: p.source, root: p.root, tokens: p.tokens.slice(0, fnIndex), definite: false, isFunctionPath: false });
    return finish({ source: p.source, root: "$", tokens: [{ kind: "function", name: fn.name, params: [{ kind: "path", path: inner }] }], definite: false, isFunctionPath: false });
  }
  return p;
}

function readNext(r: PathReader, tokens: Token[]): void {
  while (r.inBounds()) {
    const c = r.c;
    if (c === "[") {
      if (!(readBracketProperty(r, tokens) || readArray(r, tokens) || readWildcard(r, tokens) || readFilter(r, tokens)))
        r.fail(`Could not parse token starting at position ${r.pos}. Expected ?, ', 0-9, * `);
    } else if (c === ".") {
      if (r.s[r.pos + 1] === ".") {
        tokens.push({ kind: "scan" });
        r.pos += 2;
      } else if (r.pos + 1 >= r.s.length) r.fail("Path must not end with a '.");
      else r.pos += 1;
      if (r.c === ".") r.fail(`Character '.' on position ${r.pos} is not valid.`);
    } else if (c === "*") {
      readWildcard(r, tokens);
    } else if (!readPropertyOrFunction(r, tokens)) r.fail(`Could not parse token starting at position ${r.pos}`);
  }
}

function readPropertyOrFunction(r: PathReader, tokens: Token[]): boolean {
  if (r.c === "[" || r.c === "*" || r.c === "." || r.c === " ") return false;
  const start = r.pos;
  let p = start;
  let end = -1;
  let isFunction = false;
  while (r.inBounds(p)) {
    const c = r.s[p];
    if (c === " ") r.fail(`Use bracket notion ['my prop'] if your property contains blank characters. position: ${r.pos}`);
    if (c === "." || c === "[") {
      end = p;
      break;
    }
    if (c === "(") {
      isFunction = true;
      end = p;
      break;
    }
    p++;
  }
  if (end === -1) end = r.s.length;
  const name = r.s.slice(start, end);
  if (!isFunction) {
    tokens.push({ kind: "property", names: [name] });
    r.pos = end;
    return true;
  }
  let depth = 1;
  let close = -1;
  for (let i = end + 1; i < r.s.length; i++) {
    if (r.s[i] === ")") depth--;
    else if (r.s[i] === "(") depth++;
    if (depth === 0) {
      close = i;
      break;
    }
  }
  if (close === -1) r.fail(`Arguments to function: '${name}' are not closed properly.`);
  if (!(name in FUNCTIONS)) r.fail(`Function with name: ${name} does not exist.`);
  const params = parseFunctionParams(r.s.slice(end + 1, close), name);
  tokens.push({ kind: "function", name, params });
  r.pos = close + 1;
  return true;
}

/** PathCompiler.parseFunctionParameters: JSON literals and paths, separated by top-level commas. */
function parseFunctionParams(text: string, name: string): Param[] {
  const params: Param[] = [];
  let depthParen = 0,
    depthBracket = 0,
    depthBrace = 0,
    inQuote = false,
    current = "";
  const flush = () => {
    const t = current.trim();
    current = "";
    if (!t) return;
    if (t[0] === "$" || t[0] === "@") params.push({ kind: "path", path: compilePath(t) });
    else if (t[0] === "{" || t[0] === "[" || t[0] === '"' || t[0] === "-" || isDigit(t[0]) || t === "true" || t === "false" || t === "null")
      params.push({ kind: "json", text: t });
    // Jayway ignores a parameter of no recognised type.
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== "\\") inQuote = !inQuote;
    else if (!inQuote) {
      if (c === "(") depthParen++;
      else if (c === ")") depthParen--;
      else if (c === "[") depthBracket++;
      else if (c === "]") depthBracket--;
      else if (c === "{") depthBrace++;
      else if (c === "}") depthBrace--;
      else if (c === "," && !depthParen && !depthBracket && !depthBrace) {
        flush();
        continue;
      }
    }
    current += c;
  }
  if (depthParen || depthBracket || depthBrace || inQuote) throw new InvalidPathError(`Arguments to function: '${name}' are not closed properly.`);
  flush();
  return params;
}

function readBracketProperty(r: PathReader, tokens: Token[]): boolean {
  const { ch: delim, at } = r.nextSignificant();
  if (delim !== "'" && delim !== '"') return false;
  const names: string[] = [];
  let p = at;
  let inProp = false;
  let escape = false;
  let start = 0;
  let end = -1;
  let lastComma = false;
  for (; p < r.s.length; p++) {
    const c = r.s[p];
    if (escape) escape = false;
    else if (c === "\\") escape = true;
    else if (c === "]" && !inProp) {
      if (lastComma) r.fail(`Found empty property at index ${p}`);
      break;
    } else if (c === delim) {
      if (inProp) {
        const next = r.nextSignificant(p).ch;
        if (next !== "]" && next !== ",") r.fail(`Property must be separated by comma or Property must be terminated close square bracket at index ${p}`);
        end = p;
        names.push(unescape(r.s.slice(start, end)));
        inProp = false;
      } else {
        start = p + 1;
        inProp = true;
        lastComma = false;
      }
    } else if (c === "," && !inProp) {
      if (lastComma) r.fail(`Found empty property at index ${p}`);
      lastComma = true;
    }
  }
  if (inProp) r.fail(`Property has not been closed - missing closing ${delim}`);
  const close = r.s.indexOf("]", end);
  if (close === -1) r.fail("Property has not been closed - missing closing ]");
  tokens.push({ kind: "property", names });
  r.pos = close + 1;
  return true;
}

/** Utils.unescape: Java string escapes inside quoted keys. */
function unescape(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e[0] === "u" && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[e] ?? e;
  });
}

function readArray(r: PathReader, tokens: Token[]): boolean {
  const next = r.nextSignificant().ch;
  if (!isDigit(next) && next !== "-" && next !== ":") return false;
  const close = r.s.indexOf("]", r.pos + 1);
  if (close === -1) return false;
  const expr = r.s.slice(r.pos + 1, close).trim();
  if (!/^[0-9,\-: ]+$/.test(expr)) return false;
  if (expr.includes(":")) {
    const parts = expr.split(":");
    const num = (s: string | undefined) => (s === undefined || s === "" ? undefined : parseJavaInt(s));
    const from = num(parts[0]);
    const to = num(parts[1]);
    if (from === undefined && to === undefined) r.fail(`Failed to parse SliceOperation: ${expr}`);
    tokens.push({ kind: "slice", from, to });
  } else tokens.push({ kind: "index", indexes: expr.split(/\s*,\s*/).map(parseJavaInt) });
  r.pos = close + 1;
  return true;
}
function parseJavaInt(s: string): number {
  if (!/^-?\d+$/.test(s.trim())) throw new InvalidPathError(`Failed to parse token in ArrayIndexOperation: ${s}`);
  return Number(s.trim());
}

function readWildcard(r: PathReader, tokens: Token[]): boolean {
  if (r.c === "[") {
    const { ch, at } = r.nextSignificant();
    if (ch !== "*") return false;
    const after = r.nextSignificant(at);
    if (after.ch !== "]") r.fail(`Expected wildcard token to end with ']' on position ${at + 1}`);
    r.pos = after.at + 1;
  } else r.pos += 1;
  tokens.push({ kind: "wildcard" });
  return true;
}

function readFilter(r: PathReader, tokens: Token[]): boolean {
  const q = r.nextSignificant();
  if (q.ch !== "?") return false;
  const open = r.nextSignificant(q.at);
  if (open.ch !== "(") return false;
  const close = matchingClose(r.s, open.at);
  if (close === -1) return false;
  const end = r.nextSignificant(close);
  if (end.ch !== "]") return false;
  tokens.push({ kind: "filter", predicate: compileFilter(r.s.slice(open.at + 1, close)) });
  r.pos = end.at + 1;
  return true;
}

/** The index of the `)` closing the `(` at `open`, skipping quoted strings and regex literals. */
function matchingClose(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      i = closingQuote(s, i, c);
      if (i === -1) return -1;
    } else if (c === "/" && /[=~]\s*$/.test(s.slice(0, i))) {
      const endRe = closingQuote(s, i, "/");
      if (endRe !== -1) i = endRe;
    } else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
}
function closingQuote(s: string, at: number, q: string): number {
  for (let i = at + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === q) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Filters (FilterCompiler, ValueNode, EvaluatorFactory)

export type Value =
  | { t: "num"; v: number; text: string }
  | { t: "str"; v: string }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "json"; v: Json }
  | { t: "pattern"; re: RegExp }
  | { t: "undefined" }
  | { t: "path"; path: CompiledPath; exists: boolean; negate: boolean };

export type Expr =
  | { kind: "and"; ops: Expr[] }
  | { kind: "or"; ops: Expr[] }
  | { kind: "not"; op: Expr }
  | { kind: "rel"; left: Value; op: string; right: Value };

const WORD_OPERATORS = ["IN", "NIN", "CONTAINS", "ALL", "SIZE", "EXISTS", "TYPE", "MATCHES", "EMPTY", "SUBSETOF", "ANYOF", "NONEOF"];
const SYMBOL_OPERATORS = [">=", "<=", "==", "===", "!=", "!==", "<", ">", "=~"];
const isRelChar = (c: string | undefined) => c === "<" || c === ">" || c === "=" || c === "~" || c === "!";

class FilterReader {
  pos = 0;
  constructor(readonly s: string) {}
  skip() {
    while (isWs(this.s[this.pos])) this.pos++;
    return this;
  }
  get c() {
    return this.s[this.pos];
  }
  startsWith(t: string) {
    return this.s.startsWith(t, this.pos);
  }
}

export function compileFilter(text: string): Expr {
  const r = new FilterReader(text);
  const expr = readOr(r);
  r.skip();
  if (r.pos < r.s.length) throw new InvalidPathError(`Expected end of filter expression at position ${r.pos} in ${text}`);
  return expr;
}
/** Operands joined by one logical operator (`||` binds looser than `&&`); a single operand stands alone. */
function readJoined(r: FilterReader, operator: "||" | "&&", kind: "or" | "and", readNext: (r: FilterReader) => Expr): Expr {
  const ops = [readNext(r)];
  while (r.skip().startsWith(operator)) {
    r.pos += 2;
    ops.push(readNext(r));
  }
  return ops.length === 1 ? ops[0] : { kind, ops };
}
const readOr = (r: FilterReader): Expr => readJoined(r, "||", "or", readAnd);
const readAnd = (r: FilterReader): Expr => readJoined(r, "&&", "and", readOperand);
function readOperand(r: FilterReader): Expr {
  r.skip();
  if (r.c === "!") {
    const save = r.pos;
    r.pos++;
    r.skip();
    const next = r.c as string | undefined;
    if (next !== "$" && next !== "@") return { kind: "not", op: readOperand(r) };
    r.pos = save;
  }
  if (r.c === "(") {
    r.pos++;
    const op = readOr(r);
    r.skip();
    if ((r.c as string | undefined) !== ")") throw new InvalidPathError(`Expected ')' at position ${r.pos}`);
    r.pos++;
    return op;
  }
  return readRelational(r);
}
function readRelational(r: FilterReader): Expr {
  const left = readValue(r);
  const save = r.pos;
  r.skip();
  const op = readOperator(r);
  if (op) return { kind: "rel", left, op, right: readValue(r) };
  r.pos = save;
  if (left.t !== "path") throw new InvalidPathError(`Expected a relational operator after ${JSON.stringify(left)}`);
  // FilterCompiler.readExpression: a bare path is an existence check.
  return { kind: "rel", left: { ...left, exists: true }, op: "EXISTS", right: { t: "bool", v: !left.negate } };
}
function readOperator(r: FilterReader): string | undefined {
  const begin = r.pos;
  if (isRelChar(r.c)) {
    while (isRelChar(r.c)) r.pos++;
    const op = r.s.slice(begin, r.pos);
    if (SYMBOL_OPERATORS.includes(op)) return op;
    throw new InvalidPathError(`Filter operator ${op} is not supported!`);
  }
  while (r.pos < r.s.length && r.c !== " ") r.pos++;
  const op = r.s.slice(begin, r.pos).toUpperCase();
  if (WORD_OPERATORS.includes(op)) return op;
  r.pos = begin;
  return undefined;
}
function readValue(r: FilterReader): Value {
  r.skip();
  const c = r.c;
  if (c === "$" || c === "@" || (c === "!" && (r.s[r.pos + 1] === "$" || r.s[r.pos + 1] === "@" || /^!\s*[$@]/.test(r.s.slice(r.pos))))) {
    let negate = false;
    if (c === "!") {
      negate = true;
      r.pos++;
      r.skip();
    }
    return readPathValue(r, negate);
  }
  if (c === "'" || c === '"') {
    const end = closingQuote(r.s, r.pos, c);
    if (end === -1) throw new InvalidPathError(`String literal does not have matching quotes. Expected ${c} in ${r.s}`);
    const raw = r.s.slice(r.pos + 1, end);
    r.pos = end + 1;
    return { t: "str", v: unescape(raw) };
  }
  if (r.startsWith("true")) return (r.pos += 4), { t: "bool", v: true };
  if (r.startsWith("false")) return (r.pos += 5), { t: "bool", v: false };
  if (r.startsWith("null")) return (r.pos += 4), { t: "null" };
  if (c === "[" || c === "{") {
    const end = matchingJsonClose(r.s, r.pos);
    if (end === -1) throw new InvalidPathError(`JSON literal not closed in ${r.s}`);
    const raw = r.s.slice(r.pos, end + 1);
    r.pos = end + 1;
    return { t: "json", v: parseLenientJson(raw) };
  }
  if (c === "/") {
    const end = closingQuote(r.s, r.pos, "/");
    if (end === -1) throw new InvalidPathError(`Pattern not closed. Expected / in ${r.s}`);
    const body = r.s.slice(r.pos + 1, end);
    let p = end + 1;
    while (p < r.s.length && "dimsuUx".includes(r.s[p]) && r.s[p] !== " ") p++;
    const flags = r.s.slice(end + 1, p);
    r.pos = p;
    return { t: "pattern", re: javaPattern(body, flags) };
  }
  const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(r.s.slice(r.pos));
  if (!m) throw new InvalidPathError(`Could not parse value at position ${r.pos} in ${r.s}`);
  r.pos += m[0].length;
  return { t: "num", v: Number(m[0]), text: m[0] };
}
function matchingJsonClose(s: string, open: number): number {
  const openCh = s[open];
  const closeCh = openCh === "[" ? "]" : "}";
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      i = closingQuote(s, i, c);
      if (i === -1) return -1;
    } else if (c === openCh) depth++;
    else if (c === closeCh && --depth === 0) return i;
  }
  return -1;
}
/** json-smart's permissive mode, as Jayway parses JSON literals: single-quoted strings are accepted. */
function parseLenientJson(raw: string): Json {
  try {
    return JSON.parse(raw);
  } catch {
    const converted = raw.replace(/'((?:[^'\\]|\\.)*)'/g, (_, body: string) => JSON.stringify(unescape(body)));
    try {
      return JSON.parse(converted);
    } catch {
      throw new InvalidPathError(`Invalid JSON literal ${raw}`);
    }
  }
}
/** java.util.regex Pattern with Jayway's flags (PatternFlag) as a JavaScript RegExp; matches() anchors it. */
function javaPattern(body: string, flags: string): RegExp {
  let js = "";
  for (const f of flags) {
    if (f === "i") js += "i";
    else if (f === "m") js += "m";
    else if (f === "s") js += "s";
    else if (f === "u" || f === "U") js += "u";
    // d (UNIX_LINES) and x (COMMENTS) have no JavaScript equivalent; see docs/data-actions.md.
  }
  try {
    return new RegExp(`^(?:${body})$`, [...new Set(js)].join(""));
  } catch (e) {
    throw new InvalidPathError(`Invalid regular expression /${body}/: ${(e as Error).message}`);
  }
}
function readPathValue(r: FilterReader, negate: boolean): Value {
  const begin = r.pos;
  r.pos++;
  let parens = 0;
  while (r.pos < r.s.length) {
    const c = r.c;
    if (c === "[") {
      const end = matchingBracket(r.s, r.pos);
      if (end === -1) throw new InvalidPathError(`Square brackets does not match in filter ${r.s}`);
      r.pos = end + 1;
      continue;
    }
    if (c === "(") parens++;
    else if (c === ")") {
      if (parens === 0) break; // closes a logical group
      parens--;
    } else if (parens === 0 && (isRelChar(c) || c === " " || c === "&" || c === "|")) break;
    r.pos++;
  }
  return { t: "path", path: compilePath(r.s.slice(begin, r.pos)), exists: false, negate };
}
function matchingBracket(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      i = closingQuote(s, i, c);
      if (i === -1) return -1;
    } else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  return -1;
}

/** ValueNode.toValueNode / PathNode.evaluate: a document value as a filter operand. */
function toValue(v: Json): Value {
  if (v instanceof JavaDouble) return { t: "num", v: v.value, text: v.toJavaString() };
  if (typeof v === "number") return { t: "num", v, text: javaNumberText(v) };
  if (typeof v === "string") return { t: "str", v };
  if (typeof v === "boolean") return { t: "bool", v };
  if (v === null) return { t: "null" };
  if (v === undefined) return { t: "undefined" };
  return { t: "json", v };
}
const javaNumberText = (n: number) => String(n);

interface EvalContext {
  root: Json;
}

function resolve(v: Value, item: Json, ctx: EvalContext): Value {
  if (v.t !== "path") return v;
  const doc = v.path.root === "$" ? ctx.root : item;
  if (v.exists) {
    // PathNode.evaluate with REQUIRE_PROPERTIES: the path exists when it yields anything without a PathNotFound.
    try {
      evaluatePath(v.path, doc, ctx.root, true);
      return { t: "bool", v: true };
    } catch (e) {
      if (e instanceof PathNotFoundError) return { t: "bool", v: false };
      throw e;
    }
  }
  try {
    return toValue(readCompiled(v.path, doc, ctx.root));
  } catch (e) {
    if (e instanceof PathNotFoundError) return { t: "undefined" };
    throw e;
  }
}

function asNumber(v: Value): number | undefined {
  if (v.t === "num") return v.v;
  if (v.t === "str" && v.v.trim() !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v.v)) return Number(v.v);
  return undefined;
}
function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}
/** ValueNode equals: numbers and numeric strings compare as numbers (NumberNode.equals), the reverse as text. */
function valueEquals(l: Value, r: Value): boolean {
  if (l.t === "json" && r.t === "json") return deepEqual(l.v, r.v);
  if (l.t === "num" && (r.t === "num" || r.t === "str")) {
    const n = asNumber(r);
    return n !== undefined && n === l.v;
  }
  if (l.t === "str" && (r.t === "str" || r.t === "num")) return l.v === (r.t === "str" ? r.v : r.text);
  if (l.t === "bool" && r.t === "bool") return l.v === r.v;
  if (l.t === "null" && r.t === "null") return true;
  return false;
}
function listOf(v: Value): Value[] | undefined {
  if (v.t === "json" && Array.isArray(v.v)) return v.v.map(toValue);
  return undefined;
}
const contains = (list: Value[], v: Value) => list.some((x) => valueEquals(v, x));
function compare(l: Value, r: Value): number | undefined {
  if (l.t === "num" && r.t === "num") return l.v - r.v;
  if (l.t === "str" && r.t === "str") return l.v < r.v ? -1 : l.v > r.v ? 1 : 0;
  return undefined;
}
function regexInput(v: Value): string {
  if (v.t === "str") return v.v;
  if (v.t === "num") return v.text;
  if (v.t === "bool") return String(v.v);
  return "";
}

/** EvaluatorFactory: each relational operator. */
function evaluateRelation(op: string, l: Value, r: Value): boolean {
  switch (op) {
    case "EXISTS":
      return l.t === "bool" && r.t === "bool" && l.v === r.v;
    case "==":
      return valueEquals(l, r);
    case "!=":
      return !valueEquals(l, r);
    case "===":
      return l.t === r.t && valueEquals(l, r);
    case "!==":
      return !(l.t === r.t && valueEquals(l, r));
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const d = compare(l, r);
      if (d === undefined) return false;
      return op === "<" ? d < 0 : op === "<=" ? d <= 0 : op === ">" ? d > 0 : d >= 0;
    }
    case "=~": {
      if ((l.t === "pattern") === (r.t === "pattern")) return false;
      const [pattern, input] = l.t === "pattern" ? [l, r] : [r as Extract<Value, { t: "pattern" }>, l];
      const list = listOf(input);
      if (list) return list.some((x) => pattern.re.test(regexInput(x)));
      return pattern.re.test(regexInput(input));
    }
    case "SIZE": {
      if (r.t !== "num") return false;
      const expected = Math.trunc(r.v);
      if (l.t === "str") return l.v.length === expected;
      if (l.t === "json") return (Array.isArray(l.v) ? l.v.length : -1) === expected;
      return false;
    }
    case "EMPTY": {
      if (r.t !== "bool") return false;
      if (l.t === "str") return (l.v.length === 0) === r.v;
      if (l.t === "json") return (Array.isArray(l.v) ? l.v.length === 0 : isMap(l.v) ? Object.keys(l.v).length === 0 : true) === r.v;
      return false;
    }
    case "IN":
    case "NIN": {
      const list = listOf(r);
      const found = list ? contains(list, l) : false;
      return op === "IN" ? found : !found;
    }
    case "ALL": {
      const required = listOf(r) ?? [];
      if (l.t !== "json") return false;
      const have = listOf(l);
      return have ? required.every((x) => contains(have, x)) : true;
    }
    case "CONTAINS": {
      if (l.t === "str" && r.t === "str") return l.v.includes(r.v);
      const list = listOf(l);
      return list ? contains(list, r) : false;
    }
    case "SUBSETOF": {
      const left = listOf(l);
      const right = listOf(r);
      return !!left && !!right && left.every((x) => contains(right, x));
    }
    case "ANYOF":
    case "NONEOF": {
      const left = listOf(l);
      const right = listOf(r);
      if (!left || !right) return false;
      const any = left.some((x) => contains(right, x));
      return op === "ANYOF" ? any : !any;
    }
    default:
      // TYPE and MATCHES take Java classes and predicates, which a path string cannot express.
      throw new InvalidPathError(`Filter operator ${op} is not supported in a path string`);
  }
}

function applyExpr(e: Expr, item: Json, ctx: EvalContext): boolean {
  if (e.kind === "and") return e.ops.every((o) => applyExpr(o, item, ctx));
  if (e.kind === "or") return e.ops.some((o) => applyExpr(o, item, ctx));
  if (e.kind === "not") return !applyExpr(e.op, item, ctx);
  return evaluateRelation(e.op, resolve(e.left, item, ctx), resolve(e.right, item, ctx));
}
/** PredicatePathToken.accept: an invalid path inside a filter rejects the item. */
function accept(e: Expr, item: Json, ctx: EvalContext): boolean {
  try {
    return applyExpr(e, item, ctx);
  } catch (err) {
    if (err instanceof InvalidPathError) return false;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Functions (PathFunctionFactory)

type Fn = (model: Json, params: Param[], ctx: EvalContext) => Json;

function paramValue(p: Param, ctx: EvalContext): Json {
  return p.kind === "json" ? parseLenientJson(p.text) : readCompiled(p.path, ctx.root, ctx.root);
}
/** Parameter.toList: parameter values, lists spread, keeping those of the wanted type. */
function paramList(params: Param[], ctx: EvalContext, type: "number" | "string"): Json[] {
  const out: Json[] = [];
  const consume = (v: Json) => {
    if (typeof v === type) out.push(v);
    else if (type === "string" && v !== null && v !== undefined) out.push(typeof v === "object" ? JSON.stringify(v) : String(v));
  };
  for (const p of params) {
    const v = paramValue(p, ctx);
    if (Array.isArray(v)) v.forEach(consume);
    else consume(v);
  }
  return out;
}
function aggregate(reduce: (ns: number[]) => number): Fn {
  return (model, params, ctx) => {
    const ns: number[] = [];
    if (Array.isArray(model)) for (const v of model) if (typeof v === "number") ns.push(v);
    ns.push(...(paramList(params, ctx, "number") as number[]));
    if (ns.length === 0) throw new JsonPathFunctionError("Aggregation function attempted to calculate value using empty array");
    return new JavaDouble(reduce(ns));
  };
}
function sequence(index: (params: Param[], ctx: EvalContext) => number): Fn {
  return (model, params, ctx) => {
    if (!Array.isArray(model)) throw new JsonPathFunctionError("Aggregation function attempted to calculate value using empty array");
    const target = index(params, ctx);
    // AbstractSequenceAggregation: a negative index counts from the end, and (as in Jayway) must land above 0.
    const real = target >= 0 ? target : model.length + target;
    if (target < 0 && real <= 0) throw new JsonPathFunctionError(`Target index:${target} larger than object count:${model.length}`);
    if (real >= model.length) throw new JsonPathFunctionError(`Index ${real} out of bounds for length ${model.length}`);
    return model[real];
  };
}
const firstNumber = (params: Param[], ctx: EvalContext) => {
  const n = paramList(params, ctx, "number")[0];
  if (typeof n !== "number") throw new JsonPathFunctionError("index() needs a number");
  return Math.trunc(n);
};

/**
 * A Double result of a numeric function (Jayway returns Double for min/max/avg/stddev/sum): kept apart from
 * JavaScript numbers so its JSON text is Java's (`55.0`, not `55`).
 */
export class JavaDouble {
  constructor(readonly value: number) {}
  toJSON() {
    return this.value;
  }
  toJavaString(): string {
    if (!Number.isFinite(this.value)) return Number.isNaN(this.value) ? "NaN" : this.value > 0 ? "Infinity" : "-Infinity";
    if (Number.isInteger(this.value) && Math.abs(this.value) < 1e7) return `${this.value}.0`;
    return String(this.value);
  }
}

const FUNCTIONS: Record<string, Fn> = {
  avg: aggregate((ns) => ns.reduce((a, b) => a + b, 0) / ns.length),
  stddev: aggregate((ns) => {
    const sum = ns.reduce((a, b) => a + b, 0);
    const sumSq = ns.reduce((a, b) => a + b * b, 0);
    return Math.sqrt(sumSq / ns.length - (sum * sum) / ns.length / ns.length);
  }),
  sum: aggregate((ns) => ns.reduce((a, b) => a + b, 0)),
  min: aggregate((ns) => ns.reduce((a, b) => (b < a ? b : a))),
  max: aggregate((ns) => ns.reduce((a, b) => (b > a ? b : a))),
  concat: (model, params, ctx) => {
    let out = "";
    if (Array.isArray(model)) for (const v of model) if (typeof v === "string") out += v;
    return out + (paramList(params, ctx, "string") as string[]).join("");
  },
  length: lengthFn,
  size: lengthFn,
  append: (model, params, ctx) => {
    if (!Array.isArray(model)) return model;
    return [...model, ...params.map((p) => paramValue(p, ctx))];
  },
  keys: (model) => (isMap(model) ? Object.keys(model) : null),
  first: sequence(() => 0),
  last: sequence(() => -1),
  index: sequence(firstNumber),
};

/** Length: the number of children of an array or object; with a scan parameter, of everything it matched. */
function lengthFn(model: Json, params: Param[], ctx: EvalContext): Json {
  if (params.length && params[0].kind === "path") {
    const p = params[0].path;
    const withWildcard = p.isFunctionPath ? p : finish({ ...p, tokens: [...p.tokens, { kind: "wildcard" }] });
    const inner = readCompiled(withWildcard, model, ctx.root);
    if (Array.isArray(inner)) return inner.length;
  }
  if (Array.isArray(model)) return model.length;
  if (isMap(model)) return Object.keys(model).length;
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation (the PathToken subclasses)

class Evaluation {
  results: Json[] = [];
  constructor(
    readonly path: CompiledPath,
    readonly ctx: EvalContext,
    /** Option.REQUIRE_PROPERTIES, used by existence checks in filters. */
    readonly requireProperties: boolean,
  ) {}

  upstreamDefinite(i: number): boolean {
    for (let k = 0; k < i; k++) if (!isTokenDefinite(this.path.tokens, k)) return false;
    return true;
  }
  isLeaf(i: number) {
    return i === this.path.tokens.length - 1;
  }
  next(i: number, model: Json) {
    if (i >= this.path.tokens.length) this.results.push(model);
    else this.evaluate(i, model);
  }

  evaluate(i: number, model: Json): void {
    const t = this.path.tokens[i];
    switch (t.kind) {
      case "property":
        return this.property(i, t.names, model);
      case "index":
        if (!this.checkArray(i, model)) return;
        for (const idx of t.indexes) this.arrayIndex(i, idx, model as Json[]);
        return;
      case "slice":
        return this.slice(i, t, model);
      case "wildcard":
        if (isMap(model)) for (const k of Object.keys(model)) this.objectProperty(i, k, model);
        else if (Array.isArray(model))
          for (let k = 0; k < model.length; k++) {
            try {
              this.arrayIndex(i, k, model);
            } catch (e) {
              if (!(e instanceof PathNotFoundError) || this.requireProperties) throw e;
            }
          }
        return;
      case "scan":
        return this.scan(i + 1, model);
      case "filter":
        if (isMap(model)) {
          if (accept(t.predicate, model, this.ctx)) this.next(i + 1, model);
        } else if (Array.isArray(model)) {
          model.forEach((item, k) => {
            if (accept(t.predicate, item, this.ctx)) this.arrayIndex(i, k, model);
          });
        } else if (this.upstreamDefinite(i))
          throw new InvalidPathError(`Filter: ${this.path.source} can not be applied to primitives. Current context is: ${JSON.stringify(model)}`);
        return;
      case "function": {
        const result = FUNCTIONS[t.name](model, t.params, this.ctx);
        // FunctionPathToken adds its result and, when not the leaf, goes on with it.
        this.results.push(result);
        if (!this.isLeaf(i)) this.evaluate(i + 1, result);
        return;
      }
    }
  }

  property(i: number, names: string[], model: Json) {
    if (!isMap(model)) {
      if (!this.upstreamDefinite(i)) return;
      throw new PathNotFoundError(`Expected to find an object with property ['${names.join("','")}'] in path ${this.path.source} but found '${model === null ? "null" : typeof model}'`);
    }
    if (names.length === 1) return this.objectProperty(i, names[0], model);
    if (this.isLeaf(i)) {
      // Several properties at the leaf merge into one object of those present.
      const merged: Record<string, Json> = {};
      for (const n of names) {
        if (n in model) merged[n] = model[n];
        else if (this.requireProperties) throw new PathNotFoundError(`Missing property in path ${this.path.source}`);
      }
      this.results.push(merged);
      return;
    }
    for (const n of names) this.objectProperty(i, n, model);
  }

  /** PathToken.handleObjectProperty for one property. */
  objectProperty(i: number, name: string, model: Record<string, Json>) {
    if (!Object.prototype.hasOwnProperty.call(model, name)) {
      if (this.isLeaf(i)) {
        if (!this.requireProperties) return;
        throw new PathNotFoundError(`No results for path: ${this.path.source}`);
      }
      const definiteHere = this.upstreamDefinite(i) && isTokenDefinite(this.path.tokens, i);
      if (!definiteHere && !this.requireProperties) return;
      throw new PathNotFoundError(`Missing property in path ${this.path.source} ('${name}')`);
    }
    this.next(i + 1, model[name]);
  }

  /** ArrayPathToken.checkArrayModel. */
  checkArray(i: number, model: Json): boolean {
    if (Array.isArray(model)) return true;
    if (!this.upstreamDefinite(i)) return false;
    if (model === null) throw new PathNotFoundError(`The path ${this.path.source} is null`);
    throw new PathNotFoundError(`Filter: ${this.path.source} can only be applied to arrays. Current context is: ${JSON.stringify(model)}`);
  }

  /** PathToken.handleArrayIndex: a negative index counts from the end; out of range yields nothing. */
  arrayIndex(i: number, index: number, model: Json[]) {
    const effective = index < 0 ? model.length + index : index;
    if (effective < 0 || effective >= model.length) return;
    this.next(i + 1, model[effective]);
  }

  /** ArraySliceToken (note: Jayway's [from:to] does not count a negative `from` from the end). */
  slice(i: number, t: { from?: number; to?: number }, model: Json) {
    if (!this.checkArray(i, model)) return;
    const arr = model as Json[];
    const len = arr.length;
    if (t.from !== undefined && t.to === undefined) {
      let from = t.from < 0 ? len + t.from : t.from;
      from = Math.max(0, from);
      for (let k = from; k < len; k++) this.arrayIndex(i, k, arr);
    } else if (t.from !== undefined && t.to !== undefined) {
      const to = Math.min(len, t.to);
      for (let k = t.from; k < to; k++) this.arrayIndex(i, k, arr);
    } else if (t.to !== undefined) {
      if (len === 0) return;
      const to = Math.min(len, t.to < 0 ? len + t.to : t.to);
      for (let k = 0; k < to; k++) this.arrayIndex(i, k, arr);
    }
  }

  /** ScanPathToken.walk: visits every object and array under the model, applying the next token where it fits. */
  scan(target: number, model: Json) {
    const t = this.path.tokens[target];
    const matches = (m: Json): boolean => {
      switch (t.kind) {
        case "property":
          if (!isMap(m)) return false;
          if (!isTokenDefinite(this.path.tokens, target)) return true;
          return t.names.every((n) => n in m);
        case "index":
        case "slice":
          return Array.isArray(m);
        case "wildcard":
          return true;
        case "filter":
          return accept(t.predicate, m, this.ctx);
        default:
          return false;
      }
    };
    const walk = (m: Json) => {
      if (isMap(m)) {
        if (matches(m)) this.evaluate(target, m);
        for (const k of Object.keys(m)) walk(m[k]);
      } else if (Array.isArray(m)) {
        if (matches(m)) {
          if (this.isLeaf(target)) this.evaluate(target, m);
          else for (const item of m) this.evaluate(target + 1, item);
        }
        for (const item of m) walk(item);
      }
    };
    walk(model);
  }
}

function evaluatePath(path: CompiledPath, document: Json, root: Json, requireProperties = false): Json[] {
  const ev = new Evaluation(path, { root }, requireProperties);
  if (path.tokens.length === 0) ev.results.push(document);
  else ev.evaluate(0, document);
  if (path.definite && ev.results.length === 0) throw new PathNotFoundError(`No results for path: ${path.source}`);
  return ev.results;
}

/** EvaluationContextImpl.getValue: the last result of a definite path, the list of an indefinite one. */
function readCompiled(path: CompiledPath, document: Json, root: Json): Json {
  const results = evaluatePath(path, document, root);
  return path.definite ? results[results.length - 1] : results;
}

export interface ReadResult {
  definite: boolean;
  value: Json;
}

/**
 * JsonPath.read(document, path) with the default configuration. Throws InvalidPathError for a malformed path,
 * PathNotFoundError when a definite path does not resolve, JsonPathFunctionError when a function cannot apply.
 */
export function read(document: Json, path: string): ReadResult {
  const compiled = compilePath(path);
  return { definite: compiled.definite, value: readCompiled(compiled, document, document) };
}

/** Whether a path yields one value (definite) or a list (Jayway's Path.isDefinite). */
export function isDefinite(path: string): boolean {
  return compilePath(path).definite;
}

/** JSON text of a result as Java would write it (Double results keep their `.0`). */
export function toJsonText(value: Json): string {
  if (value instanceof JavaDouble) return value.toJavaString();
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(",")}]`;
  if (isMap(value)) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(",")}}`;
  return JSON.stringify(value ?? null);
}

/** Plain JSON value of a result (Double results as numbers). */
export function toPlain(value: Json): Json {
  return JSON.parse(JSON.stringify(value ?? null));
}
