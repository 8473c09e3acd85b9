import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionCredentials, type ExecutableAction, executeAction, type ExecutionReport } from "../../lib/dataActions/engine";
import { CUSTOM_AUTH, loadDataActionExport } from "../../lib/dataActions/exportFile";
import { credentialFieldsRead } from "../../lib/dataActions/runner";
import { read } from "../../lib/dataActions/jsonPath";
import { translateDetailed } from "../../lib/dataActions/translate";
import { corpusDir, licenceFileOf } from "./corpus";
import { inputFor, responseFor } from "./standIn";

/**
 * The corpus: real, public data action exports this project did not write (read from the local mirror at their
 * recorded commits, test/conformance/corpus.ts; sources and licences in data-actions/manifest.json). Each is loaded
 * and linted with Genesys' own rules, then executed by the engine against a local stand-in that answers with a
 * response built from its translation paths, and again with an empty JSON object, where the defaults apply. An
 * action that reads `${authResponse.x}` also runs with a User Defined (OAuth) credential, after the custom auth
 * action exported from the same repository.
 */

const DIR = corpusDir("data-actions");
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "data-actions", "manifest.json"), "utf8")) as {
  file: string;
  repo: string;
  commit: string;
  path: string;
  url: string;
  licence: string;
  /** The custom auth action (corpus file) whose output this action reads as authResponse. */
  authAction?: string;
  expected?: { warnings?: string[]; failure?: string; why: string };
}[];

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let server: http.Server;
let origin = "";
/** What the stand-in answers, in order; `{}` once the queue is empty. */
let answers: string[] = [];
let seen: Seen[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "Content-Type": "application/json" }).end(answers.shift() ?? "{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Every request goes to the stand-in, whatever host the definition names; the path is kept. */
const toStandIn: typeof fetch = (url, init) => {
  const u = new URL(String(url));
  return fetch(`${origin}${u.pathname}${u.search}`, init);
};
const textsOf = (a: ExecutableAction) => [a.request.requestUrlTemplate, a.request.requestTemplate ?? "", ...Object.values(a.request.headers)];
/** A value per credential field the templates read; a login URL must be a URL (custom auth actions POST to it). */
const credentialFields = (texts: string[]) =>
  Object.fromEntries(credentialFieldsRead(texts).map((f) => [f, /url$/i.test(f) ? "https://login.corpus.example/oauth2/token" : `corpus-${f}`]));
const credentialsFor = (integrationType: string | undefined, texts: string[]): ActionCredentials =>
  integrationType === "purecloud-data-actions" ? { type: "genesysOAuth", fields: { accessToken: "corpus-test-token" } } : { type: "userDefined", fields: credentialFields(texts) };
const PERMISSIVE = ["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause"];
/** The licence a LICENSE file's text grants, by the standard wording of each permissive licence. */
const licenceOf = (text: string) =>
  /^\s*MIT License/.test(text) || /Permission is hereby granted, free of charge/.test(text)
    ? "MIT"
    : /Apache License\s+Version 2\.0/.test(text)
      ? "Apache-2.0"
      : /Redistribution and use in source and binary forms/.test(text)
        ? /Neither the name/.test(text)
          ? "BSD-3-Clause"
          : "BSD-2-Clause"
        : "unknown";

/** Each corpus file loaded once for the whole suite: the collection, the custom-auth pairing and the runs read the same result. */
const loadedExports = new Map<string, ReturnType<typeof loadDataActionExport>>();
const loadExport = (file: string) => {
  let loaded = loadedExports.get(file);
  if (!loaded) loadedExports.set(file, (loaded = loadDataActionExport(path.join(DIR!, file), file)));
  return loaded;
};

describe.skipIf(!DIR)("public data action corpus", () => {
  it("holds at least 40 definitions from at least 8 repositories, each with source and a permissive licence", () => {
    expect(manifest.length).toBeGreaterThanOrEqual(40);
    expect(new Set(manifest.map((m) => m.repo)).size).toBeGreaterThanOrEqual(8);
    // One corpus file per entry: two sources written to the same file would leave one of them untested.
    expect(new Set(manifest.map((m) => m.file)).size).toBe(manifest.length);
    for (const m of manifest) {
      expect(fs.existsSync(path.join(DIR!, m.file)), m.file).toBe(true);
      expect(PERMISSIVE).toContain(m.licence);
      expect(m.url).toBe(`https://github.com/${m.repo}/blob/${m.commit}/${m.path}`);
    }
  });

  it("records for each repository the licence its own licence file grants at the recorded commit", () => {
    for (const m of manifest) expect(licenceOf(fs.readFileSync(path.join(DIR!, licenceFileOf(m.repo)), "utf8")), m.repo).toBe(m.licence);
  });

  it("includes custom auth actions, and actions that read their output, each paired with the one from its repository", () => {
    const customAuth = manifest.filter((m) => loadExport(m.file).actionType === CUSTOM_AUTH);
    expect(customAuth.length).toBeGreaterThanOrEqual(3);
    const paired = manifest.filter((m) => m.authAction);
    expect(paired.length).toBeGreaterThanOrEqual(3);
    for (const m of paired) expect(customAuth.find((c) => c.file === m.authAction)?.repo, m.file).toBe(m.repo);
  });

  describe.each(manifest.map((m) => [m.file, m] as const))("%s", (file, m) => {
    if (!DIR) return; // no corpus here: the suite is skipped, but vitest still collects it
    const loaded = loadExport(file);

    it("loads with no error under Genesys' rules, and only the warnings recorded for it", () => {
      expect(loaded.errors).toEqual([]);
      expect(loaded.warnings.map((w) => `${w.path} ${w.problem}`)).toEqual(m.expected?.warnings ?? []);
    });

    const customAuth = loaded.actionType === CUSTOM_AUTH;
    // An action that reads authResponse runs after its custom auth action, which the stand-in answers first with a
    // token response holding the fields the action reads.
    const auth = m.authAction ? loadExport(m.authAction).action : undefined;
    const authResponse = Object.fromEntries(loaded.authResponseFields.map((f) => [f, `corpus-auth-${f}-7f3e`]));
    const run = async (body: string): Promise<ExecutionReport> => {
      const a = loaded.action!;
      answers = auth ? [JSON.stringify(authResponse), body] : [body];
      seen = [];
      const credentials: ActionCredentials = auth
        ? { type: "userDefinedOAuth", fields: credentialFields([...textsOf(a), ...textsOf(auth)]) }
        : credentialsFor(loaded.integrationType, textsOf(a));
      return executeAction(a, inputFor(a.contractInput), {
        credentials,
        authAction: auth,
        apiBaseUrl: origin,
        fetchImpl: toStandIn,
        timeoutMs: 5000,
        outputIsSecret: customAuth,
      });
    };
    const ENGINE_STAGES = ["input", "auth", "render", "request", "response"];

    if (customAuth)
      it("runs on its own as a custom auth action: credentials rendered into the token request, the token never shown", async () => {
        const a = loaded.action!;
        const token = "corpus-access-token-5d1c";
        const report = await run(JSON.stringify({ access_token: token, token_type: "Bearer", expires_in: 3599 }));
        expect(report.failure).toBeUndefined();
        expect(seen).toHaveLength(1);
        expect(seen[0].method).toBe(a.request.requestType);
        // `Basic $encoding.base64("${credentials.a}:${credentials.b}")`, the form Genesys documents for custom auth.
        const basic = /^Basic \$encoding\.base64\("\$\{credentials\.(\w+)\}:\$\{credentials\.(\w+)\}"\)$/.exec(
          Object.entries(a.request.headers).find(([k]) => k.toLowerCase() === "authorization")?.[1] ?? "",
        );
        expect(basic, "its Authorization header template").not.toBeNull();
        expect(seen[0].headers.authorization).toBe(`Basic ${Buffer.from(`corpus-${basic![1]}:corpus-${basic![2]}`).toString("base64")}`);
        expect(JSON.stringify(report)).not.toContain(token);
        // Every string of an auth response is treated as a secret (which of them is one is not knowable).
        expect(report.output).toEqual({ access_token: "[secret]", token_type: "[secret]", expires_in: 3599 });
      });

    if (auth)
      it(`runs after its custom auth action (${m.authAction}), sending what the auth response holds, never showing it`, async () => {
        const a = loaded.action!;
        const report = await run(JSON.stringify(responseFor(a.response.translationMap, a.contractOutput)));
        expect(ENGINE_STAGES).not.toContain(report.failure?.stage);
        expect(seen).toHaveLength(2);
        expect(seen[0].method).toBe(auth.request.requestType);
        expect(seen[1].method).toBe(a.request.requestType);
        // Each header that reads authResponse carries the auth response's values.
        for (const [name, template] of Object.entries(a.request.headers))
          for (const f of loaded.authResponseFields.filter((f) => template.includes(`authResponse.${f}`)))
            expect(seen[1].headers[name.toLowerCase()], `${name} header`).toContain(authResponse[f]);
        for (const v of Object.values(authResponse)) expect(JSON.stringify(report)).not.toContain(v);
      });

    it("runs against a response built from its translation paths, with no variable left at its default", async () => {
      const a = loaded.action!;
      const response = responseFor(a.response.translationMap, a.contractOutput);
      const report = await run(JSON.stringify(response));
      if (m.expected?.failure) {
        expect(report.failure?.code).toBe(m.expected.failure);
        return;
      }
      // Engine-owned stages never fail on a response that has every path.
      expect([...ENGINE_STAGES, "translation"]).not.toContain(report.failure?.stage);
      // No silent miss: a path that resolves in the response is never replaced by its default.
      const vars = translateDetailed(response, a.response.translationMap, a.response.translationMapDefaults);
      for (const [key, v] of Object.entries(vars)) {
        let resolves = true;
        try {
          read(response, a.response.translationMap[key]);
        } catch {
          resolves = false;
        }
        expect(resolves, `${key}: ${a.response.translationMap[key]} should resolve in the stand-in response`).toBe(true);
        expect(v.fromDefault, `${key} took its default although its path resolves`).toBe(false);
      }
    });

    it("runs against an empty response, where the defaults apply", async () => {
      const a = loaded.action!;
      const report = await run("{}");
      if (m.expected?.failure) return;
      expect(ENGINE_STAGES).not.toContain(report.failure?.stage);
      const missingWithoutDefault = Object.entries(a.response.translationMap).filter(([k, p]) => {
        if (k in a.response.translationMapDefaults) return false;
        try {
          read({}, p);
          return false;
        } catch {
          return true;
        }
      });
      // Without defaults for every definite path, Genesys fails the translation too; otherwise it goes on.
      if (missingWithoutDefault.length) expect(report.failure?.code).toBe("TRANSLATION_MAP");
      else expect(report.failure?.stage).not.toBe("translation");
    });
  });
});
