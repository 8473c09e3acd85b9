import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead } from "../config/fields";
import { FileIssue, FileValidationError, jsonPath, readJsonFile } from "../jsonFile";
import { draft04Error } from "../jsonSchema/draft04";
import { referencedNames, velocitySyntaxProblem, wrongCaseContexts } from "../velocity/render";
import { literalCredentialIssues } from "./literalCredentials";
import { pathSyntaxProblem } from "./translate";

/**
 * Data action definitions: JSON files in the shape of a Genesys data action export, with `{{placeholders}}`
 * filled per stack. Loading validates them against the rules Genesys and the Terraform provider enforce
 * (reference/genesys-cloud.md §7), so a bad definition fails before anything is registered.
 */

export const REQUEST_TYPES = ["GET", "PUT", "POST", "PATCH", "DELETE"] as const;
const INPUT_PROPERTY_TYPES = ["string", "integer", "number", "boolean", "null"];
const RESERVED_INPUT_NAMES = ["orgId", "integrationId", "rawRequest"];
const INPUT_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

/** The file schema, built on first use (a stack whose content is kept, lib/stackContentCache.ts, needs no zod). */
const schemas = builtOnFirstRead(() => {
  const StringMap = z.record(z.string(), z.string());

  const RequestConfig = z.strictObject({
    requestUrlTemplate: z.string().min(1, "must not be empty"),
    requestType: z.enum(REQUEST_TYPES, { message: `must be one of ${REQUEST_TYPES.join(", ")}` }),
    headers: StringMap.default({}),
    requestTemplate: z.string().optional(),
  });

  const ResponseConfig = z.strictObject({
    translationMap: StringMap.default({}),
    translationMapDefaults: StringMap.default({}),
    successTemplate: z.string().optional(),
  });

  const JsonSchemaObject = z.record(z.string(), z.unknown());

  const DefinitionFile = z.strictObject({
    name: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"),
    integrationType: z.literal("custom-rest-actions", { message: "must be custom-rest-actions (Web Services Data Actions)" }),
    actionType: z.literal("custom", { message: "must be custom" }),
    config: z.strictObject({
      request: RequestConfig,
      response: ResponseConfig.default({ translationMap: {}, translationMapDefaults: {} }),
      timeoutSeconds: z.number().int().min(1, "must be between 1 and 60").max(60, "must be between 1 and 60").optional(),
    }),
    contract: z.strictObject({
      input: z.strictObject({ inputSchema: JsonSchemaObject }),
      output: z.strictObject({ successSchema: JsonSchemaObject }),
    }),
    secure: z.boolean().default(false),
  });
  return { RequestConfig, ResponseConfig, DefinitionFile };
});
type Schemas = ReturnType<typeof schemas>;
type DefinitionFile = z.output<Schemas["DefinitionFile"]>;

/** A validated data action definition with its placeholders still in place. */
export interface DataActionDefinition {
  /** Path relative to the project root, for messages. */
  file: string;
  /** Stable id from the file name (`get-agents`), used for Pulumi resource names. */
  id: string;
  name: string;
  secure: boolean;
  timeoutSeconds?: number;
  request: z.output<Schemas["RequestConfig"]>;
  response: z.output<Schemas["ResponseConfig"]>;
  contractInput: Record<string, unknown>;
  contractOutput: Record<string, unknown>;
}

function walkSchema(
  schema: unknown,
  at: PropertyKey[],
  visit: (node: Record<string, unknown>, at: PropertyKey[], insideArray: boolean) => void,
  insideArray = false,
) {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return;
  const node = schema as Record<string, unknown>;
  visit(node, at, insideArray);
  const isArray = node.type === "array" || (Array.isArray(node.type) && node.type.includes("array"));
  for (const [key, child] of Object.entries(node.properties ?? {})) walkSchema(child, [...at, "properties", key], visit, insideArray);
  if (node.items) walkSchema(node.items, [...at, "items"], visit, insideArray || isArray);
  for (const key of ["additionalProperties", "not"]) if (typeof node[key] === "object") walkSchema(node[key], [...at, key], visit, insideArray);
  for (const key of ["anyOf", "oneOf", "allOf"])
    if (Array.isArray(node[key])) (node[key] as unknown[]).forEach((s, i) => walkSchema(s, [...at, key, i], visit, insideArray));
}

function contractIssues(def: DefinitionFile, file: string): FileIssue[] {
  const issues: FileIssue[] = [];
  const add = (at: PropertyKey[], problem: string, fix?: string) => issues.push({ file, path: jsonPath(at), problem, fix });
  const inputAt = ["contract", "input", "inputSchema"];
  const outputAt = ["contract", "output", "successSchema"];

  // Input contracts are objects of flat primitives; an output contract may be an array at the top level (public
  // exports ship such actions, e.g. lists of queues), so only the input has the object rule.
  if (def.contract.input.inputSchema.type !== "object") add([...inputAt, "type"], 'must be "object": Genesys input contracts are objects at the top level');
  for (const [schema, at] of [
    [def.contract.input.inputSchema, inputAt],
    [def.contract.output.successSchema, outputAt],
  ] as const) {
    walkSchema(schema, [...at], (node, nodeAt) => {
      if ("$ref" in node) add([...nodeAt, "$ref"], "uses $ref, which Genesys contracts do not support", "inline the referenced schema");
    });
    const error = draft04Error(schema);
    if (error) add(at, `is not a valid JSON Schema (draft-04): ${error}`);
  }

  const inputProps = (def.contract.input.inputSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, prop] of Object.entries(inputProps)) {
    const at = [...inputAt, "properties", name];
    if (!INPUT_NAME.test(name))
      add(at, "is not a valid input name: it must start with a letter and contain only letters, digits, '-' and '_'");
    if (RESERVED_INPUT_NAMES.includes(name)) add(at, `is a reserved input name (${RESERVED_INPUT_NAMES.join(", ")})`, "rename the input");
    const types = ([] as unknown[]).concat(prop?.type ?? []);
    if (types.length === 0 || types.some((t) => !INPUT_PROPERTY_TYPES.includes(String(t))))
      add([...at, "type"], `must be one of ${INPUT_PROPERTY_TYPES.join(", ")}: input contracts take flat primitives only (no objects or arrays)`);
  }

  walkSchema(def.contract.output.successSchema, [...outputAt], (node, at, insideArray) => {
    const isArray = node.type === "array" || (Array.isArray(node.type) && node.type.includes("array"));
    if (isArray && insideArray) add(at, "is an array inside an array: Architect cannot represent nested arrays in output contracts");
  });
  return issues;
}

function requestIssues(def: DefinitionFile, file: string): FileIssue[] {
  const issues: FileIssue[] = [];
  const { translationMap, translationMapDefaults } = def.config.response;
  // Genesys compiles each path with Jayway when the action runs: a syntax error found here fails the plan instead.
  for (const [key, p] of Object.entries(translationMap)) {
    const problem = pathSyntaxProblem(p);
    if (problem)
      issues.push({ file, path: jsonPath(["config", "response", "translationMap", key]), problem: `is not a valid JSONPath: ${problem}`, fix: "fix the path, e.g. $.items[*].id" });
  }
  for (const key of Object.keys(translationMapDefaults))
    if (!(key in translationMap))
      issues.push({
        file,
        path: jsonPath(["config", "response", "translationMapDefaults", key]),
        problem: "is a default for a key that translationMap does not define",
        fix: `add "${key}" to translationMap or remove the default`,
      });
  return issues;
}

/**
 * Every input a template reads must be declared in the input contract, and every declared input must be read:
 * an undeclared one renders as literal `$input.x` text, an unread one is a contract promise nobody keeps.
 */
function templateInputIssues(def: DefinitionFile, file: string, unreadAllowed: readonly string[] = []): FileIssue[] {
  const declared = Object.keys((def.contract.input.inputSchema.properties ?? {}) as object);
  const { request, response } = def.config;
  const templates: [PropertyKey[], string | undefined][] = [
    [["config", "request", "requestUrlTemplate"], request.requestUrlTemplate],
    ...Object.entries(request.headers).map(([k, v]) => [["config", "request", "headers", k], v] as [PropertyKey[], string]),
    // "GET requests do not use request templates."
    [["config", "request", "requestTemplate"], request.requestType === "GET" ? undefined : request.requestTemplate],
    [["config", "response", "successTemplate"], response.successTemplate],
  ];
  const issues: FileIssue[] = [];
  const read = new Set<string>();
  // ${input.rawRequest} is the whole input as JSON (the canonical POST/PUT body): it reads every input.
  let readsAll = false;
  for (const [at, template] of templates) {
    if (!template) continue;
    // Java Velocity refuses these when Genesys first runs the action; found here, they fail the plan instead.
    const syntax = velocitySyntaxProblem(template);
    if (syntax) issues.push({ file, path: jsonPath(at), problem: syntax, fix: "close every #if/#foreach with #end and every ${ with }" });
    for (const ref of wrongCaseContexts(template))
      issues.push({
        file,
        path: jsonPath(at),
        problem: `uses ${ref.text}: Velocity names are case-sensitive and Genesys' context is $${ref.context}, so this renders as literal text`,
        fix: `write ${ref.text.replace(ref.written, ref.context)}`,
      });
    for (const name of referencedNames(template, "input")) {
      if (name === "rawRequest") {
        readsAll = true;
        continue;
      }
      read.add(name);
      if (!declared.includes(name))
        issues.push({ file, path: jsonPath(at), problem: `reads input.${name}, which the input contract does not declare`, fix: `declare "${name}" under contract.input.inputSchema.properties or fix the reference` });
    }
  }
  for (const name of declared)
    if (!readsAll && !read.has(name) && !unreadAllowed.includes(name))
      issues.push({
        file,
        path: jsonPath(["contract", "input", "inputSchema", "properties", name]),
        problem: `is declared but no template reads it`,
        fix: `use $input.${name} in a template or remove it from the contract`,
      });
  return issues;
}

/** Every `{{placeholder}}` used in the string values of a JSON value, with where it is used. */
export function placeholdersIn(value: unknown, at: PropertyKey[] = []): { name: string; at: PropertyKey[] }[] {
  if (typeof value === "string") return [...value.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1], at }));
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholdersIn(v, [...at, i]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => placeholdersIn(v, [...at, k]));
  return [];
}

/** Replaces `{{name}}` in every string of a JSON value. */
export function fillPlaceholders<T>(value: T, vars: Readonly<Record<string, string>>): T {
  if (typeof value === "string") return value.replace(PLACEHOLDER, (_, name: string) => vars[name]) as T;
  if (Array.isArray(value)) return value.map((v) => fillPlaceholders(v, vars)) as T;
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, vars)])) as T;
  return value;
}

/** What a caller adds to the generic rules for a set of definitions. */
export interface DefinitionRules {
  /** Extra checks on each valid definition (an HRIS adapter's expectations, the role it is mapped to). */
  check?: (def: DataActionDefinition) => FileIssue[];
  /** Inputs a definition (by id) may declare without reading: the workflows pass them, the HRIS has no use for them. */
  unreadInputs?: (id: string) => readonly string[];
}

/**
 * Loads every `*.json` in `dir` (sorted by file name), validating shape and contract rules, the names
 * (unique) and the placeholders (each must be one of `placeholders`). Throws a FileValidationError
 * listing every problem of every file.
 */
export function loadDataActionDefinitions(dir: string, placeholders: readonly string[], root = process.cwd()): DataActionDefinition[] {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => e.name)
    .sort();
  if (files.length === 0)
    throw new FileValidationError("Invalid data action definitions", [{ file: path.relative(root, dir) || dir, path: "$", problem: "contains no data action definitions (*.json)" }]);
  return loadDataActionDefinitionFiles(Object.fromEntries(files.map((f) => [f.replace(/\.json$/, ""), path.join(dir, f)])), placeholders, root);
}

/**
 * Loads the given definitions (id → file), with the same rules as loadDataActionDefinitions plus the caller's. Throws a FileValidationError listing every problem of every file.
 */
export function loadDataActionDefinitionFiles(
  files: Readonly<Record<string, string>>,
  placeholders: readonly string[],
  root = process.cwd(),
  rules: DefinitionRules = {},
): DataActionDefinition[] {
  const issues: FileIssue[] = [];
  const definitions: DataActionDefinition[] = [];

  for (const [id, full] of Object.entries(files)) {
    const file = path.relative(root, full);
    const { value, issue } = readJsonFile(full, file);
    if (issue) {
      issues.push(issue);
      continue;
    }
    const parsed = schemas().DefinitionFile.safeParse(value, { reportInput: true });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const unknownKeys = i.code === "unrecognized_keys" ? i.keys : [];
        if (unknownKeys.length)
          for (const k of unknownKeys)
            issues.push({ file, path: jsonPath([...i.path, k]), problem: "is not a known field of a data action export", fix: "remove it" });
        else issues.push({ file, path: jsonPath(i.path), problem: i.input === undefined ? "is required" : i.message });
      }
      continue;
    }
    const def = parsed.data;
    const fileIssues = [...contractIssues(def, file), ...requestIssues(def, file), ...templateInputIssues(def, file, rules.unreadInputs?.(id)), ...literalCredentialIssues(file, def.config.request)];
    for (const p of placeholdersIn(def))
      if (!placeholders.includes(p.name))
        fileIssues.push({
          file,
          path: jsonPath(p.at),
          problem: `uses the unknown placeholder {{${p.name}}}`,
          fix: `use one of: ${placeholders.map((n) => `{{${n}}}`).join(", ")}`,
        });
    const definition: DataActionDefinition = {
      file,
      id,
      name: def.name,
      secure: def.secure,
      timeoutSeconds: def.config.timeoutSeconds,
      request: def.config.request,
      response: def.config.response,
      contractInput: def.contract.input.inputSchema,
      contractOutput: def.contract.output.successSchema,
    };
    issues.push(...fileIssues, ...(rules.check?.(definition) ?? []));
    definitions.push(definition);
  }

  const byName = new Map<string, string>();
  for (const d of definitions) {
    const other = byName.get(d.name);
    if (other) issues.push({ file: d.file, path: "$.name", problem: `"${d.name}" is also the name of ${other}; flows call actions by name`, fix: "give each action its own name" });
    byName.set(d.name, d.file);
  }
  if (issues.length) throw new FileValidationError("Invalid data action definitions", issues);
  return definitions;
}
