import { z } from "zod";

/** Metadata that turns a validation error into a fix the user can paste. */
export type FieldDoc = {
  description: string;
  /** A valid value, used to build the `pulumi config set` command in error messages. */
  example?: string;
  /** A complete fix, for settings that are not set with one command (maps). */
  fix?: string;
  /** The default when it is derived from other settings (for the reference). */
  defaultText?: string;
};
/** Marks an optional setting whose default is derived when the config is resolved. */
export const derived = (text: string) => ({ defaultText: text });
export const doc = (description: string, example?: string): FieldDoc => ({ description, example });
export const mapDoc = (description: string, fix: string): FieldDoc => ({ description, fix });

const isLoopback = (host: string) => host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Why a URL the config or a flag gives is refused, or undefined. https only (plain http for loopback test servers);
 * no credentials (`user:secret@host`, a query such as `?client_secret=`): they would be stored in plain text and
 * printed in plans and logs, so they belong in the secret config; no `$` (Velocity: the base URL is spliced into
 * every data action's URL template, where `$!{input.x}` would be evaluated). The phrasing never repeats the URL.
 */
export function urlProblem(s: string): string | undefined {
  // The URL parser drops tabs and line breaks and trims spaces without a word; the text itself is what gets used.
  if (/[\x00-\x20\x7f]/.test(s)) return "must not contain spaces, tabs, line breaks or other control characters";
  if (!URL.canParse(s)) return "must be an absolute URL such as https://api.example.com";
  const u = new URL(s);
  if (u.username || u.password)
    return "must not hold a user name or password (user:secret@host): put the credential in the secret config (pulumi config set --secret) or its environment variable";
  if (u.search || u.hash || s.includes("?") || s.includes("#"))
    return "must not contain a query string or fragment (a query such as ?client_secret= would put a credential in plain text)";
  if (s.includes("$")) return "must not contain '$': the URL is spliced into Velocity templates, where it would be evaluated";
  if (!(u.protocol === "https:" || (u.protocol === "http:" && isLoopback(u.hostname))))
    return "must use https (plain http is accepted only for 127.0.0.1/localhost test servers)";
  return undefined;
}

/** A value shown in an error with any URL credential or query masked (the value may be a mistyped secret). */
export function maskCredentials(text: string): string {
  return text.replace(/(\/\/)[^/@\s"]*@/g, "$1***@").replace(/\?[^\s"#]*/g, "?***");
}

/** The input of an issue whose value must not be shown. */
export const HIDDEN_VALUE = Symbol.for("wfm-hris.hiddenValue");

/**
 * A value built on its first read, then the same one: the config schemas, so that a tool that only reads a config
 * validated before (lib/config/validationCache.ts) neither builds them nor loads zod.
 */
export function builtOnFirstRead<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}

/** https URL; plain http only for loopback hosts, which the offline tools and tests use. */
export const httpsUrl = builtOnFirstRead(() =>
  z
    .string()
    .superRefine((s, ctx) => {
      const problem = urlProblem(s);
      // The value may hold a credential: the issue does not carry it, and the message says what to fix without it.
      if (problem) ctx.addIssue({ code: "custom", message: problem, input: HIDDEN_VALUE });
    })
    .transform((s) => s.replace(/\/+$/, "")),
);

export const displayName = (what: string, example: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(256, `${what} must be at most 256 characters`).meta(doc(what, example));

/**
 * Text the workflows receive as a `{{placeholder}}` substitution (division, category, name prefixes): without the
 * characters that would break the flow YAML (lib/flows/archy/placeholders.ts), checked here so the error names the
 * config key rather than a line of flows/*.yaml.
 */
// Control characters too (a tab or NUL pasted with a name): they would reach Genesys' names through the YAML.
export const FLOW_SAFE = /^[^"'\\\n\r{}\x00-\x1f\x7f]*$/;
export const FLOW_SAFE_MESSAGE = "must not contain quotes, backslashes, braces, line breaks or other control characters (tabs, ...): the workflows receive it inside quoted YAML";
export const flowSafeName = (what: string, example: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(256, `${what} must be at most 256 characters`)
    .regex(FLOW_SAFE, FLOW_SAFE_MESSAGE)
    .meta(doc(what, example));
