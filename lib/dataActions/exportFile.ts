import Ajv04 from "ajv-draft-04";
import { ajvLogger } from "../jsonSchema/ajvLogger";
import { z } from "zod";
import { FileIssue, jsonPath, readJsonFile } from "../jsonFile";
import { referencedNames, velocitySyntaxProblem, wrongCaseContexts } from "../velocity/render";
import { literalCredentialIssues } from "./literalCredentials";
import { REQUEST_TYPES } from "./definitions";
import type { ExecutableAction } from "./engine";
import { pathSyntaxProblem } from "./translate";

/**
 * Any data action export, as Genesys' "Export action" writes it and public repositories share it, held to Genesys'
 * own rules only (what the platform rejects), not to this project's conventions for its shipped actions. Both
 * Web Services (`custom-rest-actions`, absolute URLs) and Genesys Cloud data actions (`purecloud-data-actions`,
 * relative `/api/v2/...` URLs) load. Fields Genesys adds to an export (`category`, `integrationId`, `version`...)
 * are tolerated.
 *
 * Problems are split: `errors` are what Genesys rejects or what cannot run at all; `warnings` are what Genesys
 * accepts but that renders wrongly or is dead weight (an input no template reads, a wrong-case `$Input.x`).
 */

export const EXECUTABLE_INTEGRATION_TYPES = ["custom-rest-actions", "purecloud-data-actions"] as const;

const StringMap = z.record(z.string(), z.string());
const ExportFile = z.looseObject({
  name: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"),
  integrationType: z.string().optional(),
  actionType: z.string().optional(),
  secure: z.boolean().optional(),
  config: z.looseObject({
    request: z.looseObject({
      requestUrlTemplate: z.string().min(1, "must not be empty"),
      requestType: z.enum(REQUEST_TYPES, { message: `must be one of ${REQUEST_TYPES.join(", ")}` }),
      headers: StringMap.default({}),
      requestTemplate: z.string().optional(),
    }),
    response: z
      .looseObject({
        translationMap: StringMap.default({}),
        translationMapDefaults: StringMap.default({}),
        successTemplate: z.string().optional(),
      })
      .default({ translationMap: {}, translationMapDefaults: {} }),
    timeoutSeconds: z.number().int().min(1, "must be between 1 and 60").max(60, "must be between 1 and 60").optional(),
  }),
  contract: z.looseObject({
    input: z.looseObject({ inputSchema: z.record(z.string(), z.unknown()) }),
    output: z.looseObject({ successSchema: z.record(z.string(), z.unknown()) }),
  }),
});

export interface LoadedExport {
  file: string;
  integrationType?: string;
  /**
   * `customAuth`: the custom auth action Genesys creates for a User Defined (OAuth) credential (exports name it
   * `*.customAuth.json`); its output becomes `authResponse` in the integration's other actions.
   */
  actionType?: string;
  /** The `authResponse.x` fields its templates read: such an action runs only after its custom auth action. */
  authResponseFields: string[];
  action?: ExecutableAction;
  errors: FileIssue[];
  warnings: FileIssue[];
  /** Credentials written into the request (also among `warnings`): running the export would send them. */
  literalCredentials: FileIssue[];
}

export const CUSTOM_AUTH = "customAuth";
const INPUT_PROPERTY_TYPES = ["string", "integer", "number", "boolean", "null"];
const RESERVED_INPUT_NAMES = ["orgId", "integrationId", "rawRequest"];

export function loadDataActionExport(fullPath: string, file = fullPath): LoadedExport {
  const errors: FileIssue[] = [];
  const warnings: FileIssue[] = [];
  const { value, issue } = readJsonFile(fullPath, file);
  if (issue) return { file, errors: [issue], warnings, authResponseFields: [], literalCredentials: [] };
  const parsed = ExportFile.safeParse(value, { reportInput: true });
  if (!parsed.success)
    return {
      file,
      errors: parsed.error.issues.map((i) => ({ file, path: jsonPath(i.path), problem: i.input === undefined ? "is required" : i.message })),
      warnings,
      authResponseFields: [],
      literalCredentials: [],
    };
  const d = parsed.data;
  const add = (list: FileIssue[], at: PropertyKey[], problem: string, fix?: string) => list.push({ file, path: jsonPath(at), problem, ...(fix ? { fix } : {}) });

  if (d.integrationType && !(EXECUTABLE_INTEGRATION_TYPES as readonly string[]).includes(d.integrationType))
    add(errors, ["integrationType"], `is ${d.integrationType}; the offline engine runs ${EXECUTABLE_INTEGRATION_TYPES.join(" and ")} actions only`);

  // Custom auth actions exist only on Web Services integrations with a User Defined (OAuth) credential, and take no
  // timeoutSeconds (Terraform provider: integration_custom_auth_action schema and utils, docs/guides/custom_auth_action.md).
  if (d.actionType === CUSTOM_AUTH) {
    if (d.integrationType && d.integrationType !== "custom-rest-actions")
      add(errors, ["integrationType"], `is ${d.integrationType}, but Genesys creates a custom auth action only for a Web Services (custom-rest-actions) integration with a User Defined (OAuth) credential`);
    if (d.config.timeoutSeconds !== undefined) add(errors, ["config", "timeoutSeconds"], "is not valid for a custom auth action", "remove timeoutSeconds");
  }

  // Contracts: Genesys' rules ("Add contracts to custom actions").
  const inputSchema = d.contract.input.inputSchema;
  const ajv = new Ajv04({ strict: false, allErrors: true, logger: ajvLogger });
  if (inputSchema.type !== "object") add(errors, ["contract", "input", "inputSchema", "type"], 'must be "object"');
  for (const [schema, at] of [
    [inputSchema, ["contract", "input", "inputSchema"]],
    [d.contract.output.successSchema, ["contract", "output", "successSchema"]],
  ] as const) {
    if (JSON.stringify(schema).includes('"$ref"')) add(errors, [...at], "uses $ref, which Genesys contracts do not support");
    try {
      ajv.compile(schema);
    } catch (e) {
      add(errors, [...at], `is not a valid JSON Schema (draft-04): ${(e as Error).message}`);
    }
  }
  const props = (inputSchema.properties ?? {}) as Record<string, { type?: unknown }>;
  for (const [name, prop] of Object.entries(props)) {
    const at = ["contract", "input", "inputSchema", "properties", name];
    if (RESERVED_INPUT_NAMES.includes(name)) add(errors, at, "is a reserved input name");
    const types = ([] as unknown[]).concat(prop?.type ?? []);
    if (types.some((t) => !INPUT_PROPERTY_TYPES.includes(String(t)))) add(errors, [...at, "type"], "must be a primitive type: input contracts are flat");
  }

  // Translation map: every path must compile under Jayway's grammar; defaults need a key.
  const { translationMap, translationMapDefaults } = d.config.response;
  for (const [key, p] of Object.entries(translationMap)) {
    const problem = pathSyntaxProblem(p);
    if (problem) add(errors, ["config", "response", "translationMap", key], `is not a valid JSONPath: ${problem}`);
  }
  for (const key of Object.keys(translationMapDefaults))
    if (!(key in translationMap)) add(warnings, ["config", "response", "translationMapDefaults", key], "is a default for a key that translationMap does not define");

  // Templates: wrong-case contexts and inputs read versus declared.
  const req = d.config.request;
  const templates: [PropertyKey[], string | undefined][] = [
    [["config", "request", "requestUrlTemplate"], req.requestUrlTemplate],
    ...Object.entries(req.headers).map(([k, v]) => [["config", "request", "headers", k], v] as [PropertyKey[], string]),
    [["config", "request", "requestTemplate"], req.requestType === "GET" ? undefined : req.requestTemplate],
    [["config", "response", "successTemplate"], d.config.response.successTemplate],
  ];
  const read = new Set<string>();
  const authResponseFields = new Set<string>();
  let readsAll = false;
  // A credential written into an export: Genesys accepts it (public exports ship placeholders such as "Bearer <YOUR
  // TOKEN>"), so it is a warning here; the product's own definitions refuse it (definitions.ts), and the value is
  // never printed (the engine masks Authorization, npm run action masks every credential header).
  const literalCredentials = literalCredentialIssues(file, req);
  warnings.push(...literalCredentials);
  for (const [at, t] of templates) {
    if (!t) continue;
    const syntax = velocitySyntaxProblem(t);
    if (syntax) add(errors, at, syntax, "close every #if/#foreach with #end and every ${ with }");
    for (const ref of wrongCaseContexts(t))
      add(warnings, at, `uses ${ref.text}: Velocity names are case-sensitive and the context is $${ref.context}`, `write ${ref.text.replace(ref.written, ref.context)}`);
    for (const name of referencedNames(t, "authResponse")) authResponseFields.add(name);
    for (const name of referencedNames(t, "input")) {
      if (name === "rawRequest") readsAll = true;
      else {
        read.add(name);
        if (!(name in props)) add(warnings, at, `reads input.${name}, which the input contract does not declare`);
      }
    }
  }
  if (!readsAll) for (const name of Object.keys(props)) if (!read.has(name)) add(warnings, ["contract", "input", "inputSchema", "properties", name], "is declared but no template reads it");

  const action: ExecutableAction = {
    name: d.name,
    request: { requestType: req.requestType, requestUrlTemplate: req.requestUrlTemplate, requestTemplate: req.requestTemplate, headers: req.headers },
    response: { translationMap, translationMapDefaults, successTemplate: d.config.response.successTemplate },
    contractInput: inputSchema,
    contractOutput: d.contract.output.successSchema,
    timeoutSeconds: d.config.timeoutSeconds,
  };
  return { file, integrationType: d.integrationType, actionType: d.actionType, authResponseFields: [...authResponseFields], action, errors, warnings, literalCredentials };
}
