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

/** https URL; plain http only for loopback hosts, which the offline tools and tests use. */
export const httpsUrl = z
  .string()
  .refine((s) => URL.canParse(s), { message: "must be an absolute URL such as https://api.example.com" })
  .refine(
    (s) => {
      if (!URL.canParse(s)) return true;
      const u = new URL(s);
      return u.protocol === "https:" || (u.protocol === "http:" && isLoopback(u.hostname));
    },
    { message: "must use https (plain http is accepted only for 127.0.0.1/localhost test servers)" },
  )
  .refine((s) => !URL.canParse(s) || (!new URL(s).search && !new URL(s).hash), {
    message: "must not contain a query string or fragment",
  })
  .transform((s) => s.replace(/\/+$/, ""));

export const displayName = (what: string, example: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(256, `${what} must be at most 256 characters`).meta(doc(what, example));
