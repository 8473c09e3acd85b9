import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { FileValidationError, jsonPath, readJsonFile } from "../../lib/jsonFile";
import { CAPABILITIES, ROLE_IDS } from "../roles";

/**
 * `wfm-hris.json`, the manifest of a bring-your-own HRIS folder (docs/custom-hris.md): which definition serves each
 * role, what the HRIS can do, and optionally how to read its directory for Veza.
 */
export const MANIFEST_FILE = "wfm-hris.json";

const relativeFile = z
  .string()
  .min(1, "must not be empty")
  .refine((f) => !path.isAbsolute(f) && !f.split(/[\\/]/).includes(".."), { message: "must be a path inside the folder (no absolute path, no ..)" });

const DirectoryMapping = z.strictObject({
  /** GET <hris.baseUrl><path> answers the employees (JSON). */
  path: z.string().regex(/^\/[^?#]*(\?[^#]*)?$/, "must start with / (it is appended to hris.baseUrl)"),
  /** Dotted path of the employee list in the answer; empty when the answer is the list. */
  employeesAt: z.string().default(""),
  /** Payload field → dotted path in an employee record. */
  fields: z.strictObject({
    id: z.string().min(1),
    firstName: z.string().min(1),
    lastName: z.string().min(1),
    email: z.string().min(1).optional(),
    displayName: z.string().min(1).optional(),
    employeeNumber: z.string().min(1).optional(),
    jobTitle: z.string().min(1).optional(),
    department: z.string().min(1).optional(),
    location: z.string().min(1).optional(),
    managerId: z.string().min(1).optional(),
    status: z.string().min(1).optional(),
    startDate: z.string().min(1).optional(),
    terminationDate: z.string().min(1).optional(),
  }),
  /** Values of `status` that mean the employee is active (compared case-insensitively); without `status`, everyone is. */
  activeStatuses: z.array(z.string().min(1)).min(1).default(["active"]),
});
export type DirectoryMapping = z.output<typeof DirectoryMapping>;

const Manifest = z.strictObject({
  $comment: z.string().optional(),
  /** The HRIS's name in Veza (hris_type) and in messages. */
  label: z.string().trim().min(1).max(64),
  roles: z.partialRecord(z.enum(ROLE_IDS as [string, ...string[]]), relativeFile),
  capabilities: z.strictObject(Object.fromEntries(Object.keys(CAPABILITIES).map((k) => [k, z.boolean()])) as Record<keyof typeof CAPABILITIES, z.ZodBoolean>),
  unreadInputs: z.partialRecord(z.enum(ROLE_IDS as [string, ...string[]]), z.array(z.string().min(1))).default({}),
  directory: DirectoryMapping.optional(),
});
export type CustomHrisManifest = z.output<typeof Manifest> & { dir: string; file: string };

/** Reads and validates `<dir>/wfm-hris.json`; a problem is a FileValidationError naming the file, the field and the fix. */
export function readManifest(dir: string, root: string): CustomHrisManifest {
  const full = path.join(dir, MANIFEST_FILE);
  const file = path.relative(root, full) || full;
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new FileValidationError("Custom HRIS", [{ file: path.relative(root, dir) || dir, path: "$", problem: "is not a folder", fix: "set hris.path to the folder holding wfm-hris.json (relative to the project root)" }]);
  if (!fs.existsSync(full))
    throw new FileValidationError("Custom HRIS", [{ file, path: "$", problem: "does not exist", fix: "add the manifest: see docs/custom-hris.md and examples/custom-hris/hris/wfm-hris.json" }]);
  const { value, issue } = readJsonFile(full, file);
  if (issue) throw new FileValidationError("Custom HRIS manifest", [issue]);
  const parsed = Manifest.safeParse(value, { reportInput: true });
  if (!parsed.success)
    throw new FileValidationError(
      "Custom HRIS manifest",
      parsed.error.issues.flatMap((i) =>
        i.code === "unrecognized_keys"
          ? i.keys.map((k) => ({ file, path: jsonPath([...i.path, k]), problem: "is not a known field", fix: `remove it${i.path[0] === "roles" ? `; roles are: ${ROLE_IDS.join(", ")}` : ""}` }))
          : [{ file, path: jsonPath(i.path), problem: i.input === undefined ? "is required" : i.message }],
      ),
    );
  return { ...parsed.data, dir, file };
}
