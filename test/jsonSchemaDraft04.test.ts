/**
 * lib/jsonSchema/draft04.ts answers "does ajv-draft-04 compile this contract?" without ajv for the schemas where the
 * answer is sure, and asks ajv for all others. These tests hold it to ajv's answer on real schemas: the JSON Schema
 * Test Suite's draft-04 schemas (every keyword, many edge cases) and the public Genesys data action exports of the
 * conformance manifest, read from the fetched mirrors (test/fixtures/jsonSchemaSuite.json records the source).
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { draft04AnsweredWithoutAjv, draft04Error, draft04ErrorCompiled } from "../lib/jsonSchema/draft04";
import { DRAFT04_VALIDATOR_FILE, draft04ValidatorSource } from "../lib/jsonSchema/draft04Source";
import { PROJECT_ROOT } from "../lib/paths";
import { DEFAULT_MIRROR } from "./conformance/corpus";
import { gitDirOf, readFromMirror, type Wanted } from "./conformance/mirror";

/** The mirror the conformance corpus reads (test/conformance/corpus.ts), wherever the clone lives. */
const MIRROR = process.env.WFM_HRIS_MIRROR ?? DEFAULT_MIRROR;

/** Files of a commit under a folder, from the mirror's bare snapshot. */
const gitList = (dir: string, commit: string, folder: string) =>
  execFileSync("git", ["--git-dir", dir, "ls-tree", "-r", "--name-only", commit, folder], { encoding: "utf8" }).split("\n").filter(Boolean);

/** The files' texts, read with one `git cat-file --batch` per repository (test/conformance/mirror.ts); null if the repository is not fetched. */
function readTexts(wanted: Wanted[]): (string | null)[] {
  return readFromMirror(MIRROR, wanted).map((found, i) => {
    if (found.ok) return found.content.toString("utf8");
    if (found.repoAbsent) return null;
    throw new Error(`${wanted[i].repo}: ${found.problem}`);
  });
}

interface SuiteSource {
  repo: string;
  commit: string;
  folders: string[];
  licence: string;
}
const suite = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "jsonSchemaSuite.json"), "utf8")) as SuiteSource;

/** Every schema of the suite's draft-04 files (each file is a list of { description, schema, tests }). */
function suiteSchemas(): { at: string; schema: object }[] | undefined {
  const dir = gitDirOf(MIRROR, suite.repo);
  if (!dir) return undefined;
  const files = suite.folders.flatMap((folder) => gitList(dir, suite.commit, folder).filter((f) => f.endsWith(".json")));
  const texts = readTexts(files.map((file) => ({ repo: suite.repo, commit: suite.commit, paths: [file] })));
  const out: { at: string; schema: object }[] = [];
  files.forEach((file, i) => {
    for (const group of JSON.parse(texts[i]!) as { description: string; schema: unknown }[])
      if (group.schema && typeof group.schema === "object") out.push({ at: `${file}: ${group.description}`, schema: group.schema });
  });
  return out;
}

/** Input and output contracts of the public exports listed in the data-action conformance manifest. */
function publicContracts(): { at: string; schema: object }[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test", "conformance", "data-actions", "manifest.json"), "utf8")) as {
    repo: string;
    commit: string;
    path: string;
  }[];
  const texts = readTexts(manifest.map((entry) => ({ repo: entry.repo, commit: entry.commit, paths: [entry.path] })));
  const out: { at: string; schema: object }[] = [];
  manifest.forEach((entry, i) => {
    const text = texts[i];
    if (text === null) return;
    const exported = JSON.parse(text.replace(/^\uFEFF/, "")) as { contract?: { input?: { inputSchema?: object }; output?: { successSchema?: object } } };
    const { inputSchema, successSchema } = exported.contract?.input && exported.contract.output ? { ...exported.contract.input, ...exported.contract.output } : ({} as Record<string, undefined>);
    if (inputSchema) out.push({ at: `${entry.repo}/${entry.path} input`, schema: inputSchema });
    if (successSchema) out.push({ at: `${entry.repo}/${entry.path} output`, schema: successSchema });
  });
  return out;
}

/** This project's own contracts: the HRIS adapters' actions and the custom-HRIS example's. */
function shippedContracts(): { at: string; schema: object }[] {
  const dirs = [...fs.readdirSync(path.join(PROJECT_ROOT, "hris")).map((h) => path.join("hris", h, "actions")), path.join("examples", "custom-hris", "hris", "actions")];
  const out: { at: string; schema: object }[] = [];
  for (const dir of dirs.filter((d) => fs.existsSync(path.join(PROJECT_ROOT, d))))
    for (const f of fs.readdirSync(path.join(PROJECT_ROOT, dir)).filter((x) => x.endsWith(".json"))) {
      const def = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, dir, f), "utf8")) as { contract?: { input: { inputSchema: object }; output: { successSchema: object } } };
      if (!def.contract) continue;
      out.push({ at: `${dir}/${f} input`, schema: def.contract.input.inputSchema }, { at: `${dir}/${f} output`, schema: def.contract.output.successSchema });
    }
  return out;
}

// ajv warns on stderr of every format it does not know (the suite's format.json uses them all).
beforeAll(() => void vi.spyOn(console, "warn").mockImplementation(() => undefined));
afterAll(() => vi.restoreAllMocks());

describe("draft-04 contract check (lib/jsonSchema/draft04.ts)", () => {
  it("ships the meta-schema check compiled from ajv-draft-04's meta-schema as it is installed (npm run gen:validator)", () => {
    expect(fs.readFileSync(path.join(PROJECT_ROOT, DRAFT04_VALIDATOR_FILE), "utf8")).toBe(draft04ValidatorSource());
  });

  it("answers without ajv only schemas ajv compiles, across the JSON Schema Test Suite's draft-04 schemas", (ctx) => {
    const schemas = suiteSchemas();
    if (!schemas) return ctx.skip(`${suite.repo} is not fetched under ${MIRROR}`);
    const sure = schemas.filter((s) => draft04AnsweredWithoutAjv(s.schema));
    // The suite exercises every keyword: most schemas are simple enough to be sure of, some need ajv.
    expect(sure.length).toBeGreaterThan(schemas.length / 2);
    expect(sure.length).toBeLessThan(schemas.length);
    for (const s of sure) expect({ at: s.at, error: draft04ErrorCompiled(s.schema) }).toEqual({ at: s.at, error: undefined });
    for (const s of schemas) expect({ at: s.at, error: draft04Error(s.schema) }).toEqual({ at: s.at, error: draft04ErrorCompiled(s.schema) });
  });

  it("answers as ajv does for the contracts of public Genesys data action exports", (ctx) => {
    const schemas = publicContracts();
    if (!schemas.length) return ctx.skip(`the conformance manifest's repositories are not fetched under ${MIRROR}`);
    for (const s of schemas) expect({ at: s.at, error: draft04Error(s.schema) }).toEqual({ at: s.at, error: draft04ErrorCompiled(s.schema) });
  });

  it("checks every contract this project ships without loading ajv", () => {
    const schemas = shippedContracts();
    expect(schemas.length).toBeGreaterThan(10);
    for (const s of schemas) expect({ at: s.at, sure: draft04AnsweredWithoutAjv(s.schema) }).toEqual({ at: s.at, sure: true });
  });

  it("gives ajv's message for a schema the meta-schema rejects", () => {
    expect(draft04Error({ type: "object", required: [] })).toBe("schema is invalid: data/required must NOT have fewer than 1 items");
    expect(draft04Error({ type: "strnig" })).toMatch(/^schema is invalid: data\/type must be equal to one of the allowed values/);
  });

  it("gives ajv's message for a valid-looking schema ajv cannot compile: a pattern that is no regular expression", () => {
    const bad = { type: "object", properties: { id: { type: "string", pattern: "^([0-9]+$" } } };
    expect(draft04AnsweredWithoutAjv(bad)).toBe(false);
    expect(draft04Error(bad)).toMatch(/^Invalid regular expression: \/\^\(\[0-9\]\+\$\/u?: Unterminated group/);
    expect(draft04Error({ type: "object", patternProperties: { "[": { type: "string" } } })).toMatch(/^Invalid regular expression/);
  });

  it("leaves to ajv the keywords whose compilation depends on more than the schema's shape: $ref, id, $schema, format", () => {
    for (const schema of [
      { type: "object", properties: { a: { $ref: "#/definitions/missing" } } },
      { id: "http://example.com/a", type: "object" },
      { $schema: "http://json-schema.org/draft-07/schema#", type: "object" },
      { type: "string", format: "date-time" },
      { type: "object", propertyNames: 5 },
    ])
      expect(draft04AnsweredWithoutAjv(schema)).toBe(false);
    expect(draft04Error({ type: "object", properties: { a: { $ref: "#/definitions/missing" } } })).toMatch(/can't resolve reference #\/definitions\/missing/);
    expect(draft04Error({ $schema: "http://json-schema.org/draft-07/schema#", type: "object" })).toBe('no schema with key or ref "http://json-schema.org/draft-07/schema#"');
    expect(draft04Error({ type: "object", propertyNames: 5 })).toMatch(/propertyNames/);
  });

  it("prints ajv's warning of an unknown format once, however many contracts share it (ajv itself warns twice per compile)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const format = "wfm-hris-test-format";
      expect(draft04Error({ type: "object", properties: { d: { type: "string", format } } })).toBeUndefined();
      expect(draft04Error({ type: "object", properties: { d: { type: "string", format }, e: { type: "string" } } })).toBeUndefined();
      const lines = warn.mock.calls.map((args) => args.join(" ")).filter((line) => line.includes(format));
      expect(lines).toEqual([`unknown format "${format}" ignored in schema at path "#/properties/d"`]);
    } finally {
      warn.mockRestore();
    }
  });
});
