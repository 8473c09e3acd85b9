import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ActionCredentials, executeAction, type ExecutionReport } from "../../lib/dataActions/engine";
import { loadDataActionExport } from "../../lib/dataActions/exportFile";
import { read } from "../../lib/dataActions/jsonPath";
import { translateDetailed } from "../../lib/dataActions/translate";
import { corpusDir } from "./corpus";
import { inputFor, responseFor } from "./standIn";

/**
 * The corpus: real, public data action exports this project did not write (kept in the shared corpus folder,
 * test/conformance/corpus.ts; sources and licences in data-actions/manifest.json). Each is loaded and linted with Genesys' own rules, then executed by
 * the engine against a local stand-in that answers with a response built from its translation paths, and again
 * with an empty JSON object, where the defaults apply.
 */

const DIR = corpusDir("data-actions");
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "data-actions", "manifest.json"), "utf8")) as {
  file: string;
  repo: string;
  commit: string;
  url: string;
  licence: string;
  expected?: { warnings?: string[]; failure?: string; why: string };
}[];

let server: http.Server;
let origin = "";
let nextBody = "{}";
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "Content-Type": "application/json" }).end(nextBody));
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
const credentialsFor = (integrationType: string | undefined, texts: string[]): ActionCredentials => {
  if (integrationType === "purecloud-data-actions") return { type: "genesysOAuth", fields: { accessToken: "corpus-test-token" } };
  const fields = Object.fromEntries([...new Set(texts.flatMap((t) => [...t.matchAll(/\$!?\{?credentials\.([A-Za-z0-9_]+)/g)].map((m) => m[1])))].map((f) => [f, `corpus-${f}`]));
  return { type: "userDefined", fields };
};

describe.skipIf(!DIR)("public data action corpus", () => {
  it("holds at least 40 definitions from at least 8 repositories, each with source and a permissive licence", () => {
    expect(manifest.length).toBeGreaterThanOrEqual(40);
    expect(new Set(manifest.map((m) => m.repo)).size).toBeGreaterThanOrEqual(8);
    for (const m of manifest) {
      expect(fs.existsSync(path.join(DIR!, m.file)), m.file).toBe(true);
      expect(["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause"]).toContain(m.licence);
      expect(m.url).toContain(m.commit);
    }
  });

  describe.each(manifest.map((m) => [m.file, m] as const))("%s", (file, m) => {
    if (!DIR) return; // no corpus here: the suite is skipped, but vitest still collects it
    const loaded = loadDataActionExport(path.join(DIR, file), file);

    it("loads with no error under Genesys' rules, and only the warnings recorded for it", () => {
      expect(loaded.errors).toEqual([]);
      expect(loaded.warnings.map((w) => `${w.path} ${w.problem}`)).toEqual(m.expected?.warnings ?? []);
    });

    const run = async (body: string): Promise<ExecutionReport> => {
      nextBody = body;
      const a = loaded.action!;
      const texts = [a.request.requestUrlTemplate, a.request.requestTemplate ?? "", ...Object.values(a.request.headers)];
      return executeAction(a, inputFor(a.contractInput), { credentials: credentialsFor(loaded.integrationType, texts), apiBaseUrl: origin, fetchImpl: toStandIn, timeoutMs: 5000 });
    };

    it("runs against a response built from its translation paths, with no variable left at its default", async () => {
      const a = loaded.action!;
      const response = responseFor(a.response.translationMap, a.contractOutput);
      const report = await run(JSON.stringify(response));
      if (m.expected?.failure) {
        expect(report.failure?.code).toBe(m.expected.failure);
        return;
      }
      // Engine-owned stages never fail on a response that has every path.
      expect(["input", "render", "request", "response", "translation"]).not.toContain(report.failure?.stage);
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
      expect(["input", "render", "request", "response"]).not.toContain(report.failure?.stage);
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
