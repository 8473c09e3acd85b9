import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead } from "../config/fields";
import { FileValidationError, jsonPath, readJsonFile } from "../jsonFile";
import { REQUEST_TYPES } from "./definitions";

/**
 * How the data actions authenticate to the HRIS, kept as data next to the actions:
 * `actions/<hris>/auth/<auth type>.json`.
 */
/** Built on first use (a stack whose content is kept, lib/stackContentCache.ts, needs no zod). */
const AuthProfileFile = builtOnFirstRead(() =>
  z.strictObject({
    description: z.string(),
    credentialType: z.enum(["basicAuth", "userDefinedOAuth"]),
    /** Headers added to every data action (e.g. the Bearer token from the custom auth action). */
    actionHeaders: z.record(z.string(), z.string()).default({}),
    customAuthAction: z
      .strictObject({
        request: z.strictObject({
          requestType: z.enum(REQUEST_TYPES),
          requestUrlTemplate: z.string().min(1),
          requestTemplate: z.string().optional(),
          headers: z.record(z.string(), z.string()).default({}),
        }),
        response: z.strictObject({
          translationMap: z.record(z.string(), z.string()).default({}),
          translationMapDefaults: z.record(z.string(), z.string()).default({}),
          successTemplate: z.string().optional(),
        }),
      })
      .optional(),
  }),
);
export type AuthProfile = z.output<ReturnType<typeof AuthProfileFile>> & { file: string };

export function loadAuthProfile(actionsDir: string, authType: string, root = process.cwd()): AuthProfile {
  const full = path.join(actionsDir, "auth", `${authType}.json`);
  const file = path.relative(root, full);
  const { value, issue } = readJsonFile(full, file);
  if (issue) throw new FileValidationError("Invalid authentication profile", [issue]);
  const parsed = AuthProfileFile().safeParse(value, { reportInput: true });
  if (!parsed.success)
    throw new FileValidationError(
      "Invalid authentication profile",
      parsed.error.issues.map((i) => ({ file, path: jsonPath(i.path), problem: i.input === undefined ? "is required" : i.message })),
    );
  const profile = parsed.data;
  if ((profile.credentialType === "userDefinedOAuth") !== (profile.customAuthAction !== undefined))
    throw new FileValidationError("Invalid authentication profile", [
      {
        file,
        path: "$.customAuthAction",
        problem: "must be present exactly when credentialType is userDefinedOAuth (Genesys creates a custom auth action only for that type)",
      },
    ]);
  return { ...profile, file };
}
