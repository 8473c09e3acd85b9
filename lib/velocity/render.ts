import * as path from "node:path";
import { Compile, parse } from "velocityjs";
import { installJavaArithmetic } from "./javaArithmetic";
import { isJavaDouble } from "./javaNumber";
import { javaMethodHandlers } from "./javaMethods";
import { VELOCITY_TOOLS } from "./tools";

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/**
 * velocityjs rebuilds a reference's source text (for its "print the reference when undefined" rule) on every
 * evaluation, a pure function of the AST node. Memoising it per node cuts render time by about a quarter on
 * loop-heavy success templates. Only the CommonJS build is reachable by path (the package's exports hide it);
 * where it is not the build in use, rendering is merely slower.
 */
function memoiseReferenceText() {
  try {
    const helper = require(path.join(path.dirname(require.resolve("velocityjs")), "helper", "index.cjs"));
    if (typeof helper.getRefText !== "function" || helper.getRefText.memoised) return;
    const original = helper.getRefText;
    const cache = new WeakMap<object, string>();
    const memoised = (ast: object) => {
      let text = cache.get(ast);
      if (text === undefined) cache.set(ast, (text = original(ast)));
      return text;
    };
    memoised.memoised = true;
    helper.getRefText = memoised;
  } catch {
    // A different velocityjs layout: keep the unmemoised behaviour.
  }
}
let prepared = false;
/**
 * velocityjs as this project runs it, prepared on first use: a start that renders and checks no template (a stack
 * whose content is kept, lib/stackContentCache.ts) does not load it (the compiled tools load it on first use,
 * tools/deferModules.cjs).
 */
function velocity(): { Compile: typeof Compile; parse: typeof parse } {
  if (!prepared) {
    prepared = true;
    memoiseReferenceText();
    // Java's number types and Velocity Engine's arithmetic on them (javaArithmetic.ts), on the build in use.
    installJavaArithmetic(Compile.prototype as unknown as Parameters<typeof installJavaArithmetic>[0]);
  }
  return { Compile, parse };
}

// Parsing dominates the cost of a render; definitions are few and reused, so cache the ASTs.
const compiled = new Map<string, Compile>();

function compile(template: string): Compile {
  let c = compiled.get(template);
  if (!c) {
    const { Compile, parse } = velocity();
    try {
      c = new Compile(parse(template), { escape: false, customMethodHandlers: javaMethodHandlers });
    } catch (e) {
      throw new TemplateError(`Velocity syntax error: ${(e as Error).message.split("\n")[0]}`);
    }
    compiled.set(template, c);
  }
  return c;
}

/** Java Velocity treats a null like a missing reference; velocityjs does that only for undefined. */
function javaNulls(value: unknown): unknown {
  if (value === null) return undefined;
  if (isJavaDouble(value)) return value;
  if (Array.isArray(value)) return value.some((v) => v === null || typeof v === "object") ? value.map(javaNulls) : value;
  if (typeof value === "object" && value !== undefined) return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, javaNulls(v)]));
  return value;
}

/** Renders a Velocity template as Genesys does, with its tools in the context. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  const c = compile(template);
  try {
    return c.render({ ...VELOCITY_TOOLS, ...(javaNulls(context) as Record<string, unknown>) });
  } catch (e) {
    throw new TemplateError(`Velocity evaluation failed: ${(e as Error).message.split("\n")[0]}`);
  }
}

const BLOCKS = new Set(["if", "foreach", "macro", "define", "noescape"]);
/** velocityjs's token list before nesting: its parse() quietly closes an unclosed block at the end and drops a stray #end. */
function tokens(template: string): unknown[] {
  const lexer = require(path.join(path.dirname(require.resolve("velocityjs")), "parse", "index.cjs")) as { parse_1?: (s: string) => unknown[] };
  return lexer.parse_1 ? lexer.parse_1(template) : (velocity().parse(template) as unknown[]);
}

/**
 * Why Java Velocity (what Genesys runs) would refuse a template, or undefined: a syntax error (`#if(` left open,
 * `${input.x` without its brace), a block (#if, #foreach, ...) without its #end, or an #end without a block.
 * velocityjs parses leniently; Velocity's parser fails on both the missing and the extra #end ("Encountered <EOF>").
 */
export function velocitySyntaxProblem(template: string): string | undefined {
  let list: unknown[];
  try {
    list = tokens(template);
  } catch (e) {
    const lines = (e as Error).message.split("\n");
    const where = /line (\d+)/.exec(lines[0])?.[1];
    return `has a Velocity syntax error${where ? ` on line ${where}` : ""}: ${lines.slice(1, 3).join(" ").trim() || lines[0]}`;
  }
  const open: { type: string; line?: number; column?: number }[] = [];
  for (const t of list) {
    if (!t || typeof t !== "object") continue;
    const { type, pos } = t as { type: string; pos?: { first_line: number; first_column: number } };
    if (BLOCKS.has(type)) open.push({ type, line: pos?.first_line, column: pos?.first_column });
    else if (type === "end" && !open.pop()) return `has an #end${pos ? ` on line ${pos.first_line} column ${pos.first_column + 1}` : ""} that closes no #if/#foreach block`;
  }
  const last = open.pop();
  if (last) return `has a #${last.type}${last.line ? ` on line ${last.line} column ${(last.column ?? 0) + 1}` : ""} without its #end`;
  return undefined;
}

/** `$input.x`, `${input.x}`, `$!input.x`, `$!{input.x}` references in a template. */
export function referencedNames(template: string, root: string): string[] {
  const re = new RegExp(`\\$!?\\{?${root}\\.([A-Za-z_][A-Za-z0-9_-]*)`, "g");
  return [...new Set([...template.matchAll(re)].map((m) => m[1]))];
}

/** Unresolved `${input.x}`-style references left in rendered output. */
export function unresolvedReferences(rendered: string, roots: string[]): string[] {
  // Case-insensitive: `$Input.x` (wrong case) is as unresolved as a missing `$input.x`.
  const re = new RegExp(`\\$\\{?(?:${roots.join("|")})\\.[A-Za-z_][A-Za-z0-9_.-]*\\}?`, "gi");
  return [...new Set(rendered.match(re) ?? [])];
}

/** The contexts Genesys puts in data action templates, with their exact case. */
export const GENESYS_CONTEXTS = ["input", "credentials", "authResponse", "rawResult", "esc", "math", "encoding", "successTemplateUtils", "urlTool"];

/** References whose root is a Genesys context written in the wrong case (`$Input.x`, `${CREDENTIALS.y}`). */
export function wrongCaseContexts(template: string): { text: string; written: string; context: string }[] {
  const out: { text: string; written: string; context: string }[] = [];
  for (const m of template.matchAll(/\$!?\{?([A-Za-z_][A-Za-z0-9_]*)\.[A-Za-z_][A-Za-z0-9_-]*/g)) {
    const context = GENESYS_CONTEXTS.find((c) => c.toLowerCase() === m[1].toLowerCase());
    if (context && context !== m[1]) out.push({ text: m[0], written: m[1], context });
  }
  return out;
}
